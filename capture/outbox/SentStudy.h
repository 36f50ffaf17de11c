#pragma once
// Who and what a study this unit sent is about, as its own files in the outbox say: the hub's
// answers name only a case and a Study Instance UID, a nurse recognises a patient and a
// specialty. Read from one file of outbox/studies/<StudyUID>/ (the header only).
#include <filesystem>
#include <optional>
#include <string>

namespace relais::outbox {

struct SentStudy {
  std::string patientName;  // DICOM PN as stored, e.g. "DIALLO^Awa"
  std::string patientId;
  std::string specialty;    // Requested Procedure Description of the Request Attributes Sequence
  std::string modality;     // of the file read: XC, DMS, US, DX, OT...
};

// None when the outbox holds no readable file of that study (sent from another machine, or
// the UID is not a valid one).
std::optional<SentStudy> ReadSentStudy(const std::filesystem::path& outboxDirectory, const std::string& studyInstanceUid);

}  // namespace relais::outbox
