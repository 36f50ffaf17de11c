#pragma once
// The UploadStore in the embedded case database (the same SQLite file as SqliteCaseStore,
// through a connection of its own: WAL lets both work side by side). One connection behind a
// mutex; commitOffset is a conditional UPDATE, so it stays right even across processes.
#include <memory>
#include <mutex>
#include <string>

#include "domain/UploadStore.h"

struct sqlite3;

namespace relais {

class SqliteStatementCache;

class SqliteUploadStore : public UploadStore {
 public:
  // Creates the tables if needed. Throws std::runtime_error naming the path.
  explicit SqliteUploadStore(const std::string& path);
  ~SqliteUploadStore() override;
  SqliteUploadStore(const SqliteUploadStore&) = delete;
  SqliteUploadStore& operator=(const SqliteUploadStore&) = delete;

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

  std::string path_;
  sqlite3* db_ = nullptr;
  std::unique_ptr<SqliteStatementCache> statements_;
  std::mutex mutex_;
};

}  // namespace relais
