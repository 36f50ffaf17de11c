#pragma once
// One libpq connection with the few things the PostgreSQL case store needs: parameterised
// statements only (values never enter the SQL text), results that free themselves, explicit
// transactions, and one reconnection when the server went away. Not thread-safe: the owner
// serialises calls.
//
// Errors are std::runtime_error carrying the server's message. The connection target is named
// as host/port/dbname/user, parsed from the connection string, so a password in it never
// reaches a message or a log.
#include <cstdint>
#include <initializer_list>
#include <optional>
#include <string>
#include <vector>

struct pg_conn;
struct pg_result;

namespace relais {

class PostgresResult {
 public:
  explicit PostgresResult(pg_result* result) : result_(result) {}
  ~PostgresResult();
  PostgresResult(PostgresResult&& other) noexcept : result_(other.result_) { other.result_ = nullptr; }
  PostgresResult& operator=(PostgresResult&& other) noexcept;
  PostgresResult(const PostgresResult&) = delete;
  PostgresResult& operator=(const PostgresResult&) = delete;

  int rows() const;
  // Rows an INSERT/UPDATE/DELETE changed (PQcmdTuples): conditional updates are judged on it.
  int64_t affectedRows() const;
  bool isNull(int row, int col) const;
  std::string text(int row, int col) const;
  std::optional<std::string> optText(int row, int col) const;
  int64_t integer(int row, int col) const;
  std::optional<int64_t> optInteger(int row, int col) const;

 private:
  pg_result* result_;
};

// One row of a result, read by column the way infra/CaseRows.h and UploadRows.h read a row.
struct PostgresRow {
  const PostgresResult& result;
  int row;
  std::string text(int column) const { return result.text(row, column); }
  std::optional<std::string> optText(int column) const { return result.optText(row, column); }
  int64_t integer(int column) const { return result.integer(row, column); }
  std::optional<int64_t> optInteger(int column) const { return result.optInteger(row, column); }
};

// One parameter value, sent as text; nullopt is NULL.
struct PostgresValue {
  PostgresValue(const std::string& v) : text(v) {}
  PostgresValue(const char* v) : text(std::string(v)) {}
  PostgresValue(int64_t v) : text(std::to_string(v)) {}
  PostgresValue(int v) : text(std::to_string(v)) {}
  PostgresValue(const std::optional<std::string>& v) : text(v) {}
  std::optional<std::string> text;
};

// Parameters of one statement: either listed in order for a fixed text ($1, $2...), or added
// one by one while a text is assembled, add() returning the "$n" to write. Call add() once per
// statement: the operands of one `a + b + c` expression may be evaluated in any order.
class PostgresParams {
 public:
  PostgresParams() = default;
  PostgresParams(std::initializer_list<PostgresValue> values);
  std::string add(const PostgresValue& value);
  const std::vector<std::optional<std::string>>& values() const { return values_; }

 private:
  std::vector<std::optional<std::string>> values_;
};

class PostgresConnection {
 public:
  // Connects at once; throws std::runtime_error naming the target (never the password).
  explicit PostgresConnection(const std::string& connectionString);
  ~PostgresConnection();
  PostgresConnection(const PostgresConnection&) = delete;
  PostgresConnection& operator=(const PostgresConnection&) = delete;

  PostgresResult exec(const std::string& sql, const PostgresParams& params = {});
  // Several statements without parameters (the schema).
  void execScript(const std::string& sql);

  void begin();
  void commit();
  void rollback();  // never throws: called while unwinding
  bool inTransaction() const { return inTransaction_; }

  const std::string& target() const { return target_; }

  // Runs a store's CREATE ... IF NOT EXISTS script in one transaction. CREATE TABLE IF NOT
  // EXISTS is not safe against itself: two nodes starting at once can both decide a table is
  // missing and one then fails on the catalogue's unique index, so every store's schema is
  // created under one transaction-scoped advisory lock.
  void createSchema(const std::string& schema);

 private:
  pg_result* run(const std::string& sql, const PostgresParams& params);
  void reconnect();
  [[noreturn]] void fail(pg_result* result);

  pg_conn* conn_ = nullptr;
  std::string target_;
  bool inTransaction_ = false;
};

// Opens a transaction for a scope and rolls it back unless commit() was called.
class PostgresTransaction {
 public:
  explicit PostgresTransaction(PostgresConnection& connection) : connection_(connection) { connection_.begin(); }
  ~PostgresTransaction() {
    if (connection_.inTransaction()) connection_.rollback();
  }
  PostgresTransaction(const PostgresTransaction&) = delete;
  PostgresTransaction& operator=(const PostgresTransaction&) = delete;
  void commit() { connection_.commit(); }

 private:
  PostgresConnection& connection_;
};

}  // namespace relais
