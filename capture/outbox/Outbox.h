#pragma once
// The unit's durable outbox: a folder holding a copy of every DICOM file waiting to leave
// (studies/<StudyUID>/<SOPUID>.dcm) and a SQLite database in WAL mode (outbox.db) recording,
// per instance, whether it is pending, sent (the receiver's answer kept) or refused, and per
// study whether the hub acknowledged its manifest.
//
// Crash consistency (each step is safe to interrupt by kill -9 or power loss):
//  - enqueue copies the file to tmp/, fsyncs it, renames it into studies/ and fsyncs the
//    folder, and only then commits the row: a crash before the commit leaves a file nobody
//    references (harmless; enqueuing again overwrites it), never a row without its file.
//  - an instance is marked sent only after the receiver confirmed it: a crash in between
//    sends it again, which the hub answers "AlreadyStored" (idempotent by SOP Instance UID).
//  - the manifest is due only when every instance of the study is sent, and the ack is
//    committed after the hub answered: a crash in between posts the same manifest again.
//  - an instance enqueued into a study whose manifest was acknowledged (an information
//    request answered with more images) makes the study due again with the full list.
#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "outbox/DicomIdentity.h"

namespace relais::outbox {

class SqliteDatabase;

struct EnqueueResult {
  std::string sopInstanceUid;
  std::string studyInstanceUid;
  bool added = false;  // false: this SOP Instance UID was already in the outbox
  std::filesystem::path file;  // the outbox's copy (absolute)
};

struct PendingInstance {
  std::string sopInstanceUid;
  std::string studyInstanceUid;
  std::string sopClassUid;
  std::string transferSyntaxUid;
  std::filesystem::path file;  // absolute
  int64_t bytes = 0;
  int attempts = 0;
  Priority priority = Priority::Routine;  // the study's
};

// The hub refused the unit's account (401/403): nothing goes to it until the configuration
// changes, i.e. until the account's fingerprint (a hash of address, user, password) differs.
struct AccountRefusal {
  std::string fingerprint;
  std::string message;
  int64_t atMs = 0;
};

struct ManifestDue {
  std::string studyInstanceUid;
  Priority priority = Priority::Routine;
  std::vector<std::string> sopInstanceUids;
};

struct StudyStatus {
  std::string studyInstanceUid;
  Priority priority = Priority::Routine;
  int pending = 0;
  int sent = 0;
  int refused = 0;
  int64_t bytesTotal = 0;
  int64_t bytesSent = 0;                      // of sent instances, plus what the hub committed of the others
  int attempts = 0;                           // failed attempts over all its instances
  std::optional<std::string> manifestAck;     // the hub's answer, once acknowledged
  std::optional<std::string> lastError;       // the newest reason something failed
  // "waiting" (instances to send), "manifest-due", "sent" (acknowledged), "failed" (refused
  // instances need a person).
  std::string state() const;
};

struct InstanceStatus {
  std::string sopInstanceUid;
  std::string state;  // pending | sent | refused
  int attempts = 0;
  std::optional<std::string> lastError;
  std::optional<std::string> answer;
};

class Outbox {
 public:
  // Creates the folder and the database if needed; removes temporary files left by crashed
  // enqueues.
  explicit Outbox(std::filesystem::path directory);
  ~Outbox();
  Outbox(const Outbox&) = delete;
  Outbox& operator=(const Outbox&) = delete;

  const std::filesystem::path& directory() const { return directory_; }

  // Accepts one DICOM file (copied in; the original is left alone). `priority` overrides the
  // one read from the file; a study becomes urgent if any of its instances is.
  EnqueueResult enqueue(const std::filesystem::path& dicomFile, std::optional<Priority> priority = {});
  // Several files as one step: every file is read and copied in first, then all their rows
  // commit in one transaction. If anything fails (a non-DICOM file, a full disk), nothing of
  // the list is enqueued and the copies made by this call are removed: never half a study.
  std::vector<EnqueueResult> enqueueFiles(const std::vector<std::filesystem::path>& dicomFiles,
                                          std::optional<Priority> priority = {});
  // Every regular file below `folder`, in name order, through enqueueFiles.
  std::vector<EnqueueResult> enqueueFolder(const std::filesystem::path& folder,
                                           std::optional<Priority> priority = {});

  // Pending instances, urgent studies first, then oldest study first, then capture order.
  std::vector<PendingInstance> nextPending(size_t limit);
  void markSent(const std::string& sopInstanceUid, const std::string& receiverAnswer);
  void markAttemptFailed(const std::string& sopInstanceUid, const std::string& reason);
  void markRefused(const std::string& sopInstanceUid, const std::string& reason);
  // The hub holds `bytes` of this pending instance (its upload session's committed offset).
  void recordCommitted(const std::string& sopInstanceUid, int64_t bytes);
  // Whether an instance of a more urgent study than `priority` waits.
  bool morePressingPending(Priority priority);

  std::optional<AccountRefusal> accountRefusal();
  void recordAccountRefusal(const std::string& fingerprint, const std::string& message);
  void clearAccountRefusal();
  // Puts refused instances back to pending (after a person fixed the cause).
  int retryRefused();

  std::vector<ManifestDue> manifestsDue();
  void recordManifestAck(const std::string& studyInstanceUid, const std::string& ack);
  void recordStudyError(const std::string& studyInstanceUid, const std::string& reason);

  std::vector<StudyStatus> studies();
  std::optional<StudyStatus> study(const std::string& studyInstanceUid);
  std::vector<InstanceStatus> instances(const std::string& studyInstanceUid);
  int pendingCount();
  // When the newest instance of the study was enqueued (ms since the epoch); none if no instance.
  std::optional<int64_t> lastEnqueuedAt(const std::string& studyInstanceUid);

 private:
  struct Copied;
  // The durable copy of one file (none if its SOP Instance UID is already in the outbox).
  Copied copyIn(const std::filesystem::path& dicomFile, const DicomIdentity& identity, std::optional<Priority> priority);
  // The outbox's file of an instance already recorded (relative to the directory).
  std::optional<std::string> knownFile(const std::string& sopInstanceUid);
  // The rows of one copied file, inside the caller's transaction; true if it was new.
  bool record(const Copied& copied);

  std::filesystem::path directory_;
  std::unique_ptr<SqliteDatabase> db_;
};

}  // namespace relais::outbox
