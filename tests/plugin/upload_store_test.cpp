// The UploadStore contract on both back ends (SQLite beside the cases, PostgreSQL shared by
// nodes), and the part files (infra/UploadParts): committed offsets only move forward from
// where they are, units see only their own sessions, a piece written after a crash's leftover
// bytes replaces them.
#include "infra/PostgresUploadStore.h"
#include "infra/SqliteCaseStore.h"
#include "infra/SqliteUploadStore.h"
#include "infra/UploadParts.h"

#include <gtest/gtest.h>
#include <sodium.h>
#include <unistd.h>

#include <atomic>
#include <filesystem>
#include <fstream>
#include <thread>

#include "harness/PostgresTestServer.h"
#include "domain/HttpError.h"

using namespace relais;

namespace {

enum class Backend { Sqlite, Postgres };
const char* ToString(Backend b) { return b == Backend::Sqlite ? "sqlite" : "postgresql"; }
std::string BackendName(const ::testing::TestParamInfo<Backend>& info) { return ToString(info.param); }
void PrintTo(Backend b, std::ostream* os) { *os << ToString(b); }

const std::string kSha(64, 'a');

std::filesystem::path FreshDirectory(const std::string& name) {
  const auto dir = std::filesystem::temp_directory_path() / ("relais-uploads-" + std::to_string(::getpid()) + "-" + name);
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  return dir;
}

std::string TestBaseName() {
  std::string name = ::testing::UnitTest::GetInstance()->current_test_info()->name();
  return name.substr(0, name.find('/'));
}

class UploadStoreTest : public ::testing::TestWithParam<Backend> {
 protected:
  void SetUp() override {
    if (GetParam() == Backend::Postgres) {
      try {
        connection_ = test::PostgresTestServer::Instance().newDatabase();
      } catch (const std::exception& e) {
        FAIL() << e.what();
      }
    } else {
      dir_ = FreshDirectory(TestBaseName());
    }
    store_ = Open();
  }
  void TearDown() override {
    store_.reset();
    if (!dir_.empty()) std::filesystem::remove_all(dir_);
  }
  std::unique_ptr<UploadStore> Open() {
    if (GetParam() == Backend::Postgres) return std::make_unique<PostgresUploadStore>(connection_);
    return std::make_unique<SqliteUploadStore>((dir_ / "cases.db").string());
  }
  std::filesystem::path dir_;
  std::string connection_;
  std::unique_ptr<UploadStore> store_;
};

}  // namespace

INSTANTIATE_TEST_SUITE_P(Backends, UploadStoreTest, ::testing::Values(Backend::Sqlite, Backend::Postgres), BackendName);

TEST_P(UploadStoreTest, OpenIsIdempotentPerUnitAndInstance) {
  const auto first = store_->open("VAN-07", "1.2.3", 1000, kSha, 100);
  EXPECT_TRUE(first.created);
  EXPECT_EQ(first.session.offset, 0);
  EXPECT_EQ(first.session.state, UploadState::Receiving);
  const auto again = store_->open("VAN-07", "1.2.3", 999, kSha, 200);
  EXPECT_FALSE(again.created);
  EXPECT_EQ(again.session.id, first.session.id);
  EXPECT_EQ(again.session.size, 1000);
  // Another unit's session for the same instance is its own.
  const auto other = store_->open("VAN-12", "1.2.3", 1000, kSha, 100);
  EXPECT_TRUE(other.created);
  EXPECT_NE(other.session.id, first.session.id);
}

TEST_P(UploadStoreTest, AUnitSeesOnlyItsOwnSessions) {
  store_->open("VAN-07", "1.2.3", 1000, kSha, 100);
  EXPECT_TRUE(store_->find("VAN-07", "1.2.3"));
  EXPECT_FALSE(store_->find("VAN-12", "1.2.3"));
}

TEST_P(UploadStoreTest, OffsetMovesOnlyFromWhereItIs) {
  const auto s = store_->open("VAN-07", "1.2.3", 1000, kSha, 100).session;
  EXPECT_TRUE(store_->commitOffset(s.id, 0, 400, 150));
  EXPECT_FALSE(store_->commitOffset(s.id, 0, 300, 160));  // a stale writer
  EXPECT_TRUE(store_->commitOffset(s.id, 400, 1000, 170));
  auto now = Open()->find("VAN-07", "1.2.3");  // what a restarted hub reads
  ASSERT_TRUE(now);
  EXPECT_EQ(now->offset, 1000);
  EXPECT_EQ(now->touchedAt, 170);
  EXPECT_TRUE(now->complete());
  store_->restart(s.id, 180);
  EXPECT_EQ(store_->byId(s.id)->offset, 0);
}

TEST_P(UploadStoreTest, StoredSessionKeepsItsAnswerAndLeavesTheQuota) {
  const auto a = store_->open("VAN-07", "1.2.3", 1000, kSha, 100).session;
  store_->open("VAN-07", "1.2.4", 500, kSha, 100);
  store_->open("VAN-12", "1.2.5", 7000, kSha, 100);
  EXPECT_EQ(store_->openBytes("VAN-07"), 1500);
  store_->commitOffset(a.id, 0, 1000, 110);
  store_->markStored(a.id, "orthanc-id", "Success", 120);
  EXPECT_EQ(store_->openBytes("VAN-07"), 500);
  const auto stored = store_->byId(a.id);
  EXPECT_EQ(stored->state, UploadState::Stored);
  EXPECT_EQ(stored->orthancId, "orthanc-id");
  EXPECT_EQ(stored->storeStatus, "Success");
  EXPECT_FALSE(store_->commitOffset(a.id, 1000, 1000, 130));  // nothing moves a stored session
}

