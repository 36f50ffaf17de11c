#pragma once
// Where the upload sessions live: rows in the case store's database (SQLite file or the shared
// PostgreSQL), beside the cases, through a connection of their own. The bytes are elsewhere
// (infra/UploadParts); a row's offset is committed only after its bytes are on disk.
//
// Contract every implementation keeps (tests/plugin/upload_store_test.cpp checks it on both):
// - One session per (unit, SOP Instance UID): open() creates it or returns the one that exists
//   (created = false), whichever node or thread asks first.
// - commitOffset moves the offset from `from` to `to` only if the row still says `from` (and is
//   receiving); false otherwise, so a stale writer can never move it back or skip bytes.
// - A unit sees only its own sessions: every lookup is by (unit, SOP Instance UID).
// - Instances stored through an upload are remembered (receivedFromUnit) after their session
//   is gone: the router tells a unit's image from the hub's own objects by it, since Orthanc
//   records both as stored by a plugin.
// - Thread-safe. Times are unix seconds.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "domain/UploadSession.h"

namespace relais {

class UploadStore {
 public:
  virtual ~UploadStore() = default;

  struct Opened {
    UploadSession session;
    bool created;
  };
  virtual Opened open(const std::string& unit, const std::string& sopInstanceUid, int64_t size,
                      const std::string& sha256, int64_t now) = 0;
  virtual std::optional<UploadSession> find(const std::string& unit, const std::string& sopInstanceUid) = 0;
  virtual std::optional<UploadSession> byId(int64_t sessionId) = 0;
  virtual bool commitOffset(int64_t sessionId, int64_t from, int64_t to, int64_t now) = 0;
  // Back to offset 0 (the hash did not match): the client sends the file again.
  virtual void restart(int64_t sessionId, int64_t now) = 0;
  virtual void markStored(int64_t sessionId, const std::string& orthancId, const std::string& status, int64_t now) = 0;
  virtual void remove(int64_t sessionId) = 0;
  // Sum of `size` over the unit's receiving sessions (the quota counts what may still arrive).
  virtual int64_t openBytes(const std::string& unit) = 0;
  // Sessions untouched since before `touchedBefore` (receiving or stored), for the sweep.
  virtual std::vector<UploadSession> untouchedSince(int64_t touchedBefore) = 0;

  virtual void recordReceived(const std::string& sopInstanceUid, const std::string& unit, int64_t now) = 0;
  virtual void forgetReceived(const std::string& sopInstanceUid) = 0;
  virtual std::optional<std::string> receivedFromUnit(const std::string& sopInstanceUid) = 0;
};

}  // namespace relais
