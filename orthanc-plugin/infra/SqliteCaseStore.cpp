#include "infra/SqliteCaseStore.h"

#include <sqlite3.h>

#include <stdexcept>
#include <unordered_map>
#include <utility>
#include <vector>

#include "infra/DatabaseFolder.h"
#include "domain/HttpError.h"
#include "domain/User.h"
#include "infra/CaseRows.h"
#include "infra/SqliteStatements.h"

namespace relais {

namespace {

const char* kSchema = R"SQL(
CREATE TABLE IF NOT EXISTS cases (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  study_uid TEXT NOT NULL UNIQUE,
  orthanc_study_id TEXT NOT NULL,
  queue TEXT NOT NULL,
  state TEXT NOT NULL,
  priority TEXT NOT NULL,
  priority_rank INTEGER NOT NULL,
  unit TEXT NOT NULL,
  patient_id TEXT NOT NULL, patient_issuer TEXT NOT NULL, patient_name TEXT NOT NULL,
  patient_birth_date TEXT NOT NULL, patient_sex TEXT NOT NULL,
  request_specialty TEXT NOT NULL, request_question TEXT NOT NULL, request_history TEXT NOT NULL,
  request_body_site TEXT NOT NULL,
  rule TEXT NOT NULL,
  claimed_by TEXT, lease_expires_at INTEGER, assigned_to TEXT,
  created_at INTEGER NOT NULL, updated_at INTEGER NOT NULL, reported_at INTEGER,
  new_images INTEGER NOT NULL DEFAULT 0,
  request_laterality TEXT NOT NULL DEFAULT '', request_body_site_code TEXT NOT NULL DEFAULT '',
  sender TEXT);
CREATE INDEX IF NOT EXISTS cases_by_queue ON cases(queue, state, priority_rank, created_at, id);
CREATE INDEX IF NOT EXISTS cases_by_order ON cases(priority_rank, created_at, id);
CREATE INDEX IF NOT EXISTS cases_by_unit ON cases(unit, priority_rank, created_at, id);
CREATE INDEX IF NOT EXISTS cases_by_patient ON cases(patient_id, created_at);
CREATE INDEX IF NOT EXISTS cases_by_lease ON cases(state, lease_expires_at);
CREATE TABLE IF NOT EXISTS case_instances (
  case_id INTEGER NOT NULL, sop_uid TEXT NOT NULL, added_at INTEGER, PRIMARY KEY (case_id, sop_uid)) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS audit (
  id INTEGER PRIMARY KEY AUTOINCREMENT, case_id INTEGER NOT NULL, at INTEGER NOT NULL,
  user TEXT NOT NULL, address TEXT NOT NULL, action TEXT NOT NULL,
  from_state TEXT NOT NULL, to_state TEXT NOT NULL, detail TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS audit_by_case ON audit(case_id, id);
CREATE TABLE IF NOT EXISTS manifests (
  study_uid TEXT PRIMARY KEY, unit TEXT NOT NULL, priority TEXT NOT NULL, instances TEXT NOT NULL,
  posted_at INTEGER NOT NULL, routed INTEGER NOT NULL DEFAULT 0, account TEXT);
CREATE TABLE IF NOT EXISTS settings (key TEXT PRIMARY KEY, value TEXT NOT NULL);
)SQL";

}  // namespace

namespace {

using sqlite::Statement;

}  // namespace

// BEGIN IMMEDIATE takes the write lock up front, so a read-then-write inside cannot be
// overtaken by another writer (the claim's atomicity rests on it). Rolls back unless committed.
class SqliteCaseStore::Transaction {
 public:
  explicit Transaction(SqliteCaseStore& store) : store_(store) { Statement(*store_.statements_, "BEGIN IMMEDIATE").run(); }
  ~Transaction() {
    if (!done_) sqlite3_exec(store_.db_, "ROLLBACK", nullptr, nullptr, nullptr);
  }
  void commit() {
    Statement(*store_.statements_, "COMMIT").run();
    done_ = true;
  }

