#pragma once
// The embedded CaseStore: one SQLite file beside Orthanc's storage, WAL mode so readers do
// not wait for the writer. One connection behind a mutex (SQLite has one writer anyway);
// every change runs in BEGIN IMMEDIATE with its audit row, and claims are also guarded by a
// conditional UPDATE, so they stay atomic even if two processes opened the same file.
#include <memory>
#include <mutex>
#include <string>

#include "domain/CaseStore.h"

struct sqlite3;

namespace relais {

class SqliteStatementCache;

class SqliteCaseStore : public CaseStore {
 public:
  // Creates the file and its schema if needed. Throws std::runtime_error naming the path.
  explicit SqliteCaseStore(const std::string& path);
  ~SqliteCaseStore() override;
  SqliteCaseStore(const SqliteCaseStore&) = delete;
  SqliteCaseStore& operator=(const SqliteCaseStore&) = delete;

  Created createCase(const NewCase& c, const Actor& actor) override;
  std::optional<Case> find(int64_t id) override;
  Case get(int64_t id) override;
  std::optional<Case> findByStudy(const std::string& studyInstanceUid) override;
  std::set<std::string> orthancStudyIdsWithCases() override;
  CasePage list(const CaseFilter& filter) override;
  Case claim(int64_t id, const Actor& actor, std::chrono::seconds lease) override;
  std::optional<Case> claimNext(const std::string& queue, const Actor& actor, std::chrono::seconds lease) override;
  Case transition(int64_t id, CaseEvent event, const Actor& actor, const TransitionOptions& options) override;
  int expireLeases(int64_t now) override;
  std::vector<std::string> knownInstances(int64_t caseId) override;
  Case attachInstances(int64_t caseId, const std::vector<std::string>& sopInstanceUids, bool fromSender,
                       const Actor& actor) override;
  void clearNewImages(int64_t caseId) override;
  std::map<std::string, int64_t> lateInstances(int64_t caseId) override;
  void audit(int64_t caseId, const Actor& actor, const std::string& action, const std::string& detail) override;
  std::vector<AuditEntry> auditTrail(int64_t caseId) override;
  std::vector<QueueSummary> queues() override;
  StoreStatistics statistics() override;
  void saveManifest(const Manifest& m) override;
  std::optional<Manifest> manifest(const std::string& studyInstanceUid) override;
  std::vector<Manifest> pendingManifests() override;
  void markManifestRouted(const std::string& studyInstanceUid) override;
  std::optional<std::string> setting(const std::string& key) override;
  void setSetting(const std::string& key, const std::string& value) override;
  void raiseSetting(const std::string& key, int64_t value) override;

 private:
  class Transaction;
  void exec(const char* sql);
  void addColumnIfMissing(const char* table, const char* column, const char* type);
  void addColumnIfMissingLocked(const char* table, const char* column, const char* type);
  std::optional<Case> findLocked(int64_t id);
  Case getLocked(int64_t id);
  Case claimLocked(int64_t id, const Actor& actor, std::chrono::seconds lease);
  void auditLocked(int64_t caseId, const Actor& actor, const std::string& action, const std::string& from,
                   const std::string& to, const std::string& detail);

  std::string path_;
  sqlite3* db_ = nullptr;
  std::unique_ptr<SqliteStatementCache> statements_;  // prepared once, reused under mutex_
  std::mutex mutex_;
};

}  // namespace relais
