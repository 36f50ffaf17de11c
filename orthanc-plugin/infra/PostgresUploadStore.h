#pragma once
// The UploadStore in the PostgreSQL database several Orthanc nodes share (the case store's,
// through a connection of its own). open relies on the unique (unit, sop_uid) with ON CONFLICT
// DO NOTHING; commitOffset is a conditional UPDATE judged by the rows it changed.
#include <memory>
#include <mutex>
#include <string>

#include "domain/UploadStore.h"

namespace relais {

class PostgresConnection;

class PostgresUploadStore : public UploadStore {
 public:
  // Connects and creates the tables if needed; throws std::runtime_error naming the target.
  explicit PostgresUploadStore(const std::string& connectionString);
  ~PostgresUploadStore() override;
  PostgresUploadStore(const PostgresUploadStore&) = delete;
  PostgresUploadStore& operator=(const PostgresUploadStore&) = delete;

  Opened open(const std::string& unit, const std::string& sopInstanceUid, int64_t size, const std::string& sha256,
              int64_t now) override;
  std::optional<UploadSession> find(const std::string& unit, const std::string& sopInstanceUid) override;
  std::optional<UploadSession> byId(int64_t sessionId) override;
  bool commitOffset(int64_t sessionId, int64_t from, int64_t to, int64_t now) override;
  void restart(int64_t sessionId, int64_t now) override;
  void markStored(int64_t sessionId, const std::string& orthancId, const std::string& status, int64_t now) override;
  void remove(int64_t sessionId) override;
  int64_t openBytes(const std::string& unit) override;
  std::vector<UploadSession> untouchedSince(int64_t touchedBefore) override;
  void recordReceived(const std::string& sopInstanceUid, const std::string& unit, int64_t now) override;
  void forgetReceived(const std::string& sopInstanceUid) override;
  std::optional<std::string> receivedFromUnit(const std::string& sopInstanceUid) override;

 private:
  std::optional<UploadSession> findLocked(const std::string& unit, const std::string& sopInstanceUid);

  std::unique_ptr<PostgresConnection> db_;
  std::mutex mutex_;
};

}  // namespace relais
