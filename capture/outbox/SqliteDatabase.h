#pragma once
// A SQLite connection in WAL mode with full synchronisation: a committed transaction survives
// kill -9 and power loss; an interrupted one leaves no trace. Several processes may share the
// file (the forwarder service and a nurse enqueuing), writers wait for each other
// (busy timeout) instead of failing. Errors throw OutboxError with SQLite's message.
#include <sqlite3.h>

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>

namespace relais::outbox {

class SqliteDatabase {
 public:
  explicit SqliteDatabase(const std::filesystem::path& file);
  ~SqliteDatabase();
  SqliteDatabase(const SqliteDatabase&) = delete;
  SqliteDatabase& operator=(const SqliteDatabase&) = delete;

  void exec(const std::string& sql);
  int64_t changes() const;

  class Statement {
   public:
    Statement(sqlite3* db, const std::string& sql);
    ~Statement();
    Statement(const Statement&) = delete;
    Statement& operator=(const Statement&) = delete;
    Statement(Statement&& other) noexcept;

    Statement& bind(int index, int64_t value);
    Statement& bind(int index, const std::string& value);
    Statement& bind(int index, const std::optional<std::string>& value);
    // true while there is a row to read; false once done.
    bool step();
    void run() { while (step()) {} }
    int64_t integer(int column) const;
    std::string text(int column) const;
    std::optional<std::string> optionalText(int column) const;
    bool isNull(int column) const;

   private:
    sqlite3* db_;
    sqlite3_stmt* stmt_ = nullptr;
  };

  Statement prepare(const std::string& sql) { return Statement(db_, sql); }

  // BEGIN IMMEDIATE: takes the write lock at once, so two writers never deadlock on upgrade.
  class Transaction {
   public:
    explicit Transaction(SqliteDatabase& db);
    ~Transaction();
    void commit();

   private:
    SqliteDatabase& db_;
    bool done_ = false;
  };

 private:
  sqlite3* db_ = nullptr;
};

}  // namespace relais::outbox