TEST_P(UploadStoreTest, SweepFindsUntouchedSessionsAndRemoveForgetsThem) {
  const auto old = store_->open("VAN-07", "1.2.3", 1000, kSha, 100).session;
  const auto fresh = store_->open("VAN-07", "1.2.4", 1000, kSha, 100).session;
  store_->commitOffset(fresh.id, 0, 10, 500);
  const auto found = store_->untouchedSince(400);
  ASSERT_EQ(found.size(), 1u);
  EXPECT_EQ(found[0].id, old.id);
  store_->remove(old.id);
  EXPECT_FALSE(store_->byId(old.id));
  // Ids are never reused: a part file named by an old id cannot be mistaken for a new one's.
  EXPECT_GT(store_->open("VAN-07", "1.2.3", 1000, kSha, 600).session.id, fresh.id);
}

TEST_P(UploadStoreTest, ReceivedInstancesAreRemembered) {
  EXPECT_FALSE(store_->receivedFromUnit("1.2.3"));
  store_->recordReceived("1.2.3", "VAN-07", 100);
  store_->recordReceived("1.2.3", "VAN-07", 200);
  EXPECT_EQ(Open()->receivedFromUnit("1.2.3").value_or(""), "VAN-07");
  store_->forgetReceived("1.2.3");
  EXPECT_FALSE(store_->receivedFromUnit("1.2.3"));
}

TEST_P(UploadStoreTest, ConcurrentOpenersGetOneSession) {
  auto second = Open();
  std::atomic<int> created{0};
  std::vector<int64_t> ids(8);
  std::vector<std::thread> threads;
  for (int i = 0; i < 8; ++i) {
    threads.emplace_back([&, i] {
      UploadStore& s = i % 2 ? *second : *store_;
      const auto opened = s.open("VAN-07", "9.9.9", 10, kSha, 100);
      created += opened.created ? 1 : 0;
      ids[i] = opened.session.id;
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(created.load(), 1);
  for (int64_t id : ids) EXPECT_EQ(id, ids[0]);
}

TEST(SqliteUploadStoreTest, SharesTheCaseStoresFile) {
  const auto dir = FreshDirectory("shared");
  {
    SqliteCaseStore cases((dir / "cases.db").string());
    SqliteUploadStore uploads((dir / "cases.db").string());
    uploads.open("VAN-07", "1.2.3", 10, kSha, 100);
    cases.setSetting("k", "v");
    EXPECT_EQ(cases.setting("k").value_or(""), "v");
    EXPECT_TRUE(uploads.find("VAN-07", "1.2.3"));
  }
  std::filesystem::remove_all(dir);
}

TEST(UploadPartsTest, WriteCutsUncommittedBytesAndHashesTheWholeFile) {
  const auto dir = FreshDirectory("parts") / "nested";
  UploadParts parts(dir);  // creates the folder
  {
    auto part = parts.lock(5);
    part.writeAt(0, "hello ");
    part.writeAt(6, "wrong bytes a crash left");  // written, never committed
    part.writeAt(6, "world");                      // the retry at the committed offset
    EXPECT_EQ(part.length(), 11);
    EXPECT_EQ(part.read(11), "hello world");
    unsigned char digest[crypto_hash_sha256_BYTES];
    const std::string text = "hello world";
    crypto_hash_sha256(digest, reinterpret_cast<const unsigned char*>(text.data()), text.size());
    char hex[crypto_hash_sha256_BYTES * 2 + 1];
    sodium_bin2hex(hex, sizeof hex, digest, sizeof digest);
    EXPECT_EQ(part.sha256(11), hex);
  }
  EXPECT_EQ(parts.present(), std::vector<int64_t>{5});
  parts.remove(5);
  parts.remove(5);  // nothing left: no error
  EXPECT_TRUE(parts.present().empty());
  std::filesystem::remove_all(dir.parent_path());
}

TEST(UploadPartsTest, OneWriterAtATimePerSession) {
  const auto dir = FreshDirectory("lock");
  UploadParts parts(dir);
  std::atomic<bool> secondHasIt{false};
  auto first = std::make_unique<UploadParts::Part>(parts.lock(9));
  std::thread second([&] {
    auto part = parts.lock(9);
    secondHasIt = true;
  });
  std::this_thread::sleep_for(std::chrono::milliseconds(200));
  EXPECT_FALSE(secondHasIt.load());
  first.reset();
  second.join();
  EXPECT_TRUE(secondHasIt.load());
  std::filesystem::remove_all(dir);
}

TEST(UploadPartsTest, AFullDiskIs507) {
  const auto dir = FreshDirectory("full");
  UploadParts parts(dir);
  // /dev/full answers every write with ENOSPC, as a full disk does.
  std::filesystem::create_symlink("/dev/full", parts.pathOf(3));
  auto part = parts.lock(3);
  try {
    part.writeAt(0, "bytes");
    ADD_FAILURE() << "a write to a full disk succeeded";
  } catch (const HttpError& e) {
    EXPECT_EQ(e.status(), 507);
    EXPECT_STREQ(e.what(), "the hub's storage is full");
  }
  std::filesystem::remove_all(dir);
}
