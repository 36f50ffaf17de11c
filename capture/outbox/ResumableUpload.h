#pragma once
// One instance sent to the hub as an upload session (protocol v1): pieces PUT at the offset
// the hub committed, sized by the PieceSizer; after a cut, GET tells where the hub stands and
// the upload continues from there at once (a few prompt resumes with short pauses; only a
// link that stays down goes back to the forwarder's backoff); a 409 carries the hub's offset
// to continue from. Between pieces it asks whether a more urgent instance waits and, if so,
// yields, leaving the session on the hub to be continued later.
//
// Outcomes: Stored once the hub answers "stored" (it checked the SHA-256 and Orthanc took the
// file, or already held it); Refused when the hub or Orthanc will never take the file;
// AccountRefused on 401/403; Retry when the link or the hub stays unwell; Yielded.
#include <chrono>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <string>

#include "outbox/PieceSizer.h"
#include "outbox/Transport.h"
#include "outbox/UploadChannel.h"

namespace relais::outbox {

struct UploadFile {
  std::string sopInstanceUid;
  std::filesystem::path file;
  int64_t size = 0;
  std::string sha256;
};

class ResumableUpload {
 public:
  using Pause = std::function<void(std::chrono::milliseconds)>;

  // `pause` waits between prompt resumes (injectable for tests; default sleeps).
  ResumableUpload(UploadChannel& channel, PieceSizer& sizer, int promptResumes = 3, Pause pause = {});

  SendOutcome send(const UploadFile& file, const SendHooks& hooks);
  // The last send met a hub without the upload routes (404 to a PUT: a Relais hub older than
  // protocol v1); the caller may send the instance whole instead.
  bool noUploadRoute() const { return noUploadRoute_; }

 private:
  UploadChannel& channel_;
  PieceSizer& sizer_;
  int promptResumes_;
  Pause pause_;
  bool noUploadRoute_ = false;
};

}  // namespace relais::outbox
