#pragma once
// Prepared SQLite statements, cached per connection and borrowed for a scope: the one SQLite
// wrapper of the hub's stores (the case store and the upload store). Not thread-safe: the
// owning store touches it under its own mutex. Errors are std::runtime_error with SQLite's
// message; the store names itself around them.
#include <sqlite3.h>

#include <cstdint>
#include <optional>
#include <stdexcept>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

namespace relais {

// Compiling SQL costs more than running most of these statements (a tenth of the routing
// worker's time went to it), so each text is prepared once per connection and reused. Only
// touched under the store's mutex. The same text can be in use twice at once (a nested call),
// hence a small stack of idle statements per text. The texts are constants or built from a
// handful of list filters, so the cache stays small.
class SqliteStatementCache {
 public:
  explicit SqliteStatementCache(sqlite3* db) : db_(db) {}
  ~SqliteStatementCache() {
    for (auto& [sql, idle] : idle_) {
      for (sqlite3_stmt* s : idle) sqlite3_finalize(s);
    }
  }
  SqliteStatementCache(const SqliteStatementCache&) = delete;
  SqliteStatementCache& operator=(const SqliteStatementCache&) = delete;

  sqlite3_stmt* take(const std::string& sql) {
    auto it = idle_.find(sql);
    if (it != idle_.end() && !it->second.empty()) {
      sqlite3_stmt* s = it->second.back();
      it->second.pop_back();
      return s;
    }
    sqlite3_stmt* s = nullptr;
    if (sqlite3_prepare_v3(db_, sql.c_str(), -1, SQLITE_PREPARE_PERSISTENT, &s, nullptr) != SQLITE_OK) {
      sqlite3_finalize(s);
      throw std::runtime_error(std::string("SQLite cannot prepare a statement: ") + sqlite3_errmsg(db_));
    }
    return s;
  }
  // Reset at once: a statement left mid-result would hold its read transaction open.
  void giveBack(const std::string& sql, sqlite3_stmt* s) {
    sqlite3_reset(s);
    sqlite3_clear_bindings(s);
    idle_[sql].push_back(s);
  }

 private:
  sqlite3* db_;
  std::unordered_map<std::string, std::vector<sqlite3_stmt*>> idle_;
};

namespace sqlite {

// Opens (creating) a database file for one of the stores, in WAL mode with synchronous=NORMAL
// (durable against a killed process; a power cut may lose the last commits but never corrupts
// the file) and a busy timeout so that several connections to one file wait for each other.
// `what` names the store in the error, with the path.
inline sqlite3* OpenDatabase(const std::string& path, const std::string& what) {
  sqlite3* db = nullptr;
  if (sqlite3_open_v2(path.c_str(), &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_FULLMUTEX,
                      nullptr) != SQLITE_OK) {
    std::string message = db ? sqlite3_errmsg(db) : "out of memory";
    sqlite3_close(db);
    throw std::runtime_error("cannot open " + what + " " + path + ": " + message);
  }
  sqlite3_busy_timeout(db, 10000);
  for (const char* pragma : {"PRAGMA journal_mode=WAL", "PRAGMA synchronous=NORMAL"}) {
    char* error = nullptr;
    if (sqlite3_exec(db, pragma, nullptr, nullptr, &error) != SQLITE_OK) {
      std::string message = error ? error : "unknown error";
      sqlite3_free(error);
      sqlite3_close(db);
      throw std::runtime_error("cannot open " + what + " " + path + ": " + message);
    }
  }
  return db;
}


// One statement borrowed from the cache for a scope, reset and returned when it ends.
class Statement {
 public:
  Statement(SqliteStatementCache& cache, std::string sql)
      : cache_(cache), sql_(std::move(sql)), stmt_(cache.take(sql_)), db_(sqlite3_db_handle(stmt_)) {}
  ~Statement() { cache_.giveBack(sql_, stmt_); }
  Statement(const Statement&) = delete;
  Statement& operator=(const Statement&) = delete;

  Statement& bind(int i, const std::string& v) {
    sqlite3_bind_text(stmt_, i, v.c_str(), static_cast<int>(v.size()), SQLITE_TRANSIENT);
    return *this;
  }
  Statement& bind(int i, int64_t v) {
    sqlite3_bind_int64(stmt_, i, v);
    return *this;
  }
  Statement& bind(int i, const std::optional<std::string>& v) {
    if (v) return bind(i, *v);
    sqlite3_bind_null(stmt_, i);
    return *this;
  }
  Statement& bindNull(int i) {
    sqlite3_bind_null(stmt_, i);
    return *this;
  }
  // True while a row is available.
  bool step() {
    int rc = sqlite3_step(stmt_);
    if (rc == SQLITE_ROW) return true;
    if (rc == SQLITE_DONE) return false;
    throw std::runtime_error(std::string("SQLite: ") + sqlite3_errmsg(db_));
  }
  void run() {
    while (step()) {
    }
  }
  std::string text(int col) const {
    const unsigned char* t = sqlite3_column_text(stmt_, col);
    return t == nullptr ? std::string() : std::string(reinterpret_cast<const char*>(t));
  }
  std::optional<std::string> optText(int col) const {
    if (sqlite3_column_type(stmt_, col) == SQLITE_NULL) return std::nullopt;
    return text(col);
  }
  int64_t integer(int col) const { return sqlite3_column_int64(stmt_, col); }
  std::optional<int64_t> optInteger(int col) const {
    if (sqlite3_column_type(stmt_, col) == SQLITE_NULL) return std::nullopt;
    return integer(col);
  }

 private:
  SqliteStatementCache& cache_;
  const std::string sql_;
  sqlite3_stmt* stmt_;
  sqlite3* db_;
};

}  // namespace sqlite

}  // namespace relais
