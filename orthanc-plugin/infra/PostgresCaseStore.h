#pragma once
// The CaseStore for several Orthanc nodes sharing one PostgreSQL database. The nodes never
// coordinate in memory: everything that must happen once rests on the database. createCase
// relies on the unique StudyInstanceUID (INSERT ... ON CONFLICT DO NOTHING); every read-then-
// write locks its case row (SELECT ... FOR UPDATE) and its UPDATE is conditional on the state
// it read, judged by the number of rows changed; claimNext skips rows another node is claiming
// (FOR UPDATE SKIP LOCKED). Each change commits with its audit row in one transaction.
//
// One connection per store behind a mutex, reconnected once when the server went away.
#include <memory>
#include <mutex>
#include <string>

#include "domain/CaseStore.h"

namespace relais {

class PostgresConnection;

class PostgresCaseStore : public CaseStore {
 public:
  // `connectionString` is a libpq one ("host=... dbname=... user=..." or a postgresql:// URI).
  // Connects and creates the schema if needed; throws std::runtime_error naming the target
  // (host, port, database, user; never the password).
  explicit PostgresCaseStore(const std::string& connectionString);
  ~PostgresCaseStore() override;
  PostgresCaseStore(const PostgresCaseStore&) = delete;
  PostgresCaseStore& operator=(const PostgresCaseStore&) = delete;

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
  enum class RowLock { None, ForUpdate };
  std::optional<Case> findLocked(int64_t id, RowLock lock = RowLock::None);
  Case getLocked(int64_t id, RowLock lock = RowLock::None);
  std::optional<Case> findByStudyLocked(const std::string& studyInstanceUid);
  Case claimLocked(int64_t id, const Actor& actor, std::chrono::seconds lease);
  void auditLocked(int64_t caseId, const Actor& actor, const std::string& action, const std::string& from,
                   const std::string& to, const std::string& detail);

  std::unique_ptr<PostgresConnection> db_;
  std::mutex mutex_;
};

}  // namespace relais
