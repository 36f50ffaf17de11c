#pragma once
// The hub's side of the resumable upload (docs/openapi.yaml, /relais/v1/uploads): units send an
// instance in pieces, the hub commits each piece to disk before it says so, and once the whole
// file is there and its SHA-256 matches, stores it into Orthanc as POST /instances would.
//
// Durability, in this order for every piece: lock the session's part file, re-read the session
// row, cut the file back to the committed offset, write, fsync, commit the new offset. A hub
// killed at any point therefore holds, for each session, a committed offset whose bytes are on
// disk; a session whose offset equals its size is finished by the next GET or PUT (or the
// sweep): hash, store (Orthanc answers AlreadyStored if the first store got through), mark
// stored, remove the part file.
//
// A small thread sweeps every SweepSeconds: abandoned sessions (untouched for ExpireHours) go,
// with their files, and files no receiving session owns are removed.
#include <condition_variable>
#include <cstdint>
#include <mutex>
#include <optional>
#include <string>
#include <thread>

#include <nlohmann/json.hpp>

#include "adapter/Hub.h"
#include "domain/Router.h"
#include "domain/UploadSession.h"
#include "infra/UploadParts.h"

namespace relais::adapter {

class UploadReception {
 public:
  explicit UploadReception(Hub& hub);
  ~UploadReception();
  UploadReception(const UploadReception&) = delete;
  UploadReception& operator=(const UploadReception&) = delete;

  // GET: where the hub stands for the caller's unit and this instance (404 with offset 0 when
  // it knows nothing).
  nlohmann::json where(const std::string& unit, const std::string& sopInstanceUid);
  // PUT: one piece; the answer's JSON and status.
  HttpResponse receive(const std::string& unit, const std::string& sopInstanceUid, const HttpRequest& request);
  // DELETE: abandons a receiving session (404 if none).
  void abandon(const std::string& unit, const std::string& sopInstanceUid);
  // Removes expired sessions and orphan files; returns how many sessions went.
  int sweep(int64_t now);

  void start();
  void stop();  // returns promptly; idempotent

 private:
  // Called with the session's part locked and the session re-read: complete and receiving.
  UploadSession finish(const UploadSession& session, UploadParts::Part& part);
  std::optional<UploadSession> finishIfComplete(const std::string& unit, const std::string& sopInstanceUid);
  void loop();

  Hub& hub_;
  UploadParts parts_;
  int64_t testDelayBeforeStoreMs_ = 0;
  std::mutex mutex_;
  std::condition_variable wake_;
  bool stopping_ = false;
  std::thread thread_;
};

void RegisterUploadRoutes(Router& router, UploadReception& uploads);

}  // namespace relais::adapter
