#include "infra/PostgresConnection.h"

#include <libpq-fe.h>

#include <map>
#include <stdexcept>

namespace relais {

namespace {

std::string Trimmed(std::string message) {
  while (!message.empty() && (message.back() == '\n' || message.back() == ' ')) message.pop_back();
  return message;
}

// "host=db1 port=5432 dbname=relais user=relais", from whichever of these the string sets.
std::string DescribeTarget(const std::string& connectionString) {
  char* error = nullptr;
  PQconninfoOption* options = PQconninfoParse(connectionString.c_str(), &error);
  if (options == nullptr) {
    // libpq's own message quotes the text around the mistake, which may be the password.
    PQfreemem(error);
    throw std::runtime_error(
        "the case store's PostgreSQL connection string cannot be read: expected keyword=value pairs "
        "(host=... dbname=... user=...) or a postgresql:// URI");
  }
  std::map<std::string, std::string> named;
  for (PQconninfoOption* o = options; o->keyword != nullptr; ++o) {
    if (o->val != nullptr && *o->val != '\0') named[o->keyword] = o->val;
  }
  PQconninfoFree(options);
  std::string out;
  for (const char* keyword : {"host", "hostaddr", "port", "dbname", "user"}) {
    auto it = named.find(keyword);
    if (it != named.end()) out += (out.empty() ? "" : " ") + it->first + "=" + it->second;
  }
  return out.empty() ? "the default PostgreSQL server" : out;
}

}  // namespace

PostgresResult::~PostgresResult() { PQclear(result_); }

PostgresResult& PostgresResult::operator=(PostgresResult&& other) noexcept {
  if (this != &other) {
    PQclear(result_);
    result_ = other.result_;
    other.result_ = nullptr;
  }
  return *this;
}

int PostgresResult::rows() const { return PQntuples(result_); }

int64_t PostgresResult::affectedRows() const {
  const char* n = PQcmdTuples(result_);
  return (n == nullptr || *n == '\0') ? 0 : std::stoll(n);
}

bool PostgresResult::isNull(int row, int col) const { return PQgetisnull(result_, row, col) != 0; }

std::string PostgresResult::text(int row, int col) const {
  return std::string(PQgetvalue(result_, row, col), static_cast<size_t>(PQgetlength(result_, row, col)));
}

std::optional<std::string> PostgresResult::optText(int row, int col) const {
  if (isNull(row, col)) return std::nullopt;
  return text(row, col);
}

int64_t PostgresResult::integer(int row, int col) const {
  if (isNull(row, col)) return 0;
  return std::stoll(PQgetvalue(result_, row, col));
}

std::optional<int64_t> PostgresResult::optInteger(int row, int col) const {
  if (isNull(row, col)) return std::nullopt;
  return integer(row, col);
}

PostgresParams::PostgresParams(std::initializer_list<PostgresValue> values) {
  for (const auto& v : values) values_.push_back(v.text);
}

std::string PostgresParams::add(const PostgresValue& value) {
  values_.push_back(value.text);
  return "$" + std::to_string(values_.size());
}

PostgresConnection::PostgresConnection(const std::string& connectionString)
    : target_(DescribeTarget(connectionString)) {
  // Keywords before "dbname" are defaults the connection string may override (a server that
  // does not answer must not hang the plugin's start for minutes); the text encoding after it
  // is imposed, since every string the store keeps is UTF-8. PQreset reuses all of them.
  const char* keywords[] = {"connect_timeout", "application_name", "dbname", "client_encoding", nullptr};
  const char* values[] = {"10", "relais", connectionString.c_str(), "UTF8", nullptr};
  conn_ = PQconnectdbParams(keywords, values, 1);
  if (conn_ == nullptr) throw std::runtime_error("cannot connect to the case store at " + target_ + ": out of memory");
  if (PQstatus(conn_) != CONNECTION_OK) {
    const std::string message = Trimmed(PQerrorMessage(conn_));
    PQfinish(conn_);
    conn_ = nullptr;
    throw std::runtime_error("cannot connect to the case store at " + target_ + ": " + message);
  }
}

PostgresConnection::~PostgresConnection() { PQfinish(conn_); }

void PostgresConnection::reconnect() {
  PQreset(conn_);
  if (PQstatus(conn_) != CONNECTION_OK) {
    throw std::runtime_error("case store: lost the connection to " + target_ +
                             " and could not reconnect: " + Trimmed(PQerrorMessage(conn_)));
  }
}

void PostgresConnection::fail(pg_result* result) {
  std::string message = Trimmed(result ? PQresultErrorMessage(result) : "");
  if (message.empty()) message = Trimmed(PQerrorMessage(conn_));
  PQclear(result);
  throw std::runtime_error("case store (" + target_ + "): " + message);
}

pg_result* PostgresConnection::run(const std::string& sql, const PostgresParams& params) {
  std::vector<const char*> values;
  values.reserve(params.values().size());
  for (const auto& v : params.values()) values.push_back(v ? v->c_str() : nullptr);
  return PQexecParams(conn_, sql.c_str(), static_cast<int>(values.size()), nullptr, values.data(), nullptr, nullptr, 0);
}

PostgresResult PostgresConnection::exec(const std::string& sql, const PostgresParams& params) {
  // Outside a transaction every statement the store sends is a read, an idempotent write or
  // BEGIN, so after a lost connection it can simply be sent again once. Inside one, the server
  // has already rolled the work back: the caller gets the error and the next call reconnects.
  if (!inTransaction_ && PQstatus(conn_) != CONNECTION_OK) reconnect();
  for (int attempt = 0;; ++attempt) {
    pg_result* result = run(sql, params);
    const ExecStatusType status = PQresultStatus(result);
    if (result != nullptr && (status == PGRES_COMMAND_OK || status == PGRES_TUPLES_OK)) {
      return PostgresResult(result);
    }
    if (attempt == 0 && !inTransaction_ && PQstatus(conn_) == CONNECTION_BAD) {
      PQclear(result);
      reconnect();
      continue;
    }
    if (PQstatus(conn_) == CONNECTION_BAD) inTransaction_ = false;  // the server dropped it with the session
    fail(result);
  }
}

void PostgresConnection::execScript(const std::string& sql) {
  pg_result* result = PQexec(conn_, sql.c_str());
  if (PQresultStatus(result) != PGRES_COMMAND_OK && PQresultStatus(result) != PGRES_TUPLES_OK) {
    fail(result);
  }
  PQclear(result);
}

void PostgresConnection::createSchema(const std::string& schema) {
  PostgresTransaction tx(*this);
  // "already exists, skipping" notices on every start would only clutter Orthanc's log.
  exec("SET LOCAL client_min_messages = warning");
  exec("SELECT pg_advisory_xact_lock(8243680836958335025)");  // "relais01" in ASCII
  execScript(schema);
  tx.commit();
}

void PostgresConnection::begin() {
  exec("BEGIN");
  inTransaction_ = true;
}

void PostgresConnection::commit() {
  exec("COMMIT");
  inTransaction_ = false;
}

void PostgresConnection::rollback() {
  inTransaction_ = false;
  if (PQstatus(conn_) != CONNECTION_OK) return;
  PQclear(PQexec(conn_, "ROLLBACK"));
}

}  // namespace relais
