#include "outbox/SqliteDatabase.h"

#include "outbox/OutboxError.h"

namespace relais::outbox {

namespace {
[[noreturn]] void Fail(sqlite3* db, const std::string& what) {
  throw OutboxError(what + ": " + (db != nullptr ? sqlite3_errmsg(db) : "out of memory"));
}
}  // namespace

SqliteDatabase::SqliteDatabase(const std::filesystem::path& file) {
  if (sqlite3_open_v2(file.c_str(), &db_, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_FULLMUTEX,
                      nullptr) != SQLITE_OK) {
    std::string message = "cannot open the outbox database " + file.string();
    if (db_ != nullptr) {
      message += ": " + std::string(sqlite3_errmsg(db_));
      sqlite3_close(db_);
    }
    throw OutboxError(message);
  }
  sqlite3_busy_timeout(db_, 30000);
  // WAL keeps readers (status, the nurse's inbox) from blocking the sender; synchronous=FULL
  // makes each commit durable across power loss, not only across a process crash.
  exec("PRAGMA journal_mode=WAL");
  exec("PRAGMA synchronous=FULL");
  exec("PRAGMA foreign_keys=ON");
}

SqliteDatabase::~SqliteDatabase() { sqlite3_close(db_); }

void SqliteDatabase::exec(const std::string& sql) {
  char* error = nullptr;
  if (sqlite3_exec(db_, sql.c_str(), nullptr, nullptr, &error) != SQLITE_OK) {
    std::string message = error != nullptr ? error : "unknown error";
    sqlite3_free(error);
    throw OutboxError("outbox database: " + message + " (in: " + sql.substr(0, 80) + ")");
  }
}

int64_t SqliteDatabase::changes() const { return sqlite3_changes(db_); }

SqliteDatabase::Statement::Statement(sqlite3* db, const std::string& sql) : db_(db) {
  if (sqlite3_prepare_v2(db_, sql.c_str(), -1, &stmt_, nullptr) != SQLITE_OK) Fail(db_, "outbox database");
}

SqliteDatabase::Statement::Statement(Statement&& other) noexcept : db_(other.db_), stmt_(other.stmt_) {
  other.stmt_ = nullptr;
}

SqliteDatabase::Statement::~Statement() { sqlite3_finalize(stmt_); }

SqliteDatabase::Statement& SqliteDatabase::Statement::bind(int index, int64_t value) {
  if (sqlite3_bind_int64(stmt_, index, value) != SQLITE_OK) Fail(db_, "outbox database");
  return *this;
}

SqliteDatabase::Statement& SqliteDatabase::Statement::bind(int index, const std::string& value) {
  if (sqlite3_bind_text(stmt_, index, value.data(), static_cast<int>(value.size()), SQLITE_TRANSIENT) != SQLITE_OK) {
    Fail(db_, "outbox database");
  }
  return *this;
}

SqliteDatabase::Statement& SqliteDatabase::Statement::bind(int index, const std::optional<std::string>& value) {
  if (value) return bind(index, *value);
  if (sqlite3_bind_null(stmt_, index) != SQLITE_OK) Fail(db_, "outbox database");
  return *this;
}

bool SqliteDatabase::Statement::step() {
  int rc = sqlite3_step(stmt_);
  if (rc == SQLITE_ROW) return true;
  if (rc == SQLITE_DONE) {
    sqlite3_reset(stmt_);
    return false;
  }
  std::string message = sqlite3_errmsg(db_);
  sqlite3_reset(stmt_);
  throw OutboxError("outbox database: " + message);
}

int64_t SqliteDatabase::Statement::integer(int column) const { return sqlite3_column_int64(stmt_, column); }

std::string SqliteDatabase::Statement::text(int column) const {
  const auto* p = sqlite3_column_text(stmt_, column);
  return p == nullptr ? std::string() : std::string(reinterpret_cast<const char*>(p),
                                                    static_cast<size_t>(sqlite3_column_bytes(stmt_, column)));
}

std::optional<std::string> SqliteDatabase::Statement::optionalText(int column) const {
  if (isNull(column)) return std::nullopt;
  return text(column);
}

bool SqliteDatabase::Statement::isNull(int column) const { return sqlite3_column_type(stmt_, column) == SQLITE_NULL; }

SqliteDatabase::Transaction::Transaction(SqliteDatabase& db) : db_(db) { db_.exec("BEGIN IMMEDIATE"); }

SqliteDatabase::Transaction::~Transaction() {
  if (done_) return;
  try {
    db_.exec("ROLLBACK");
  } catch (...) {
    // The connection is closing or the transaction already ended: nothing was committed.
  }
}

void SqliteDatabase::Transaction::commit() {
  db_.exec("COMMIT");
  done_ = true;
}

}  // namespace relais::outbox
