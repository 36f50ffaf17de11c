#include "infra/PostgresUploadStore.h"

#include <stdexcept>

#include "infra/PostgresConnection.h"
#include "infra/UploadRows.h"

namespace relais {

namespace {

const char* kSchema = R"SQL(
CREATE TABLE IF NOT EXISTS uploads (
  id BIGSERIAL PRIMARY KEY,
  unit TEXT NOT NULL, sop_uid TEXT NOT NULL,
  size BIGINT NOT NULL, sha256 TEXT NOT NULL,
  committed BIGINT NOT NULL DEFAULT 0,
  state TEXT NOT NULL,
  orthanc_id TEXT NOT NULL DEFAULT '', store_status TEXT NOT NULL DEFAULT '',
  created_at BIGINT NOT NULL, touched_at BIGINT NOT NULL,
  UNIQUE (unit, sop_uid));
CREATE INDEX IF NOT EXISTS uploads_by_touch ON uploads(touched_at);
CREATE TABLE IF NOT EXISTS uploaded_instances (
  sop_uid TEXT PRIMARY KEY, unit TEXT NOT NULL, received_at BIGINT NOT NULL);
)SQL";

}  // namespace

PostgresUploadStore::PostgresUploadStore(const std::string& connectionString)
    : db_(std::make_unique<PostgresConnection>(connectionString)) {
  try {
    db_->createSchema(kSchema);
  } catch (const std::exception& e) {
    throw std::runtime_error("cannot initialise the upload store at " + db_->target() + ": " + e.what());
  }
}

PostgresUploadStore::~PostgresUploadStore() = default;

std::optional<UploadSession> PostgresUploadStore::findLocked(const std::string& unit, const std::string& sopInstanceUid) {
  const PostgresResult r =
      db_->exec(std::string("SELECT ") + kUploadColumns + " FROM uploads WHERE unit = $1 AND sop_uid = $2",
                {unit, sopInstanceUid});
  if (r.rows() == 0) return std::nullopt;
  return UploadFromRow(PostgresRow{r, 0});
}

UploadStore::Opened PostgresUploadStore::open(const std::string& unit, const std::string& sopInstanceUid, int64_t size,
                                              const std::string& sha256, int64_t now) {
  std::lock_guard<std::mutex> lock(mutex_);
  const PostgresResult inserted = db_->exec(
      "INSERT INTO uploads (unit, sop_uid, size, sha256, committed, state, created_at, touched_at) "
      "VALUES ($1, $2, $3, $4, 0, 'receiving', $5, $6) ON CONFLICT (unit, sop_uid) DO NOTHING",
      {unit, sopInstanceUid, size, sha256, now, now});
  auto session = findLocked(unit, sopInstanceUid);
  if (!session) throw std::runtime_error("upload store: the session of " + sopInstanceUid + " vanished while opened");
  return {*session, inserted.affectedRows() > 0};
}

std::optional<UploadSession> PostgresUploadStore::find(const std::string& unit, const std::string& sopInstanceUid) {
  std::lock_guard<std::mutex> lock(mutex_);
  return findLocked(unit, sopInstanceUid);
}

std::optional<UploadSession> PostgresUploadStore::byId(int64_t sessionId) {
  std::lock_guard<std::mutex> lock(mutex_);
  const PostgresResult r = db_->exec(std::string("SELECT ") + kUploadColumns + " FROM uploads WHERE id = $1", {sessionId});
  if (r.rows() == 0) return std::nullopt;
  return UploadFromRow(PostgresRow{r, 0});
}

bool PostgresUploadStore::commitOffset(int64_t sessionId, int64_t from, int64_t to, int64_t now) {
  std::lock_guard<std::mutex> lock(mutex_);
  return db_->exec("UPDATE uploads SET committed = $1, touched_at = $2 "
                   "WHERE id = $3 AND committed = $4 AND state = 'receiving'",
                   {to, now, sessionId, from})
             .affectedRows() > 0;
}

void PostgresUploadStore::restart(int64_t sessionId, int64_t now) {
  std::lock_guard<std::mutex> lock(mutex_);
  db_->exec("UPDATE uploads SET committed = 0, touched_at = $1 WHERE id = $2 AND state = 'receiving'", {now, sessionId});
}

void PostgresUploadStore::markStored(int64_t sessionId, const std::string& orthancId, const std::string& status,
                                     int64_t now) {
  std::lock_guard<std::mutex> lock(mutex_);
  db_->exec("UPDATE uploads SET state = 'stored', committed = size, orthanc_id = $1, store_status = $2, "
            "touched_at = $3 WHERE id = $4",
            {orthancId, status, now, sessionId});
}

void PostgresUploadStore::remove(int64_t sessionId) {
  std::lock_guard<std::mutex> lock(mutex_);
  db_->exec("DELETE FROM uploads WHERE id = $1", {sessionId});
}

int64_t PostgresUploadStore::openBytes(const std::string& unit) {
  std::lock_guard<std::mutex> lock(mutex_);
  return db_->exec("SELECT COALESCE(SUM(size), 0) FROM uploads WHERE unit = $1 AND state = 'receiving'", {unit})
      .integer(0, 0);
}

std::vector<UploadSession> PostgresUploadStore::untouchedSince(int64_t touchedBefore) {
  std::lock_guard<std::mutex> lock(mutex_);
  const PostgresResult r = db_->exec(
      std::string("SELECT ") + kUploadColumns + " FROM uploads WHERE touched_at < $1 ORDER BY id", {touchedBefore});
  std::vector<UploadSession> out;
  for (int i = 0; i < r.rows(); ++i) out.push_back(UploadFromRow(PostgresRow{r, i}));
  return out;
}

void PostgresUploadStore::recordReceived(const std::string& sopInstanceUid, const std::string& unit, int64_t now) {
  std::lock_guard<std::mutex> lock(mutex_);
  db_->exec("INSERT INTO uploaded_instances (sop_uid, unit, received_at) VALUES ($1, $2, $3) "
            "ON CONFLICT (sop_uid) DO UPDATE SET unit = excluded.unit, received_at = excluded.received_at",
            {sopInstanceUid, unit, now});
}

void PostgresUploadStore::forgetReceived(const std::string& sopInstanceUid) {
  std::lock_guard<std::mutex> lock(mutex_);
  db_->exec("DELETE FROM uploaded_instances WHERE sop_uid = $1", {sopInstanceUid});
}

std::optional<std::string> PostgresUploadStore::receivedFromUnit(const std::string& sopInstanceUid) {
  std::lock_guard<std::mutex> lock(mutex_);
  const PostgresResult r = db_->exec("SELECT unit FROM uploaded_instances WHERE sop_uid = $1", {sopInstanceUid});
  if (r.rows() == 0) return std::nullopt;
  return r.text(0, 0);
}

}  // namespace relais
