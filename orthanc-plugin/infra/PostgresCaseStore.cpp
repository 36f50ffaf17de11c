#include "infra/PostgresCaseStore.h"

#include <stdexcept>
#include <utility>
#include <vector>

#include "domain/HttpError.h"
#include "domain/User.h"
#include "infra/CaseRows.h"
#include "infra/PostgresConnection.h"

namespace relais {

namespace {

// The SQLite store's schema in PostgreSQL types. "user" is a reserved word here, hence quoted.
const char* kSchema = R"SQL(
CREATE TABLE IF NOT EXISTS cases (
  id BIGSERIAL PRIMARY KEY,
  study_uid TEXT NOT NULL UNIQUE,
  orthanc_study_id TEXT NOT NULL,
  queue TEXT NOT NULL,
  state TEXT NOT NULL,
  priority TEXT NOT NULL,
  priority_rank BIGINT NOT NULL,
  unit TEXT NOT NULL,
  patient_id TEXT NOT NULL, patient_issuer TEXT NOT NULL, patient_name TEXT NOT NULL,
  patient_birth_date TEXT NOT NULL, patient_sex TEXT NOT NULL,
  request_specialty TEXT NOT NULL, request_question TEXT NOT NULL, request_history TEXT NOT NULL,
  request_body_site TEXT NOT NULL,
  rule TEXT NOT NULL,
  claimed_by TEXT, lease_expires_at BIGINT, assigned_to TEXT,
  created_at BIGINT NOT NULL, updated_at BIGINT NOT NULL, reported_at BIGINT,
  new_images BIGINT NOT NULL DEFAULT 0);
CREATE INDEX IF NOT EXISTS cases_by_queue ON cases(queue, state, priority_rank, created_at, id);
CREATE INDEX IF NOT EXISTS cases_by_order ON cases(priority_rank, created_at, id);
CREATE INDEX IF NOT EXISTS cases_by_unit ON cases(unit, priority_rank, created_at, id);
CREATE INDEX IF NOT EXISTS cases_by_patient ON cases(patient_id, created_at);
CREATE INDEX IF NOT EXISTS cases_by_lease ON cases(state, lease_expires_at);
CREATE TABLE IF NOT EXISTS case_instances (
  case_id BIGINT NOT NULL, sop_uid TEXT NOT NULL, PRIMARY KEY (case_id, sop_uid));
ALTER TABLE case_instances ADD COLUMN IF NOT EXISTS added_at BIGINT;
ALTER TABLE cases ADD COLUMN IF NOT EXISTS request_laterality TEXT NOT NULL DEFAULT '';
ALTER TABLE cases ADD COLUMN IF NOT EXISTS request_body_site_code TEXT NOT NULL DEFAULT '';
CREATE TABLE IF NOT EXISTS audit (
  id BIGSERIAL PRIMARY KEY, case_id BIGINT NOT NULL, at BIGINT NOT NULL,
  "user" TEXT NOT NULL, address TEXT NOT NULL, action TEXT NOT NULL,
  from_state TEXT NOT NULL, to_state TEXT NOT NULL, detail TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS audit_by_case ON audit(case_id, id);
CREATE TABLE IF NOT EXISTS manifests (
  study_uid TEXT PRIMARY KEY, unit TEXT NOT NULL, priority TEXT NOT NULL, instances TEXT NOT NULL,
  posted_at BIGINT NOT NULL, routed BIGINT NOT NULL DEFAULT 0);
CREATE TABLE IF NOT EXISTS settings (key TEXT PRIMARY KEY, value TEXT NOT NULL);
ALTER TABLE cases ADD COLUMN IF NOT EXISTS sender TEXT;
ALTER TABLE manifests ADD COLUMN IF NOT EXISTS account TEXT;
)SQL";

Case ReadCase(const PostgresResult& r, int row) { return CaseFromRow(PostgresRow{r, row}); }
Manifest ReadManifest(const PostgresResult& r, int row) { return ManifestFromRow(PostgresRow{r, row}); }

}  // namespace

PostgresCaseStore::PostgresCaseStore(const std::string& connectionString)
    : db_(std::make_unique<PostgresConnection>(connectionString)) {
  try {
    db_->createSchema(kSchema);
  } catch (const std::exception& e) {
    throw std::runtime_error("cannot initialise the case store at " + db_->target() + ": " + e.what());
  }
}

PostgresCaseStore::~PostgresCaseStore() = default;

void PostgresCaseStore::auditLocked(int64_t caseId, const Actor& actor, const std::string& action,
                                    const std::string& from, const std::string& to, const std::string& detail) {
  db_->exec("INSERT INTO audit (case_id, at, \"user\", address, action, from_state, to_state, detail) "
            "VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
            {caseId, NowSeconds(), actor.user, actor.address, action, from, to, detail});
}

CaseStore::Created PostgresCaseStore::createCase(const NewCase& c, const Actor& actor) {
  std::lock_guard<std::mutex> lock(mutex_);
  PostgresTransaction tx(*db_);
  // Re-routing a study that already has its case is the common call: answered by a read, it
  // does not spend a value of the id sequence the way a refused INSERT does.
  if (auto existing = findByStudyLocked(c.studyInstanceUid)) {
    tx.commit();
    return {*existing, false};
  }
  const int64_t now = NowSeconds();
  // A concurrent insert of the same study (another thread or node) makes this one wait for it
  // and then do nothing: the case then exists, committed, and is read back below.
  const PostgresResult inserted = db_->exec(
      "INSERT INTO cases (study_uid, orthanc_study_id, queue, state, priority, priority_rank, unit, "
      "patient_id, patient_issuer, patient_name, patient_birth_date, patient_sex, request_specialty, "
      "request_question, request_history, request_body_site, rule, created_at, updated_at, request_laterality, "
      "request_body_site_code, sender) "
      "VALUES ($1, $2, $3, 'queued', $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20, $21) "
      "ON CONFLICT (study_uid) DO NOTHING RETURNING id",
      {c.studyInstanceUid, c.orthancStudyId, c.queue, c.priority, PriorityRank(c.priority), c.unit, c.patient.id,
       c.patient.issuer, c.patient.name, c.patient.birthDate, c.patient.sex, c.request.specialty, c.request.question,
       c.request.history, c.request.bodySite, c.rule, now, now, c.request.laterality, c.request.bodySiteCode,
       SenderColumn(c)});
  if (inserted.rows() == 0) {
    auto existing = findByStudyLocked(c.studyInstanceUid);
    if (!existing) {
      throw std::runtime_error("case store: the case of study " + c.studyInstanceUid + " vanished while created");
    }
    tx.commit();
    return {*existing, false};
  }
  const int64_t id = inserted.integer(0, 0);
  for (const auto& uid : c.sopInstanceUids) {
    db_->exec("INSERT INTO case_instances (case_id, sop_uid) VALUES ($1, $2) ON CONFLICT DO NOTHING", {id, uid});
  }
  auditLocked(id, actor, "created", "", "queued",
              "queue " + c.queue + (c.rule.empty() ? " (no rule matched)" : " by rule " + c.rule));
  if (!c.routingNote.empty()) auditLocked(id, actor, "routed", "queued", "queued", c.routingNote);
  Case created = getLocked(id);
  tx.commit();
  return {created, true};
}

std::optional<Case> PostgresCaseStore::findLocked(int64_t id, RowLock rowLock) {
  const PostgresResult r = db_->exec(
      std::string("SELECT ") + kCaseColumns + " FROM cases WHERE id = $1" + (rowLock == RowLock::ForUpdate ? " FOR UPDATE" : ""),
      {id});
  if (r.rows() == 0) return std::nullopt;
  return ReadCase(r, 0);
}

Case PostgresCaseStore::getLocked(int64_t id, RowLock rowLock) {
  auto c = findLocked(id, rowLock);
  if (!c) throw NotFound("no case " + std::to_string(id));
  return *c;
}

std::optional<Case> PostgresCaseStore::find(int64_t id) {
  std::lock_guard<std::mutex> lock(mutex_);
  return findLocked(id);
}

Case PostgresCaseStore::get(int64_t id) {
  std::lock_guard<std::mutex> lock(mutex_);
  return getLocked(id);
}

std::optional<Case> PostgresCaseStore::findByStudyLocked(const std::string& studyInstanceUid) {
  const PostgresResult r = db_->exec(std::string("SELECT ") + kCaseColumns + " FROM cases WHERE study_uid = $1", {studyInstanceUid});
  if (r.rows() == 0) return std::nullopt;
  return ReadCase(r, 0);
}

std::optional<Case> PostgresCaseStore::findByStudy(const std::string& studyInstanceUid) {
  std::lock_guard<std::mutex> lock(mutex_);
  return findByStudyLocked(studyInstanceUid);
}

std::set<std::string> PostgresCaseStore::orthancStudyIdsWithCases() {
  std::lock_guard<std::mutex> lock(mutex_);
  const PostgresResult r = db_->exec("SELECT orthanc_study_id FROM cases");
  std::set<std::string> ids;
  for (int row = 0; row < r.rows(); ++row) ids.insert(r.text(row, 0));
  return ids;
}

CasePage PostgresCaseStore::list(const CaseFilter& filter) {
  PostgresParams p;
  std::string where = " WHERE 1 = 1";
  if (filter.queue) where += " AND queue = " + p.add(*filter.queue);
  if (!filter.states.empty()) {
    where += " AND state IN (";
    for (size_t i = 0; i < filter.states.size(); ++i) where += (i ? ", " : "") + p.add(ToString(filter.states[i]));
    where += ")";
  }
  if (filter.unit) where += " AND unit = " + p.add(*filter.unit);
  if (filter.patientId) where += " AND patient_id = " + p.add(*filter.patientId);
  if (!filter.onlyQueues.empty()) {
    where += " AND queue IN (";
    for (size_t i = 0; i < filter.onlyQueues.size(); ++i) {
      if (i > 0) where += ", ";
      where += p.add(filter.onlyQueues[i]);
    }
    where += ")";
  }
  std::lock_guard<std::mutex> lock(mutex_);
  CasePage page;
  const PostgresResult count = db_->exec("SELECT COUNT(*) FROM cases" + where, p);
  if (count.rows() > 0) page.total = count.integer(0, 0);
  PostgresParams pageParams = p;
  std::string sql = std::string("SELECT ") + kCaseColumns + " FROM cases" + where + " ORDER BY priority_rank, created_at, id";
  sql += " LIMIT " + pageParams.add(filter.limit);
  sql += " OFFSET " + pageParams.add(filter.offset);
  const PostgresResult r = db_->exec(sql, pageParams);
  for (int row = 0; row < r.rows(); ++row) page.cases.push_back(ReadCase(r, row));
  return page;
}

Case PostgresCaseStore::claimLocked(int64_t id, const Actor& actor, std::chrono::seconds lease) {
  const int64_t now = NowSeconds();
  // The row lock makes a second claimer wait for the first to commit, then read its claim.
  Case c = getLocked(id, RowLock::ForUpdate);
  const bool expired = c.state == CaseState::Claimed && c.leaseExpiresAt && *c.leaseExpiresAt <= now;
  if (c.state == CaseState::Claimed && !expired && c.claimedBy == actor.user) {
    // Claiming a case one already holds renews the lease: a retried request must not fail.
    const PostgresResult renewed =
        db_->exec("UPDATE cases SET lease_expires_at = $1, updated_at = $2 "
                  "WHERE id = $3 AND state = 'claimed' AND claimed_by = $4",
                  {now + lease.count(), now, id, actor.user});
    if (renewed.affectedRows() != 1) {
      throw Conflict("case " + std::to_string(id) + " changed meanwhile, try again");
    }
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
  const PostgresResult claimed =
      db_->exec("UPDATE cases SET state = 'claimed', claimed_by = $1, lease_expires_at = $2, updated_at = $3 "
                "WHERE id = $4 AND (state = 'queued' OR (state = 'claimed' AND lease_expires_at <= $3))",
                {actor.user, now + lease.count(), now, id});
  if (claimed.affectedRows() != 1) {
    throw Conflict("case " + std::to_string(id) + " was claimed by someone else");
  }
  auditLocked(id, actor, ToString(CaseEvent::Claim), "queued", "claimed", "");
  return getLocked(id);
}

Case PostgresCaseStore::claim(int64_t id, const Actor& actor, std::chrono::seconds lease) {
  std::lock_guard<std::mutex> lock(mutex_);
  PostgresTransaction tx(*db_);
  Case c = claimLocked(id, actor, lease);
  tx.commit();
  return c;
}

std::optional<Case> PostgresCaseStore::claimNext(const std::string& queue, const Actor& actor,
                                                 std::chrono::seconds lease) {
  std::lock_guard<std::mutex> lock(mutex_);
  PostgresTransaction tx(*db_);
  // SKIP LOCKED: a case another node is claiming right now is passed over, not waited for,
  // so concurrent claimers each take a different case instead of queueing on the first one.
  const PostgresResult next = db_->exec(
      "SELECT id FROM cases WHERE queue = $1 AND state = 'queued' ORDER BY priority_rank, created_at, id "
      "LIMIT 1 FOR UPDATE SKIP LOCKED",
      {queue});
  if (next.rows() == 0) return std::nullopt;
  Case c = claimLocked(next.integer(0, 0), actor, lease);
  tx.commit();
  return c;
}

Case PostgresCaseStore::transition(int64_t id, CaseEvent event, const Actor& actor, const TransitionOptions& options) {
  if (event == CaseEvent::Claim) throw std::logic_error("use CaseStore::claim to claim a case");
  std::lock_guard<std::mutex> lock(mutex_);
  PostgresTransaction tx(*db_);
  // Locked so the holder checked below is still the holder when the update lands.
  Case c = getLocked(id, RowLock::ForUpdate);
  if (options.holderOnly && c.state == CaseState::Claimed && c.claimedBy != actor.user) {
    throw Forbidden("case " + std::to_string(id) + " is held by " + c.claimedBy.value_or("nobody"));
  }
  const CaseState to = NextState(c.state, event);
  const TransitionEffect effect = EffectOf(event, options);
  const int64_t now = NowSeconds();
  PostgresParams p;
  std::string sql = "UPDATE cases SET state = " + p.add(ToString(to));
  sql += ", updated_at = " + p.add(now);
  if (effect.releasesClaim) sql += ", claimed_by = NULL, lease_expires_at = NULL";
  if (effect.endsLease) sql += ", lease_expires_at = NULL";
  if (effect.stampsReport) sql += ", reported_at = COALESCE(reported_at, " + p.add(now) + ")";
  if (effect.newQueue) sql += ", queue = " + p.add(*effect.newQueue);
  if (effect.newAssignee) sql += ", assigned_to = " + p.add(*effect.newAssignee);
  sql += " WHERE id = " + p.add(id);
  sql += " AND state = " + p.add(ToString(c.state));
  if (db_->exec(sql, p).affectedRows() != 1) {
    throw Conflict("case " + std::to_string(id) + " changed meanwhile, try again");
  }
  auditLocked(id, actor, ToString(event), ToString(c.state), ToString(to), effect.auditDetail);
  Case after = getLocked(id);
  tx.commit();
  return after;
}

int PostgresCaseStore::expireLeases(int64_t now) {
  std::lock_guard<std::mutex> lock(mutex_);
  PostgresTransaction tx(*db_);
  // Another node sweeping at the same moment holds the rows it is expiring: skipped here,
  // and each update below is conditional anyway, so a lease is expired (and audited) once.
  const PostgresResult due = db_->exec(
      "SELECT id, claimed_by FROM cases WHERE state = 'claimed' AND lease_expires_at <= $1 "
      "ORDER BY id FOR UPDATE SKIP LOCKED",
      {now});
  int expired = 0;
  for (int row = 0; row < due.rows(); ++row) {
    const int64_t id = due.integer(row, 0);
    const PostgresResult requeued =
        db_->exec("UPDATE cases SET state = 'queued', claimed_by = NULL, lease_expires_at = NULL, updated_at = $1 "
                  "WHERE id = $2 AND state = 'claimed' AND lease_expires_at <= $1",
                  {now, id});
    if (requeued.affectedRows() != 1) continue;
    auditLocked(id, Actor{"relais", ""}, ToString(CaseEvent::ExpireLease), "claimed", "queued",
                "lease of " + due.text(row, 1) + " expired");
    ++expired;
  }
  tx.commit();
  return expired;
}

std::vector<std::string> PostgresCaseStore::knownInstances(int64_t caseId) {
  std::lock_guard<std::mutex> lock(mutex_);
  const PostgresResult r = db_->exec("SELECT sop_uid FROM case_instances WHERE case_id = $1", {caseId});
  std::vector<std::string> out;
  for (int row = 0; row < r.rows(); ++row) out.push_back(r.text(row, 0));
  return out;
}

Case PostgresCaseStore::attachInstances(int64_t caseId, const std::vector<std::string>& sopInstanceUids,
                                        bool fromSender, const Actor& actor) {
  std::lock_guard<std::mutex> lock(mutex_);
  PostgresTransaction tx(*db_);
  Case c = getLocked(caseId, RowLock::ForUpdate);
  const int64_t now = NowSeconds();
  int64_t added = 0;
  for (const auto& uid : sopInstanceUids) {
    added += db_->exec("INSERT INTO case_instances (case_id, sop_uid, added_at) VALUES ($1, $2, $3) "
                       "ON CONFLICT DO NOTHING",
                       {caseId, uid, now})
                 .affectedRows();
  }
  if (added > 0 && fromSender) {
    db_->exec("UPDATE cases SET new_images = 1, updated_at = $1 WHERE id = $2", {now, caseId});
    auditLocked(caseId, actor, "images-added", ToString(c.state), ToString(c.state),
                std::to_string(added) + " new instance(s)");
    if (c.state == CaseState::InfoRequested) {
      NextState(c.state, CaseEvent::AnswerInfo);
      db_->exec("UPDATE cases SET state = 'queued', claimed_by = NULL, lease_expires_at = NULL WHERE id = $1",
                {caseId});
      auditLocked(caseId, actor, ToString(CaseEvent::AnswerInfo), "info-requested", "queued",
                  "the unit added images");
    }
  }
  Case after = getLocked(caseId);
  tx.commit();
  return after;
}

void PostgresCaseStore::clearNewImages(int64_t caseId) {
  std::lock_guard<std::mutex> lock(mutex_);
  db_->exec("UPDATE cases SET new_images = 0 WHERE id = $1", {caseId});
}

std::map<std::string, int64_t> PostgresCaseStore::lateInstances(int64_t caseId) {
  std::lock_guard<std::mutex> lock(mutex_);
  const PostgresResult r =
      db_->exec("SELECT sop_uid, added_at FROM case_instances WHERE case_id = $1 AND added_at IS NOT NULL", {caseId});
  std::map<std::string, int64_t> out;
  for (int row = 0; row < r.rows(); ++row) out[r.text(row, 0)] = r.integer(row, 1);
  return out;
}

void PostgresCaseStore::audit(int64_t caseId, const Actor& actor, const std::string& action,
                              const std::string& detail) {
  std::lock_guard<std::mutex> lock(mutex_);
  // In a transaction: an audit row must not be sent twice by the reconnect-and-retry path.
  PostgresTransaction tx(*db_);
  Case c = getLocked(caseId);
  auditLocked(caseId, actor, action, ToString(c.state), ToString(c.state), detail);
  tx.commit();
}

std::vector<AuditEntry> PostgresCaseStore::auditTrail(int64_t caseId) {
  std::lock_guard<std::mutex> lock(mutex_);
  getLocked(caseId);
  const PostgresResult r = db_->exec(
      "SELECT id, case_id, at, \"user\", address, action, from_state, to_state, detail FROM audit "
      "WHERE case_id = $1 ORDER BY id",
      {caseId});
  std::vector<AuditEntry> out;
  for (int row = 0; row < r.rows(); ++row) {
    out.push_back(AuditEntry{r.integer(row, 0), r.integer(row, 1), r.integer(row, 2), r.text(row, 3), r.text(row, 4),
                             r.text(row, 5), r.text(row, 6), r.text(row, 7), r.text(row, 8)});
  }
  return out;
}

std::vector<QueueSummary> PostgresCaseStore::queues() {
  std::lock_guard<std::mutex> lock(mutex_);
  std::map<std::string, QueueSummary> byQueue;
  for (const auto& q : KnownQueues()) byQueue[q].queue = q;
  const PostgresResult r = db_->exec(
      "SELECT queue, state, COUNT(*), MIN(created_at), COUNT(*) FILTER (WHERE priority = 'urgent') FROM cases "
      "GROUP BY queue, state");
  for (int row = 0; row < r.rows(); ++row) {
    QueueSummary& q = byQueue[r.text(row, 0)];
    q.queue = r.text(row, 0);
    q.byState[r.text(row, 1)] = r.integer(row, 2);
    if (r.text(row, 1) == "queued") {
      q.waiting = r.integer(row, 2);
      q.oldestWaitingSince = r.integer(row, 3);
      q.urgent = r.integer(row, 4);
    }
  }
  std::vector<QueueSummary> out;
  for (auto& [name, q] : byQueue) out.push_back(std::move(q));
  return out;
}

StoreStatistics PostgresCaseStore::statistics() {
  std::lock_guard<std::mutex> lock(mutex_);
  StoreStatistics st;
  auto group = [&](const std::string& column, std::map<std::string, int64_t>& into) {
    const PostgresResult r = db_->exec("SELECT " + column + ", COUNT(*) FROM cases GROUP BY " + column);
    for (int row = 0; row < r.rows(); ++row) into[r.text(row, 0)] = r.integer(row, 1);
  };
  group("queue", st.byQueue);
  group("unit", st.byUnit);
  group("state", st.byState);
  const PostgresResult t = db_->exec("SELECT reported_at - created_at FROM cases WHERE reported_at IS NOT NULL");
  for (int row = 0; row < t.rows(); ++row) st.turnaroundSeconds.push_back(t.integer(row, 0));
  return st;
}

void PostgresCaseStore::saveManifest(const Manifest& m) {
  std::lock_guard<std::mutex> lock(mutex_);
  db_->exec(std::string("INSERT INTO manifests (") + kManifestColumns + ") VALUES ($1, $2, $3, $4, $5, $6, $7) "
            "ON CONFLICT (study_uid) DO UPDATE SET unit = excluded.unit, priority = excluded.priority, "
            "account = excluded.account, "
            "instances = excluded.instances, posted_at = excluded.posted_at, "
            "routed = GREATEST(manifests.routed, excluded.routed)",
            {m.studyInstanceUid, m.unit, m.priority, ManifestInstancesColumn(m), m.postedAt,
             m.routed ? 1 : 0, m.account});
}

std::optional<Manifest> PostgresCaseStore::manifest(const std::string& studyInstanceUid) {
  std::lock_guard<std::mutex> lock(mutex_);
  const PostgresResult r =
      db_->exec(std::string("SELECT ") + kManifestColumns + " FROM manifests WHERE study_uid = $1", {studyInstanceUid});
  if (r.rows() == 0) return std::nullopt;
  return ReadManifest(r, 0);
}

std::vector<Manifest> PostgresCaseStore::pendingManifests() {
  std::lock_guard<std::mutex> lock(mutex_);
  const PostgresResult r = db_->exec(std::string("SELECT ") + kManifestColumns + " FROM manifests WHERE routed = 0");
  std::vector<Manifest> out;
  for (int row = 0; row < r.rows(); ++row) out.push_back(ReadManifest(r, row));
  return out;
}

void PostgresCaseStore::markManifestRouted(const std::string& studyInstanceUid) {
  std::lock_guard<std::mutex> lock(mutex_);
  db_->exec("UPDATE manifests SET routed = 1 WHERE study_uid = $1", {studyInstanceUid});
}

std::optional<std::string> PostgresCaseStore::setting(const std::string& key) {
  std::lock_guard<std::mutex> lock(mutex_);
  const PostgresResult r = db_->exec("SELECT value FROM settings WHERE key = $1", {key});
  if (r.rows() == 0) return std::nullopt;
  return r.text(0, 0);
}

void PostgresCaseStore::setSetting(const std::string& key, const std::string& value) {
  std::lock_guard<std::mutex> lock(mutex_);
  db_->exec("INSERT INTO settings (key, value) VALUES ($1, $2) ON CONFLICT (key) DO UPDATE SET value = excluded.value",
            {key, value});
}

void PostgresCaseStore::raiseSetting(const std::string& key, int64_t value) {
  std::lock_guard<std::mutex> lock(mutex_);
  // The row lock ON CONFLICT takes makes the comparison and the update one step between nodes.
  db_->exec("INSERT INTO settings (key, value) VALUES ($1, $2) ON CONFLICT (key) DO UPDATE SET value = excluded.value "
            "WHERE settings.value::bigint < excluded.value::bigint",
            {key, std::to_string(value)});
}

}  // namespace relais
