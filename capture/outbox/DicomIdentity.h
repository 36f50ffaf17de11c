#pragma once
// What the outbox needs to know about a DICOM file before accepting it: who it is (SOP
// Instance UID, the idempotency key), where it belongs (Study Instance UID), how it travels
// (SOP Class, Transfer Syntax: C-STORE proposes exactly these) and how urgent the request is
// (Requested Procedure Priority, at top level or in the Request Attributes Sequence).
#include <filesystem>
#include <string>

namespace relais::outbox {

enum class Priority { Urgent = 0, Routine = 1 };

const char* PriorityName(Priority priority);  // "urgent" | "routine", the manifest's words

struct DicomIdentity {
  std::string sopInstanceUid;
  std::string sopClassUid;
  std::string studyInstanceUid;
  std::string transferSyntaxUid;
  Priority priority = Priority::Routine;
};

// Throws OutboxError naming the file when it is not DICOM or lacks one of the UIDs.
DicomIdentity ReadDicomIdentity(const std::filesystem::path& file);

// A UID as DICOM allows it (digits and dots, at most 64 characters): the outbox names files
// after UIDs, so anything else is refused rather than used as a path.
bool IsValidUid(const std::string& uid);

}  // namespace relais::outbox
