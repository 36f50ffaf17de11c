// What only the PostgreSQL case store promises beyond the shared contract (case_store_test.cpp):
// several Orthanc nodes, each with its own store object and connection, coordinating through
// the database alone; a dropped connection; a clear error for a server that is not there.
#include "infra/PostgresCaseStore.h"

#include <gtest/gtest.h>
#include <libpq-fe.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <map>
#include <mutex>
#include <set>
#include <thread>

#include "harness/PostgresTestServer.h"
#include "domain/User.h"

using namespace relais;

namespace {

class PostgresNodesTest : public ::testing::Test {
 protected:
  void SetUp() override {
    try {
      connection_ = test::PostgresTestServer::Instance().newDatabase();
    } catch (const std::exception& e) {
      FAIL() << e.what();
    }
    nodeA_ = std::make_unique<PostgresCaseStore>(connection_);
    nodeB_ = std::make_unique<PostgresCaseStore>(connection_);
  }
  CaseStore& node(int i) { return i % 2 == 0 ? *nodeA_ : *nodeB_; }
  static NewCase Study(const std::string& uid) {
    NewCase c;
    c.studyInstanceUid = uid;
    c.orthancStudyId = "o-" + uid;
    c.queue = "dermatology";
    c.priority = "routine";
    c.unit = "VAN-07";
    c.rule = "r";
    c.sopInstanceUids = {uid + ".1"};
    return c;
  }
  static int CountActions(const std::vector<AuditEntry>& trail, const std::string& action) {
    int n = 0;
    for (const auto& e : trail) n += e.action == action ? 1 : 0;
    return n;
  }
  std::string connection_;
  std::unique_ptr<PostgresCaseStore> nodeA_, nodeB_;
  Actor router_{"relais", ""};
};

int UnusedLoopbackPort() {
  const int s = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t length = sizeof address;
  ::bind(s, reinterpret_cast<sockaddr*>(&address), sizeof address);
  ::getsockname(s, reinterpret_cast<sockaddr*>(&address), &length);
  ::close(s);
  return ntohs(address.sin_port);
}

}  // namespace

