#include "infra/SqliteUploadStore.h"

#include <sqlite3.h>

#include <stdexcept>

#include "infra/SqliteStatements.h"
#include "infra/UploadRows.h"

namespace relais {

namespace {

using sqlite::Statement;

const char* kSchema = R"SQL(
CREATE TABLE IF NOT EXISTS uploads (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  unit TEXT NOT NULL, sop_uid TEXT NOT NULL,
  size INTEGER NOT NULL, sha256 TEXT NOT NULL,
  committed INTEGER NOT NULL DEFAULT 0,
  state TEXT NOT NULL,
  orthanc_id TEXT NOT NULL DEFAULT '', store_status TEXT NOT NULL DEFAULT '',
  created_at INTEGER NOT NULL, touched_at INTEGER NOT NULL,
  UNIQUE (unit, sop_uid));
CREATE INDEX IF NOT EXISTS uploads_by_touch ON uploads(touched_at);
CREATE TABLE IF NOT EXISTS uploaded_instances (
  sop_uid TEXT PRIMARY KEY, unit TEXT NOT NULL, received_at INTEGER NOT NULL);
)SQL";

}  // namespace

SqliteUploadStore::SqliteUploadStore(const std::string& path) : path_(path) {
  db_ = sqlite::OpenDatabase(path, "the upload store");
  char* error = nullptr;
  if (sqlite3_exec(db_, kSchema, nullptr, nullptr, &error) != SQLITE_OK) {
    std::string message = error ? error : "unknown error";
    sqlite3_free(error);
    sqlite3_close(db_);
    throw std::runtime_error("cannot initialise the upload store " + path + ": " + message);
  }
  statements_ = std::make_unique<SqliteStatementCache>(db_);
}

SqliteUploadStore::~SqliteUploadStore() {
  statements_.reset();
  sqlite3_close(db_);
}

std::optional<UploadSession> SqliteUploadStore::findLocked(const std::string& unit, const std::string& sopInstanceUid) {
  Statement s(*statements_, std::string("SELECT ") + kUploadColumns + " FROM uploads WHERE unit = ? AND sop_uid = ?");
  s.bind(1, unit).bind(2, sopInstanceUid);
  if (!s.step()) return std::nullopt;
  return UploadFromRow(s);
}

UploadStore::Opened SqliteUploadStore::open(const std::string& unit, const std::string& sopInstanceUid, int64_t size,
                                            const std::string& sha256, int64_t now) {
  std::lock_guard<std::mutex> lock(mutex_);
  Statement insert(*statements_,
                   "INSERT INTO uploads (unit, sop_uid, size, sha256, committed, state, created_at, touched_at) "
                   "VALUES (?, ?, ?, ?, 0, 'receiving', ?, ?) ON CONFLICT (unit, sop_uid) DO NOTHING");
  insert.bind(1, unit).bind(2, sopInstanceUid).bind(3, size).bind(4, sha256).bind(5, now).bind(6, now).run();
  const bool created = sqlite3_changes(db_) > 0;
  auto session = findLocked(unit, sopInstanceUid);
  if (!session) throw std::runtime_error("upload store: the session of " + sopInstanceUid + " vanished while opened");
  return {*session, created};
}

std::optional<UploadSession> SqliteUploadStore::find(const std::string& unit, const std::string& sopInstanceUid) {
  std::lock_guard<std::mutex> lock(mutex_);
  return findLocked(unit, sopInstanceUid);
}

std::optional<UploadSession> SqliteUploadStore::byId(int64_t sessionId) {
  std::lock_guard<std::mutex> lock(mutex_);
  Statement s(*statements_, std::string("SELECT ") + kUploadColumns + " FROM uploads WHERE id = ?");
  s.bind(1, sessionId);
  if (!s.step()) return std::nullopt;
  return UploadFromRow(s);
}

bool SqliteUploadStore::commitOffset(int64_t sessionId, int64_t from, int64_t to, int64_t now) {
  std::lock_guard<std::mutex> lock(mutex_);
  Statement s(*statements_,
              "UPDATE uploads SET committed = ?, touched_at = ? WHERE id = ? AND committed = ? AND state = 'receiving'");
  s.bind(1, to).bind(2, now).bind(3, sessionId).bind(4, from).run();
  return sqlite3_changes(db_) > 0;
}

void SqliteUploadStore::restart(int64_t sessionId, int64_t now) {
  std::lock_guard<std::mutex> lock(mutex_);
  Statement s(*statements_, "UPDATE uploads SET committed = 0, touched_at = ? WHERE id = ? AND state = 'receiving'");
  s.bind(1, now).bind(2, sessionId).run();
}

void SqliteUploadStore::markStored(int64_t sessionId, const std::string& orthancId, const std::string& status,
                                   int64_t now) {
  std::lock_guard<std::mutex> lock(mutex_);
  Statement s(*statements_,
              "UPDATE uploads SET state = 'stored', committed = size, orthanc_id = ?, store_status = ?, touched_at = ? "
              "WHERE id = ?");
  s.bind(1, orthancId).bind(2, status).bind(3, now).bind(4, sessionId).run();
}

void SqliteUploadStore::remove(int64_t sessionId) {
  std::lock_guard<std::mutex> lock(mutex_);
  Statement s(*statements_, "DELETE FROM uploads WHERE id = ?");
  s.bind(1, sessionId).run();
}

int64_t SqliteUploadStore::openBytes(const std::string& unit) {
  std::lock_guard<std::mutex> lock(mutex_);
  Statement s(*statements_, "SELECT COALESCE(SUM(size), 0) FROM uploads WHERE unit = ? AND state = 'receiving'");
  s.bind(1, unit);
  return s.step() ? s.integer(0) : 0;
}

std::vector<UploadSession> SqliteUploadStore::untouchedSince(int64_t touchedBefore) {
  std::lock_guard<std::mutex> lock(mutex_);
  Statement s(*statements_, std::string("SELECT ") + kUploadColumns + " FROM uploads WHERE touched_at < ? ORDER BY id");
  s.bind(1, touchedBefore);
  std::vector<UploadSession> out;
  while (s.step()) out.push_back(UploadFromRow(s));
  return out;
}

void SqliteUploadStore::recordReceived(const std::string& sopInstanceUid, const std::string& unit, int64_t now) {
  std::lock_guard<std::mutex> lock(mutex_);
  Statement s(*statements_,
              "INSERT INTO uploaded_instances (sop_uid, unit, received_at) VALUES (?, ?, ?) "
              "ON CONFLICT (sop_uid) DO UPDATE SET unit = excluded.unit, received_at = excluded.received_at");
  s.bind(1, sopInstanceUid).bind(2, unit).bind(3, now).run();
}

void SqliteUploadStore::forgetReceived(const std::string& sopInstanceUid) {
  std::lock_guard<std::mutex> lock(mutex_);
  Statement s(*statements_, "DELETE FROM uploaded_instances WHERE sop_uid = ?");
  s.bind(1, sopInstanceUid).run();
}

std::optional<std::string> SqliteUploadStore::receivedFromUnit(const std::string& sopInstanceUid) {
  std::lock_guard<std::mutex> lock(mutex_);
  Statement s(*statements_, "SELECT unit FROM uploaded_instances WHERE sop_uid = ?");
  s.bind(1, sopInstanceUid);
  if (!s.step()) return std::nullopt;
  return s.text(0);
}

}  // namespace relais
