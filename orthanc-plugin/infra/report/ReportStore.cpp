#include "infra/report/ReportStore.h"

#include <sqlite3.h>

#include <stdexcept>

namespace relais::report {

namespace {

using nlohmann::json;

// One prepared statement, finalized on scope exit; bind by 1-based index.
class Statement {
 public:
  Statement(sqlite3* db, const char* sql) : db_(db) {
    if (sqlite3_prepare_v2(db, sql, -1, &stmt_, nullptr) != SQLITE_OK) {
      throw std::runtime_error(std::string("report store: ") + sqlite3_errmsg(db));
    }
  }
  ~Statement() { sqlite3_finalize(stmt_); }
  Statement(const Statement&) = delete;
  Statement& operator=(const Statement&) = delete;

  Statement& bind(int i, int64_t v) { return check(sqlite3_bind_int64(stmt_, i, v)); }
  Statement& bind(int i, const std::string& v) {
    return check(sqlite3_bind_text(stmt_, i, v.data(), static_cast<int>(v.size()), SQLITE_TRANSIENT));
  }
  Statement& bindBlob(int i, const std::string& v) {
    return check(sqlite3_bind_blob(stmt_, i, v.data(), static_cast<int>(v.size()), SQLITE_TRANSIENT));
  }
  Statement& bindNull(int i) { return check(sqlite3_bind_null(stmt_, i)); }

  bool step() {
    int rc = sqlite3_step(stmt_);
    if (rc == SQLITE_ROW) return true;
    if (rc == SQLITE_DONE) return false;
    throw std::runtime_error(std::string("report store: ") + sqlite3_errmsg(db_));
  }
  int64_t integer(int c) const { return sqlite3_column_int64(stmt_, c); }
  bool isNull(int c) const { return sqlite3_column_type(stmt_, c) == SQLITE_NULL; }
  std::string text(int c) const {
    const void* p = sqlite3_column_blob(stmt_, c);
    return p ? std::string(static_cast<const char*>(p), sqlite3_column_bytes(stmt_, c)) : std::string();
  }