TEST_F(PostgresNodesTest, TwoNodesNeverClaimTheSameCase) {
  for (int i = 0; i < 200; ++i) node(i).createCase(Study("s" + std::to_string(i)), router_);
  std::mutex m;
  std::multiset<int64_t> got;
  std::vector<std::string> errors;  // claimNext never refuses: it passes over taken cases
  std::vector<std::thread> threads;
  for (int t = 0; t < 8; ++t) {
    threads.emplace_back([&, t] {
      Actor a{"spec" + std::to_string(t), ""};
      try {
        while (auto c = node(t).claimNext("dermatology", a, std::chrono::seconds(60))) {
          std::lock_guard<std::mutex> lock(m);
          got.insert(c->id);
        }
      } catch (const std::exception& e) {
        std::lock_guard<std::mutex> lock(m);
        errors.push_back(e.what());
      }
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_TRUE(errors.empty()) << (errors.empty() ? "" : errors.front());
  EXPECT_EQ(got.size(), 200u);
  EXPECT_EQ(std::set<int64_t>(got.begin(), got.end()).size(), 200u);
  CaseFilter claimed;
  claimed.states = {CaseState::Claimed};
  EXPECT_EQ(nodeA_->list(claimed).total, 200);
  for (int64_t id : std::set<int64_t>(got.begin(), got.end())) {
    ASSERT_EQ(CountActions(nodeB_->auditTrail(id), ToString(CaseEvent::Claim)), 1) << "case " << id;
  }
}

TEST_F(PostgresNodesTest, TwoNodesCreatingOneStudyMakeOneCase) {
  std::map<std::string, std::atomic<int>> created;
  for (int s = 0; s < 20; ++s) created["study" + std::to_string(s)] = 0;
  std::mutex m;
  std::map<std::string, std::set<int64_t>> ids;
  std::vector<std::thread> threads;
  for (int t = 0; t < 8; ++t) {
    threads.emplace_back([&, t] {
      for (auto& [uid, count] : created) {
        const auto result = node(t).createCase(Study(uid), router_);
        if (result.created) ++count;
        std::lock_guard<std::mutex> lock(m);
        ids[uid].insert(result.value.id);
      }
    });
  }
  for (auto& t : threads) t.join();
  for (auto& [uid, count] : created) {
    EXPECT_EQ(count.load(), 1) << uid;
    ASSERT_EQ(ids[uid].size(), 1u) << uid;
    EXPECT_EQ(CountActions(nodeA_->auditTrail(*ids[uid].begin()), "created"), 1) << uid;
  }
  EXPECT_EQ(nodeB_->list({}).total, 20);
}

TEST_F(PostgresNodesTest, TwoNodesExpiringAtOnceRequeueEachCaseOnce) {
  for (int i = 0; i < 50; ++i) {
    const auto c = nodeA_->createCase(Study("e" + std::to_string(i)), router_).value;
    nodeA_->claim(c.id, Actor{"derm1", ""}, std::chrono::seconds(0));
  }
  const int64_t later = NowSeconds() + 1;
  std::atomic<int> expired{0};
  std::thread a([&] { expired += nodeA_->expireLeases(later); });
  std::thread b([&] { expired += nodeB_->expireLeases(later); });
  a.join();
  b.join();
  EXPECT_EQ(expired.load(), 50);
  const auto all = nodeA_->list(CaseFilter{std::nullopt, {}, std::nullopt, std::nullopt, {}, 100, 0});
  ASSERT_EQ(all.cases.size(), 50u);
  for (const auto& c : all.cases) {
    EXPECT_EQ(c.state, CaseState::Queued);
    EXPECT_EQ(CountActions(nodeA_->auditTrail(c.id), ToString(CaseEvent::ExpireLease)), 1) << "case " << c.id;
  }
}

TEST_F(PostgresNodesTest, NodesStartingTogetherCreateTheSchemaOnce) {
  const std::string fresh = test::PostgresTestServer::Instance().newDatabase();
  std::atomic<int> failures{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&] {
      try {
        PostgresCaseStore store(fresh);
      } catch (const std::exception& e) {
        ++failures;
        ADD_FAILURE() << e.what();
      }
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(failures.load(), 0);
}

TEST_F(PostgresNodesTest, ADroppedConnectionIsReopened) {
  const auto c = nodeA_->createCase(Study("1"), router_).value;
  // What a server restart or a failover looks like from the store: its session is gone.
  PGconn* admin = PQconnectdb(connection_.c_str());
  PGresult* killed = PQexec(admin,
                            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                            "WHERE datname = current_database() AND pid <> pg_backend_pid()");
  ASSERT_EQ(PQresultStatus(killed), PGRES_TUPLES_OK) << PQerrorMessage(admin);
  EXPECT_EQ(PQntuples(killed), 2);  // both nodes' sessions
  PQclear(killed);
  PQfinish(admin);
  EXPECT_EQ(nodeA_->get(c.id).id, c.id);
  EXPECT_EQ(nodeB_->claim(c.id, Actor{"derm1", ""}, std::chrono::seconds(60)).state, CaseState::Claimed);
}

TEST(PostgresCaseStore, UnreachableServerIsAClearErrorWithoutThePassword) {
  const std::string port = std::to_string(UnusedLoopbackPort());
  try {
    PostgresCaseStore store("host=127.0.0.1 port=" + port + " dbname=relais user=relais password=s3cret-pw");
    FAIL() << "connected to a port nobody listens on";
  } catch (const std::runtime_error& e) {
    const std::string message = e.what();
    EXPECT_NE(message.find("host=127.0.0.1 port=" + port + " dbname=relais user=relais"), std::string::npos)
        << message;
    EXPECT_EQ(message.find("s3cret-pw"), std::string::npos) << message;
  }
}

TEST(PostgresCaseStore, UnreadableConnectionStringIsAnErrorThatDoesNotQuoteIt) {
  try {
    PostgresCaseStore store("host=127.0.0.1 password='s3cret-pw");
    FAIL() << "accepted an unterminated quote";
  } catch (const std::runtime_error& e) {
    const std::string message = e.what();
    EXPECT_NE(message.find("connection string cannot be read"), std::string::npos) << message;
    EXPECT_EQ(message.find("s3cret-pw"), std::string::npos) << message;
  }
}