 private:
  SqliteCaseStore& store_;
  bool done_ = false;
};

SqliteCaseStore::SqliteCaseStore(const std::string& path) : path_(path) {
  CreateDatabaseFolder(path);
  if (sqlite3_open_v2(path.c_str(), &db_, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_FULLMUTEX,
                      nullptr) != SQLITE_OK) {
    std::string message = db_ ? sqlite3_errmsg(db_) : "out of memory";
    sqlite3_close(db_);
    db_ = nullptr;
    throw std::runtime_error("cannot open the case store " + path + ": " + message);
  }
  sqlite3_busy_timeout(db_, 10000);
  try {
    exec("PRAGMA journal_mode=WAL");
    // WAL + NORMAL is durable against process crashes; a power cut may lose the last commits
    // but never corrupts the file.
    exec("PRAGMA synchronous=NORMAL");
    exec("PRAGMA foreign_keys=ON");
    exec(kSchema);
    addColumnIfMissing("case_instances", "added_at", "INTEGER");
    addColumnIfMissing("cases", "request_laterality", "TEXT NOT NULL DEFAULT ''");
    addColumnIfMissing("cases", "request_body_site_code", "TEXT NOT NULL DEFAULT ''");
    addColumnIfMissing("cases", "sender", "TEXT");
    addColumnIfMissing("manifests", "account", "TEXT");
    statements_ = std::make_unique<SqliteStatementCache>(db_);
  } catch (const std::exception& e) {
    sqlite3_close(db_);
    db_ = nullptr;
    throw std::runtime_error("cannot initialise the case store " + path + ": " + e.what());
  }
}

SqliteCaseStore::~SqliteCaseStore() {
  statements_.reset();  // sqlite3_close refuses a connection with statements left
  sqlite3_close(db_);
}

void SqliteCaseStore::exec(const char* sql) {
  char* error = nullptr;
  if (sqlite3_exec(db_, sql, nullptr, nullptr, &error) != SQLITE_OK) {
    std::string message = error ? error : "unknown error";
    sqlite3_free(error);
    throw std::runtime_error("case store: " + message);
  }
}

// Files created before a column existed get it on opening, empty (NULL) in their old rows.
// Checked and added under the write lock: two processes opening one old file must not both
// add it (the second would fail on the duplicate column).
void SqliteCaseStore::addColumnIfMissing(const char* table, const char* column, const char* type) {
  exec("BEGIN IMMEDIATE");
  try {
    addColumnIfMissingLocked(table, column, type);
    exec("COMMIT");
  } catch (...) {
    sqlite3_exec(db_, "ROLLBACK", nullptr, nullptr, nullptr);
    throw;
  }
}

void SqliteCaseStore::addColumnIfMissingLocked(const char* table, const char* column, const char* type) {
  sqlite3_stmt* info = nullptr;
  const std::string pragma = std::string("PRAGMA table_info(") + table + ")";
  if (sqlite3_prepare_v2(db_, pragma.c_str(), -1, &info, nullptr) != SQLITE_OK) {
    sqlite3_finalize(info);
    throw std::runtime_error(std::string("case store: ") + sqlite3_errmsg(db_));
  }
  bool present = false;
  while (sqlite3_step(info) == SQLITE_ROW) {
    const unsigned char* name = sqlite3_column_text(info, 1);
    if (name && std::string(reinterpret_cast<const char*>(name)) == column) present = true;
  }
  sqlite3_finalize(info);
  if (!present) exec((std::string("ALTER TABLE ") + table + " ADD COLUMN " + column + " " + type).c_str());
}

void SqliteCaseStore::auditLocked(int64_t caseId, const Actor& actor, const std::string& action,
                                  const std::string& from, const std::string& to, const std::string& detail) {
  Statement s(*statements_,
              "INSERT INTO audit (case_id, at, user, address, action, from_state, to_state, detail) "
              "VALUES (?, ?, ?, ?, ?, ?, ?, ?)");
  s.bind(1, caseId).bind(2, NowSeconds()).bind(3, actor.user).bind(4, actor.address).bind(5, action);
  s.bind(6, from).bind(7, to).bind(8, detail).run();
}

CaseStore::Created SqliteCaseStore::createCase(const NewCase& c, const Actor& actor) {
  std::lock_guard<std::mutex> lock(mutex_);
  Transaction tx(*this);
  {
    Statement existing(*statements_, std::string("SELECT ") + kCaseColumns + " FROM cases WHERE study_uid = ?");
    existing.bind(1, c.studyInstanceUid);
    if (existing.step()) return {CaseFromRow(existing), false};
  }
  const int64_t now = NowSeconds();
  Statement s(*statements_,
              "INSERT INTO cases (study_uid, orthanc_study_id, queue, state, priority, priority_rank, unit, "
              "patient_id, patient_issuer, patient_name, patient_birth_date, patient_sex, request_specialty, "
              "request_question, request_history, request_body_site, rule, created_at, updated_at, "
              "request_laterality, request_body_site_code, sender) "
              "VALUES (?, ?, ?, 'queued', ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
  s.bind(1, c.studyInstanceUid).bind(2, c.orthancStudyId).bind(3, c.queue).bind(4, c.priority);
  s.bind(5, PriorityRank(c.priority)).bind(6, c.unit);
  s.bind(7, c.patient.id).bind(8, c.patient.issuer).bind(9, c.patient.name).bind(10, c.patient.birthDate);
  s.bind(11, c.patient.sex).bind(12, c.request.specialty).bind(13, c.request.question);
  s.bind(14, c.request.history).bind(15, c.request.bodySite).bind(16, c.rule).bind(17, now).bind(18, now);
  s.bind(19, c.request.laterality).bind(20, c.request.bodySiteCode).bind(21, SenderColumn(c));
  s.run();
  const int64_t id = sqlite3_last_insert_rowid(db_);
  for (const auto& uid : c.sopInstanceUids) {
    Statement i(*statements_, "INSERT OR IGNORE INTO case_instances (case_id, sop_uid) VALUES (?, ?)");
    i.bind(1, id).bind(2, uid).run();
  }
  auditLocked(id, actor, "created", "", "queued",
              "queue " + c.queue + (c.rule.empty() ? " (no rule matched)" : " by rule " + c.rule));
  if (!c.routingNote.empty()) auditLocked(id, actor, "routed", "queued", "queued", c.routingNote);
  Case created = getLocked(id);
  tx.commit();
  return {created, true};
}

std::optional<Case> SqliteCaseStore::findLocked(int64_t id) {
  Statement s(*statements_, std::string("SELECT ") + kCaseColumns + " FROM cases WHERE id = ?");
  s.bind(1, id);
  if (!s.step()) return std::nullopt;
  return CaseFromRow(s);
}

Case SqliteCaseStore::getLocked(int64_t id) {
  auto c = findLocked(id);
  if (!c) throw NotFound("no case " + std::to_string(id));
  return *c;
}

std::optional<Case> SqliteCaseStore::find(int64_t id) {
  std::lock_guard<std::mutex> lock(mutex_);
  return findLocked(id);
}

Case SqliteCaseStore::get(int64_t id) {
  std::lock_guard<std::mutex> lock(mutex_);
  return getLocked(id);
}

std::optional<Case> SqliteCaseStore::findByStudy(const std::string& studyInstanceUid) {
  std::lock_guard<std::mutex> lock(mutex_);
  Statement s(*statements_, std::string("SELECT ") + kCaseColumns + " FROM cases WHERE study_uid = ?");
  s.bind(1, studyInstanceUid);
  if (!s.step()) return std::nullopt;
  return CaseFromRow(s);
}

std::set<std::string> SqliteCaseStore::orthancStudyIdsWithCases() {
  std::lock_guard<std::mutex> lock(mutex_);
  Statement s(*statements_, "SELECT orthanc_study_id FROM cases");
  std::set<std::string> ids;
  while (s.step()) ids.insert(s.text(0));
  return ids;
}

CasePage SqliteCaseStore::list(const CaseFilter& filter) {
  std::string where = " WHERE 1 = 1";
  std::vector<std::string> binds;
  if (filter.queue) {
    where += " AND queue = ?";
    binds.push_back(*filter.queue);
  }
  if (!filter.states.empty()) {
    where += " AND state IN (";
    for (size_t i = 0; i < filter.states.size(); ++i) {
      where += i ? ", ?" : "?";
      binds.push_back(ToString(filter.states[i]));
    }
    where += ")";
  }
  if (filter.unit) {
    where += " AND unit = ?";
    binds.push_back(*filter.unit);
  }
  if (filter.patientId) {
    where += " AND patient_id = ?";
    binds.push_back(*filter.patientId);
  }
  if (!filter.onlyQueues.empty()) {
    where += " AND queue IN (";
    for (size_t i = 0; i < filter.onlyQueues.size(); ++i) {
      where += i ? ", ?" : "?";
      binds.push_back(filter.onlyQueues[i]);
    }
    where += ")";
  }
  std::lock_guard<std::mutex> lock(mutex_);
  CasePage page;
  {
    Statement count(*statements_, "SELECT COUNT(*) FROM cases" + where);
    for (size_t i = 0; i < binds.size(); ++i) count.bind(static_cast<int>(i + 1), binds[i]);
    if (count.step()) page.total = count.integer(0);
  }
  Statement s(*statements_, std::string("SELECT ") + kCaseColumns + " FROM cases" + where +
                       " ORDER BY priority_rank, created_at, id LIMIT ? OFFSET ?");
  int n = 1;
  for (const auto& b : binds) s.bind(n++, b);
  s.bind(n, static_cast<int64_t>(filter.limit));
  s.bind(n + 1, static_cast<int64_t>(filter.offset));
  while (s.step()) page.cases.push_back(CaseFromRow(s));
  return page;
}

Case SqliteCaseStore::claimLocked(int64_t id, const Actor& actor, std::chrono::seconds lease) {
  const int64_t now = NowSeconds();
  Case c = getLocked(id);
  const bool expired = c.state == CaseState::Claimed && c.leaseExpiresAt && *c.leaseExpiresAt <= now;
  if (c.state == CaseState::Claimed && !expired && c.claimedBy == actor.user) {
    // Claiming a case one already holds renews the lease: a retried request must not fail.
    Statement s(*statements_, "UPDATE cases SET lease_expires_at = ?, updated_at = ? WHERE id = ?");
    s.bind(1, now + lease.count()).bind(2, now).bind(3, id).run();
    auditLocked(id, actor, "renew-lease", "claimed", "claimed", "");
    return getLocked(id);
  }
  if (expired) {
    NextState(c.state, CaseEvent::ExpireLease);
    auditLocked(id, Actor{"relais", ""}, ToString(CaseEvent::ExpireLease), "claimed", "queued",
                "lease of " + c.claimedBy.value_or("?") + " expired");
    c.state = CaseState::Queued;
  }
  NextState(c.state, CaseEvent::Claim);  // throws 409 with the reason
  Statement s(*statements_,
              "UPDATE cases SET state = 'claimed', claimed_by = ?, lease_expires_at = ?, updated_at = ? "
              "WHERE id = ? AND (state = 'queued' OR (state = 'claimed' AND lease_expires_at <= ?))");
  s.bind(1, actor.user).bind(2, now + lease.count()).bind(3, now).bind(4, id).bind(5, now).run();
  if (sqlite3_changes(db_) != 1) throw Conflict("case " + std::to_string(id) + " was claimed by someone else");
  auditLocked(id, actor, ToString(CaseEvent::Claim), "queued", "claimed", "");
  return getLocked(id);
}

Case SqliteCaseStore::claim(int64_t id, const Actor& actor, std::chrono::seconds lease) {
  std::lock_guard<std::mutex> lock(mutex_);
  Transaction tx(*this);
  Case c = claimLocked(id, actor, lease);
  tx.commit();
  return c;
}

std::optional<Case> SqliteCaseStore::claimNext(const std::string& queue, const Actor& actor,
                                               std::chrono::seconds lease) {
  std::lock_guard<std::mutex> lock(mutex_);
  Transaction tx(*this);
  Statement s(*statements_,
              "SELECT id FROM cases WHERE queue = ? AND state = 'queued' ORDER BY priority_rank, created_at, id "
              "LIMIT 1");
  s.bind(1, queue);
  if (!s.step()) return std::nullopt;
  Case c = claimLocked(s.integer(0), actor, lease);
  tx.commit();
  return c;
}

Case SqliteCaseStore::transition(int64_t id, CaseEvent event, const Actor& actor, const TransitionOptions& options) {
  if (event == CaseEvent::Claim) throw std::logic_error("use CaseStore::claim to claim a case");
  std::lock_guard<std::mutex> lock(mutex_);
  Transaction tx(*this);
  Case c = getLocked(id);
  if (options.holderOnly && c.state == CaseState::Claimed && c.claimedBy != actor.user) {
    throw Forbidden("case " + std::to_string(id) + " is held by " + c.claimedBy.value_or("nobody"));
  }
  const CaseState to = NextState(c.state, event);
  const TransitionEffect effect = EffectOf(event, options);
  const int64_t now = NowSeconds();
  std::string sql = "UPDATE cases SET state = ?1, updated_at = ?2";
  if (effect.releasesClaim) sql += ", claimed_by = NULL, lease_expires_at = NULL";
  if (effect.endsLease) sql += ", lease_expires_at = NULL";
  if (effect.stampsReport) sql += ", reported_at = COALESCE(reported_at, ?3)";
  if (effect.newQueue) sql += ", queue = ?4";
  if (effect.newAssignee) sql += ", assigned_to = ?5";
  sql += " WHERE id = ?6 AND state = ?7";
  Statement s(*statements_, sql);
  s.bind(1, ToString(to)).bind(2, now).bind(3, now);
  s.bind(4, effect.newQueue).bind(5, effect.newAssignee).bind(6, id).bind(7, ToString(c.state));
  s.run();
  if (sqlite3_changes(db_) != 1) throw Conflict("case " + std::to_string(id) + " changed meanwhile, try again");
  auditLocked(id, actor, ToString(event), ToString(c.state), ToString(to), effect.auditDetail);
  Case after = getLocked(id);
  tx.commit();
  return after;
}

int SqliteCaseStore::expireLeases(int64_t now) {
  std::lock_guard<std::mutex> lock(mutex_);
  Transaction tx(*this);
  std::vector<std::pair<int64_t, std::string>> expired;
  {
    Statement s(*statements_, "SELECT id, claimed_by FROM cases WHERE state = 'claimed' AND lease_expires_at <= ?");
    s.bind(1, now);
    while (s.step()) expired.emplace_back(s.integer(0), s.text(1));
  }
  for (const auto& [id, holder] : expired) {
    Statement u(*statements_,
                "UPDATE cases SET state = 'queued', claimed_by = NULL, lease_expires_at = NULL, updated_at = ? "
                "WHERE id = ?");
    u.bind(1, now).bind(2, id).run();
    auditLocked(id, Actor{"relais", ""}, ToString(CaseEvent::ExpireLease), "claimed", "queued",
                "lease of " + holder + " expired");
  }
  tx.commit();
  return static_cast<int>(expired.size());
}

std::vector<std::string> SqliteCaseStore::knownInstances(int64_t caseId) {
  std::lock_guard<std::mutex> lock(mutex_);
  Statement s(*statements_, "SELECT sop_uid FROM case_instances WHERE case_id = ?");
  s.bind(1, caseId);
  std::vector<std::string> out;
  while (s.step()) out.push_back(s.text(0));
  return out;
}

Case SqliteCaseStore::attachInstances(int64_t caseId, const std::vector<std::string>& sopInstanceUids,
                                      bool fromSender, const Actor& actor) {
  std::lock_guard<std::mutex> lock(mutex_);
  Transaction tx(*this);
  Case c = getLocked(caseId);
  const int64_t now = NowSeconds();
  int added = 0;
  for (const auto& uid : sopInstanceUids) {
    Statement i(*statements_, "INSERT OR IGNORE INTO case_instances (case_id, sop_uid, added_at) VALUES (?, ?, ?)");
    i.bind(1, caseId).bind(2, uid).bind(3, now).run();
    added += sqlite3_changes(db_);
  }
  if (added > 0 && fromSender) {
    Statement u(*statements_, "UPDATE cases SET new_images = 1, updated_at = ? WHERE id = ?");
    u.bind(1, now).bind(2, caseId).run();
    auditLocked(caseId, actor, "images-added", ToString(c.state), ToString(c.state),
                std::to_string(added) + " new instance(s)");
    if (c.state == CaseState::InfoRequested) {
      NextState(c.state, CaseEvent::AnswerInfo);
      Statement a(*statements_,
                  "UPDATE cases SET state = 'queued', claimed_by = NULL, lease_expires_at = NULL WHERE id = ?");
      a.bind(1, caseId).run();
      auditLocked(caseId, actor, ToString(CaseEvent::AnswerInfo), "info-requested", "queued",
                  "the unit added images");
    }
  }
  Case after = getLocked(caseId);
  tx.commit();
  return after;
}

void SqliteCaseStore::clearNewImages(int64_t caseId) {
  std::lock_guard<std::mutex> lock(mutex_);
  Statement u(*statements_, "UPDATE cases SET new_images = 0 WHERE id = ?");
  u.bind(1, caseId).run();
}

std::map<std::string, int64_t> SqliteCaseStore::lateInstances(int64_t caseId) {
  std::lock_guard<std::mutex> lock(mutex_);
  Statement s(*statements_, "SELECT sop_uid, added_at FROM case_instances WHERE case_id = ? AND added_at IS NOT NULL");
  s.bind(1, caseId);
  std::map<std::string, int64_t> out;
  while (s.step()) out[s.text(0)] = s.integer(1);
  return out;
}

void SqliteCaseStore::audit(int64_t caseId, const Actor& actor, const std::string& action, const std::string& detail) {
  std::lock_guard<std::mutex> lock(mutex_);
  Case c = getLocked(caseId);
  auditLocked(caseId, actor, action, ToString(c.state), ToString(c.state), detail);
}

std::vector<AuditEntry> SqliteCaseStore::auditTrail(int64_t caseId) {
  std::lock_guard<std::mutex> lock(mutex_);
  getLocked(caseId);
  Statement s(*statements_,
              "SELECT id, case_id, at, user, address, action, from_state, to_state, detail FROM audit "
              "WHERE case_id = ? ORDER BY id");
  s.bind(1, caseId);
  std::vector<AuditEntry> out;
  while (s.step()) {
    out.push_back(AuditEntry{s.integer(0), s.integer(1), s.integer(2), s.text(3), s.text(4), s.text(5), s.text(6),
                             s.text(7), s.text(8)});
  }
  return out;
}

std::vector<QueueSummary> SqliteCaseStore::queues() {
  std::lock_guard<std::mutex> lock(mutex_);
  std::map<std::string, QueueSummary> byQueue;
  for (const auto& q : KnownQueues()) byQueue[q].queue = q;
  Statement s(*statements_,
              "SELECT queue, state, COUNT(*), MIN(created_at), SUM(priority = 'urgent') FROM cases "
              "GROUP BY queue, state");
  while (s.step()) {
    QueueSummary& q = byQueue[s.text(0)];
    q.queue = s.text(0);
    q.byState[s.text(1)] = s.integer(2);
    if (s.text(1) == "queued") {
      q.waiting = s.integer(2);
      q.oldestWaitingSince = s.integer(3);
      q.urgent = s.integer(4);
    }
  }
  std::vector<QueueSummary> out;
  for (auto& [name, q] : byQueue) out.push_back(std::move(q));
  return out;
}

StoreStatistics SqliteCaseStore::statistics() {
  std::lock_guard<std::mutex> lock(mutex_);
  StoreStatistics st;
  auto group = [&](const char* column, std::map<std::string, int64_t>& into) {
    Statement s(*statements_, std::string("SELECT ") + column + ", COUNT(*) FROM cases GROUP BY " + column);
    while (s.step()) into[s.text(0)] = s.integer(1);
  };
  group("queue", st.byQueue);
  group("unit", st.byUnit);
  group("state", st.byState);
  Statement t(*statements_, "SELECT reported_at - created_at FROM cases WHERE reported_at IS NOT NULL");
  while (t.step()) st.turnaroundSeconds.push_back(t.integer(0));
  return st;
}

void SqliteCaseStore::saveManifest(const Manifest& m) {
  std::lock_guard<std::mutex> lock(mutex_);
  Statement s(*statements_,
              "INSERT INTO manifests (study_uid, unit, priority, instances, posted_at, routed, account) "
              "VALUES (?, ?, ?, ?, ?, ?, ?) "
              "ON CONFLICT(study_uid) DO UPDATE SET unit = excluded.unit, priority = excluded.priority, "
              "account = excluded.account, "
              "instances = excluded.instances, posted_at = excluded.posted_at, routed = MAX(routed, excluded.routed)");
  s.bind(1, m.studyInstanceUid).bind(2, m.unit).bind(3, m.priority);
  s.bind(4, ManifestInstancesColumn(m)).bind(5, m.postedAt).bind(6, int64_t(m.routed ? 1 : 0)).bind(7, m.account).run();
}


std::optional<Manifest> SqliteCaseStore::manifest(const std::string& studyInstanceUid) {
  std::lock_guard<std::mutex> lock(mutex_);
  Statement s(*statements_, std::string("SELECT ") + kManifestColumns + " FROM manifests WHERE study_uid = ?");
  s.bind(1, studyInstanceUid);
  if (!s.step()) return std::nullopt;
  return ManifestFromRow(s);
}

std::vector<Manifest> SqliteCaseStore::pendingManifests() {
  std::lock_guard<std::mutex> lock(mutex_);
  Statement s(*statements_, std::string("SELECT ") + kManifestColumns + " FROM manifests WHERE routed = 0");
  std::vector<Manifest> out;
  while (s.step()) out.push_back(ManifestFromRow(s));
  return out;
}

void SqliteCaseStore::markManifestRouted(const std::string& studyInstanceUid) {
  std::lock_guard<std::mutex> lock(mutex_);
  Statement s(*statements_, "UPDATE manifests SET routed = 1 WHERE study_uid = ?");
  s.bind(1, studyInstanceUid).run();
}

std::optional<std::string> SqliteCaseStore::setting(const std::string& key) {
  std::lock_guard<std::mutex> lock(mutex_);
  Statement s(*statements_, "SELECT value FROM settings WHERE key = ?");
  s.bind(1, key);
  if (!s.step()) return std::nullopt;
  return s.text(0);
}

void SqliteCaseStore::setSetting(const std::string& key, const std::string& value) {
  std::lock_guard<std::mutex> lock(mutex_);
  Statement s(*statements_, "INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value");
  s.bind(1, key).bind(2, value).run();
}

void SqliteCaseStore::raiseSetting(const std::string& key, int64_t value) {
  std::lock_guard<std::mutex> lock(mutex_);
  Statement s(*statements_,
              "INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value "
              "WHERE CAST(settings.value AS INTEGER) < CAST(excluded.value AS INTEGER)");
  s.bind(1, key).bind(2, std::to_string(value)).run();
}

}  // namespace relais
