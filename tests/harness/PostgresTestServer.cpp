#include "harness/PostgresTestServer.h"

#include <fcntl.h>
#include <grp.h>
#include <libpq-fe.h>
#include <netinet/in.h>
#include <pwd.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <thread>

namespace relais::test {

namespace {

const std::string kBin = "/usr/lib/postgresql/15/bin";
const std::string kTemplate = RELAIS_POSTGRES_TEMPLATE_DIR;  // a fresh initdb cluster, kept between runs

PostgresTestServer* const registered = [] {
  auto* server = new PostgresTestServer;
  ::testing::AddGlobalTestEnvironment(server);  // GoogleTest owns it from here
  return server;
}();

std::string Tail(const std::string& path) {
  std::ifstream in(path);
  std::stringstream all;
  all << in.rdbuf();
  std::string text = all.str();
  return text.size() > 2000 ? text.substr(text.size() - 2000) : text;
}

// The kernel's choice of a free port; another process could take it before the server binds,
// which the start then reports.
int PickFreeLoopbackPort() {
  const int s = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  address.sin_port = 0;
  socklen_t length = sizeof address;
  if (s < 0 || ::bind(s, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0 ||
      ::getsockname(s, reinterpret_cast<sockaddr*>(&address), &length) != 0) {
    if (s >= 0) ::close(s);
    throw std::runtime_error("PostgreSQL test server: cannot find a free loopback port");
  }
  ::close(s);
  return ntohs(address.sin_port);
}

std::string AdminConnection(int port, const std::string& dbname) {
  return "host=127.0.0.1 port=" + std::to_string(port) + " dbname=" + dbname + " user=postgres connect_timeout=5";
}

}  // namespace

PostgresTestServer& PostgresTestServer::Instance() { return *registered; }

PostgresTestServer::~PostgresTestServer() { stop(); }

void PostgresTestServer::TearDown() { stop(); }

void PostgresTestServer::start() {
  for (const char* tool : {"initdb", "postgres"}) {
    if (::access((kBin + "/" + tool).c_str(), X_OK) != 0) {
      throw std::runtime_error("PostgreSQL 15 server binaries not found (" + kBin + "/" + tool +
                               "): run scripts/setup.sh, which installs the postgresql package");
    }
  }
  const bool asRoot = ::geteuid() == 0;
  const passwd* account = asRoot ? ::getpwnam("postgres") : nullptr;
  if (asRoot && account == nullptr) {
    throw std::runtime_error("PostgreSQL will not run as root and there is no 'postgres' user: "
                             "run scripts/setup.sh, which installs the postgresql package");
  }
  const uid_t uid = account ? account->pw_uid : 0;
  const gid_t gid = account ? account->pw_gid : 0;

  char pattern[] = "/tmp/relais-pg-XXXXXX";
  if (::mkdtemp(pattern) == nullptr) throw std::runtime_error("PostgreSQL test server: cannot create a temp directory");
  dir_ = pattern;
  if (asRoot && ::chown(dir_.c_str(), uid, gid) != 0) {
    throw std::runtime_error("PostgreSQL test server: cannot give " + dir_ + " to the postgres user");
  }
  const std::string data = dir_ + "/data";
  // initdb takes a second and ctest runs each test in its own process: the first cluster made
  // is kept in the build tree and later servers start from a copy (cp -a keeps modes; as root
  // the copy is then given to postgres, whoever made the template).
  const std::string copy = "cp -a " + kTemplate + " " + data + " 2>/dev/null" +
                           (asRoot ? " && chown -R postgres:postgres " + data : "");
  if (!std::filesystem::exists(kTemplate + "/PG_VERSION") || std::system(copy.c_str()) != 0) {
    std::error_code ignored;
    std::filesystem::remove_all(data, ignored);
    const std::string initdbLog = dir_ + "/initdb.log";
    const std::string initdb = std::string(asRoot ? "runuser -u postgres -- " : "") + kBin + "/initdb -D " + data +
                               " --auth=trust -U postgres -E UTF8 --locale=C --no-sync >" + initdbLog + " 2>&1";
    if (std::system(initdb.c_str()) != 0) {
      throw std::runtime_error("PostgreSQL test server: initdb failed: " + Tail(initdbLog));
    }
    // Saved under a private name, then renamed: a concurrent test sees all of it or nothing,
    // and when two save at once the second rename fails harmlessly.
    const std::string saving = kTemplate + ".saving-" + std::to_string(::getpid());
    std::filesystem::create_directories(std::filesystem::path(kTemplate).parent_path(), ignored);
    if (std::system(("cp -a " + data + " " + saving + " 2>/dev/null").c_str()) == 0) {
      std::filesystem::rename(saving, kTemplate, ignored);
    }
    std::filesystem::remove_all(saving, ignored);
  }

  port_ = PickFreeLoopbackPort();
  const std::string serverLog = dir_ + "/server.log";
  const std::string port = std::to_string(port_);
  const int log = ::open(serverLog.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
  const pid_t parent = ::getpid();
  server_ = ::fork();
  if (server_ < 0) throw std::runtime_error("PostgreSQL test server: fork failed");
  if (server_ == 0) {
    // Only system calls between fork and exec: the test binary may have threads.
    if (log >= 0) {
      ::dup2(log, STDOUT_FILENO);
      ::dup2(log, STDERR_FILENO);
    }
    if (asRoot && (::setgroups(0, nullptr) != 0 || ::setgid(gid) != 0 || ::setuid(uid) != 0)) ::_exit(126);
    ::prctl(PR_SET_PDEATHSIG, SIGQUIT);  // immediate shutdown if the test binary dies
    if (::getppid() != parent) ::_exit(0);
    ::execl((kBin + "/postgres").c_str(), "postgres", "-D", data.c_str(), "-p", port.c_str(), "-k", dir_.c_str(), "-c",
            "listen_addresses=127.0.0.1", "-c", "fsync=off", "-c", "synchronous_commit=off", "-c",
            "full_page_writes=off", "-c", "shared_buffers=16MB", "-c", "max_connections=30",
            static_cast<char*>(nullptr));
    ::_exit(127);
  }
  if (log >= 0) ::close(log);

  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
  const std::string admin = AdminConnection(port_, "postgres");
  while (PQping(admin.c_str()) != PQPING_OK) {
    int status = 0;
    if (::waitpid(server_, &status, WNOHANG) == server_) {
      server_ = -1;
      throw std::runtime_error("PostgreSQL test server exited at start: " + Tail(serverLog));
    }
    if (std::chrono::steady_clock::now() > deadline) {
      throw std::runtime_error("PostgreSQL test server not ready after 30 s: " + Tail(serverLog));
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
}

void PostgresTestServer::stop() {
  if (server_ > 0) {
    ::kill(server_, SIGINT);  // fast shutdown: disconnects clients, no checkpoint wait for them
    int status = 0;
    ::waitpid(server_, &status, 0);
    server_ = -1;
  }
  if (!dir_.empty()) {
    std::error_code ignored;
    std::filesystem::remove_all(dir_, ignored);
    dir_.clear();
  }
}

std::string PostgresTestServer::newDatabase() {
  if (!started_) {
    started_ = true;
    try {
      start();
    } catch (const std::exception& e) {
      startError_ = e.what();
      stop();
    }
  }
  if (!startError_.empty()) throw std::runtime_error(startError_);
  const std::string name = "relais_test_" + std::to_string(++databases_);
  PGconn* admin = PQconnectdb(AdminConnection(port_, "postgres").c_str());
  // The name is generated above, never input: an identifier cannot be a query parameter.
  PGresult* created = PQexec(admin, ("CREATE DATABASE " + name).c_str());
  const bool ok = PQresultStatus(created) == PGRES_COMMAND_OK;
  const std::string error = PQerrorMessage(admin);
  PQclear(created);
  PQfinish(admin);
  if (!ok) throw std::runtime_error("PostgreSQL test server: CREATE DATABASE failed: " + error);
  return AdminConnection(port_, name);
}

}  // namespace relais::test
