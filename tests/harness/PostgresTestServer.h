#pragma once
// A throwaway PostgreSQL server for the tests of the PostgreSQL case store: initdb into a
// temporary directory, the server on a free loopback port with its socket beside the data,
// trust authentication, and a fresh database for each test that asks. One server per test
// binary, started on first use (the SQLite tests never pay for it) and stopped when the
// binary ends; if the binary dies, the server follows it (parent-death signal). The cluster
// initdb makes is kept in the build tree (tests/postgres-15-cluster-template) and copied for
// later servers, since ctest starts every test in a process of its own.
//
// PostgreSQL refuses to run as root, which the tests are in CI: the server then runs as the
// `postgres` system user (the postgresql package creates it). Missing binaries are an error,
// not a skip: scripts/setup.sh installs them and the store must not go untested silently.
#include <sys/types.h>

#include <string>

#include <gtest/gtest.h>

namespace relais::test {

class PostgresTestServer : public ::testing::Environment {
 public:
  // The instance registered with GoogleTest's environments.
  static PostgresTestServer& Instance();

  // A libpq connection string to a new, empty database. Throws std::runtime_error saying
  // what is missing or why the server would not start.
  std::string newDatabase();
  ~PostgresTestServer() override;
  void TearDown() override;

 private:
  void start();
  void stop();

  std::string dir_;
  int port_ = 0;
  pid_t server_ = -1;
  bool started_ = false;
  std::string startError_;  // remembered: every later test fails with the same reason, fast
  int databases_ = 0;
};

}  // namespace relais::test