 private:
  Statement& check(int rc) {
    if (rc != SQLITE_OK) throw std::runtime_error(std::string("report store: ") + sqlite3_errmsg(db_));
    return *this;
  }
  sqlite3* db_;
  sqlite3_stmt* stmt_ = nullptr;
};

const char* kReportColumns =
    "id, case_id, version, author, signed_at, document, sr_ref, pdf_ref, sr_orthanc_id, pdf_orthanc_id";

StoredReport ReadReport(const Statement& s) {
  StoredReport r;
  r.id = s.integer(0);
  r.caseId = s.integer(1);
  r.version = static_cast<int>(s.integer(2));
  r.author = s.text(3);
  r.signedAt = s.text(4);
  r.document = json::parse(s.text(5));
  r.sr = InstanceReferenceFromJson(json::parse(s.text(6)));
  r.pdf = InstanceReferenceFromJson(json::parse(s.text(7)));
  r.srOrthancId = s.text(8);
  r.pdfOrthancId = s.text(9);
  return r;
}

const char* kInboxColumns =
    "id, case_id, unit, kind, study_uid, created_at, message, report_id, source_key, acked_at, acked_by";

InboxItem ReadInbox(const Statement& s) {
  InboxItem i;
  i.id = s.integer(0);
  i.caseId = s.integer(1);
  i.unit = s.text(2);
  i.kind = s.text(3);
  i.studyInstanceUid = s.text(4);
  i.createdAt = s.text(5);
  i.message = s.text(6);
  if (!s.isNull(7)) i.reportId = s.integer(7);
  i.sourceKey = s.text(8);
  if (!s.isNull(9)) i.ackedAt = s.text(9);
  i.ackedBy = s.text(10);
  return i;
}

const char* kTransferColumns =
    "id, case_id, report_id, destination, resources, state, job_id, attempts, last_error, next_attempt_at, updated_at";

PacsTransfer ReadTransfer(const Statement& s) {
  PacsTransfer t;
  t.id = s.integer(0);
  t.caseId = s.integer(1);
  t.reportId = s.integer(2);
  t.destination = s.text(3);
  t.resources = json::parse(s.text(4)).get<std::vector<std::string>>();
  t.state = s.text(5);
  t.jobId = s.text(6);
  t.attempts = static_cast<int>(s.integer(7));
  t.lastError = s.text(8);
  t.nextAttemptAt = s.integer(9);
  t.updatedAt = s.integer(10);
  return t;
}

}  // namespace

json InboxItem::toJson() const {
  json j = {{"id", id},           {"caseId", caseId},   {"kind", kind}, {"studyInstanceUid", studyInstanceUid},
            {"createdAt", createdAt}, {"message", message}};
  if (reportId) j["reportId"] = *reportId;
  if (ackedAt) j["acknowledgedAt"] = *ackedAt;
  return j;
}

ReportStore::ReportStore(const std::string& path) : path_(path) {
  if (sqlite3_open_v2(path.c_str(), &db_, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_FULLMUTEX,
                      nullptr) != SQLITE_OK) {
    std::string message = db_ ? sqlite3_errmsg(db_) : "out of memory";
    sqlite3_close(db_);
    throw std::runtime_error(path + ": cannot open the report store: " + message);
  }
  sqlite3_busy_timeout(db_, 10000);
  exec("PRAGMA journal_mode=WAL");
  exec("PRAGMA synchronous=NORMAL");
  exec(
      "CREATE TABLE IF NOT EXISTS reports ("
      " id INTEGER PRIMARY KEY AUTOINCREMENT, case_id INTEGER NOT NULL, version INTEGER NOT NULL,"
      " author TEXT NOT NULL, signed_at TEXT NOT NULL, document TEXT NOT NULL, sr_ref TEXT NOT NULL,"
      " pdf_ref TEXT NOT NULL, sr_orthanc_id TEXT NOT NULL, pdf_orthanc_id TEXT NOT NULL, pdf BLOB NOT NULL,"
      " UNIQUE(case_id, version));"
      "CREATE TABLE IF NOT EXISTS inbox ("
      " id INTEGER PRIMARY KEY AUTOINCREMENT, case_id INTEGER NOT NULL, unit TEXT NOT NULL, kind TEXT NOT NULL,"
      " study_uid TEXT NOT NULL, created_at TEXT NOT NULL, message TEXT NOT NULL, report_id INTEGER,"
      " source_key TEXT NOT NULL UNIQUE, acked_at TEXT, acked_by TEXT NOT NULL DEFAULT '');"
      "CREATE INDEX IF NOT EXISTS inbox_unit ON inbox(unit, acked_at);"
      "CREATE TABLE IF NOT EXISTS transfers ("
      " id INTEGER PRIMARY KEY AUTOINCREMENT, case_id INTEGER NOT NULL, report_id INTEGER NOT NULL,"
      " destination TEXT NOT NULL, resources TEXT NOT NULL, state TEXT NOT NULL, job_id TEXT NOT NULL,"
      " attempts INTEGER NOT NULL, last_error TEXT NOT NULL, next_attempt_at INTEGER NOT NULL,"
      " updated_at INTEGER NOT NULL);"
      "CREATE INDEX IF NOT EXISTS transfers_case ON transfers(case_id);");
}

ReportStore::~ReportStore() { sqlite3_close(db_); }

void ReportStore::exec(const char* sql) {
  char* error = nullptr;
  if (sqlite3_exec(db_, sql, nullptr, nullptr, &error) != SQLITE_OK) {
    std::string message = error ? error : "unknown error";
    sqlite3_free(error);
    throw std::runtime_error(path_ + ": " + message);
  }
}

int64_t ReportStore::addReport(const StoredReport& r, const std::string& pdfBytes) {
  std::lock_guard<std::mutex> lock(mutex_);
  Statement s(db_,
              "INSERT INTO reports (case_id, version, author, signed_at, document, sr_ref, pdf_ref, sr_orthanc_id,"
              " pdf_orthanc_id, pdf) VALUES (?,?,?,?,?,?,?,?,?,?)");
  s.bind(1, r.caseId).bind(2, static_cast<int64_t>(r.version)).bind(3, r.author).bind(4, r.signedAt);
  s.bind(5, r.document.dump()).bind(6, ToJson(r.sr).dump()).bind(7, ToJson(r.pdf).dump());
  s.bind(8, r.srOrthancId).bind(9, r.pdfOrthancId).bindBlob(10, pdfBytes);
  s.step();
  return sqlite3_last_insert_rowid(db_);
}

void ReportStore::removeReport(int64_t reportId) {
  std::lock_guard<std::mutex> lock(mutex_);
  Statement s(db_, "DELETE FROM reports WHERE id = ?");
  s.bind(1, reportId).step();
}

std::vector<StoredReport> ReportStore::reports(int64_t caseId) {
  std::lock_guard<std::mutex> lock(mutex_);
  Statement s(db_, (std::string("SELECT ") + kReportColumns + " FROM reports WHERE case_id = ? ORDER BY version").c_str());
  s.bind(1, caseId);
  std::vector<StoredReport> out;
  while (s.step()) out.push_back(ReadReport(s));
  return out;
}

std::optional<StoredReport> ReportStore::report(int64_t caseId, int version) {
  std::lock_guard<std::mutex> lock(mutex_);
  Statement s(db_,
              (std::string("SELECT ") + kReportColumns + " FROM reports WHERE case_id = ? AND version = ?").c_str());
  s.bind(1, caseId).bind(2, static_cast<int64_t>(version));
  if (!s.step()) return std::nullopt;
  return ReadReport(s);
}

std::optional<StoredReport> ReportStore::latest(int64_t caseId) {
  std::lock_guard<std::mutex> lock(mutex_);
  Statement s(db_, (std::string("SELECT ") + kReportColumns +
                    " FROM reports WHERE case_id = ? ORDER BY version DESC LIMIT 1")
                       .c_str());
  s.bind(1, caseId);
  if (!s.step()) return std::nullopt;
  return ReadReport(s);
}

std::string ReportStore::pdf(int64_t reportId) {
  std::lock_guard<std::mutex> lock(mutex_);
  Statement s(db_, "SELECT pdf FROM reports WHERE id = ?");
  s.bind(1, reportId);
  if (!s.step()) throw std::runtime_error("report store: no report " + std::to_string(reportId));
  return s.text(0);
}

InboxItem ReportStore::addInboxItem(const InboxItem& item) {
  std::lock_guard<std::mutex> lock(mutex_);
  {
    Statement s(db_,
                "INSERT INTO inbox (case_id, unit, kind, study_uid, created_at, message, report_id, source_key)"
                " VALUES (?,?,?,?,?,?,?,?) ON CONFLICT(source_key) DO NOTHING");
    s.bind(1, item.caseId).bind(2, item.unit).bind(3, item.kind).bind(4, item.studyInstanceUid);
    s.bind(5, item.createdAt).bind(6, item.message);
    if (item.reportId) s.bind(7, *item.reportId);
    else s.bindNull(7);
    s.bind(8, item.sourceKey);
    s.step();
  }
  Statement s(db_, (std::string("SELECT ") + kInboxColumns + " FROM inbox WHERE source_key = ?").c_str());
  s.bind(1, item.sourceKey);
  if (!s.step()) throw std::runtime_error("report store: inbox item vanished");
  return ReadInbox(s);
}

std::vector<InboxItem> ReportStore::inbox(const std::string& unit, bool includeAcknowledged) {
  std::lock_guard<std::mutex> lock(mutex_);
  std::string sql = std::string("SELECT ") + kInboxColumns + " FROM inbox WHERE unit = ?" +
                    (includeAcknowledged ? "" : " AND acked_at IS NULL") + " ORDER BY id";
  Statement s(db_, sql.c_str());
  s.bind(1, unit);
  std::vector<InboxItem> out;
  while (s.step()) out.push_back(ReadInbox(s));
  return out;
}

std::optional<InboxItem> ReportStore::inboxItem(int64_t id) {
  std::lock_guard<std::mutex> lock(mutex_);
  Statement s(db_, (std::string("SELECT ") + kInboxColumns + " FROM inbox WHERE id = ?").c_str());
  s.bind(1, id);
  if (!s.step()) return std::nullopt;
  return ReadInbox(s);
}

bool ReportStore::acknowledge(int64_t id, const std::string& user, const std::string& at) {
  std::lock_guard<std::mutex> lock(mutex_);
  Statement s(db_, "UPDATE inbox SET acked_at = ?, acked_by = ? WHERE id = ? AND acked_at IS NULL");
  s.bind(1, at).bind(2, user).bind(3, id).step();
  return sqlite3_changes(db_) == 1;
}

int64_t ReportStore::addTransfer(const PacsTransfer& t) {
  std::lock_guard<std::mutex> lock(mutex_);
  Statement s(db_,
              "INSERT INTO transfers (case_id, report_id, destination, resources, state, job_id, attempts, last_error,"
              " next_attempt_at, updated_at) VALUES (?,?,?,?,?,?,?,?,?,?)");
  s.bind(1, t.caseId).bind(2, t.reportId).bind(3, t.destination).bind(4, json(t.resources).dump());
  s.bind(5, t.state).bind(6, t.jobId).bind(7, static_cast<int64_t>(t.attempts)).bind(8, t.lastError);
  s.bind(9, t.nextAttemptAt).bind(10, t.updatedAt);
  s.step();
  return sqlite3_last_insert_rowid(db_);
}

void ReportStore::updateTransfer(const PacsTransfer& t) {
  std::lock_guard<std::mutex> lock(mutex_);
  Statement s(db_,
              "UPDATE transfers SET state = ?, job_id = ?, attempts = ?, last_error = ?, next_attempt_at = ?,"
              " updated_at = ? WHERE id = ?");
  s.bind(1, t.state).bind(2, t.jobId).bind(3, static_cast<int64_t>(t.attempts)).bind(4, t.lastError);
  s.bind(5, t.nextAttemptAt).bind(6, t.updatedAt).bind(7, t.id);
  s.step();
}

std::vector<PacsTransfer> ReportStore::transfers(int64_t caseId) {
  std::lock_guard<std::mutex> lock(mutex_);
  Statement s(db_, (std::string("SELECT ") + kTransferColumns + " FROM transfers WHERE case_id = ? ORDER BY id").c_str());
  s.bind(1, caseId);
  std::vector<PacsTransfer> out;
  while (s.step()) out.push_back(ReadTransfer(s));
  return out;
}

std::vector<PacsTransfer> ReportStore::activeTransfers() {
  std::lock_guard<std::mutex> lock(mutex_);
  Statement s(db_, (std::string("SELECT ") + kTransferColumns +
                    " FROM transfers WHERE state IN ('queued', 'running') ORDER BY id")
                       .c_str());
  std::vector<PacsTransfer> out;
  while (s.step()) out.push_back(ReadTransfer(s));
  return out;
}

}  // namespace relais::report
