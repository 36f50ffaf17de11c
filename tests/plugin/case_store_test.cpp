// The CaseStore contract, run against every back end: SQLite (a file in a temp directory) and
// PostgreSQL (a fresh database on the test binary's own server, see PostgresTestServer).
#include "infra/PostgresCaseStore.h"
#include "infra/SqliteCaseStore.h"

#include <gtest/gtest.h>
#include <sqlite3.h>

#include <atomic>
#include <filesystem>
#include <set>
#include <thread>

#include "harness/PostgresTestServer.h"
#include "domain/HttpError.h"
#include "domain/User.h"

using namespace relais;

namespace {

enum class Backend { Sqlite, Postgres };

const char* ToString(Backend b) { return b == Backend::Sqlite ? "sqlite" : "postgresql"; }
std::string BackendName(const ::testing::TestParamInfo<Backend>& info) { return ToString(info.param); }
void PrintTo(Backend b, std::ostream* os) { *os << ToString(b); }  // names the back end in test listings

class CaseStoreTest : public ::testing::TestWithParam<Backend> {
 protected:
  void SetUp() override {
    if (GetParam() == Backend::Postgres) {
      try {
        connection_ = test::PostgresTestServer::Instance().newDatabase();
      } catch (const std::exception& e) {
        FAIL() << e.what();
      }
    } else {
      dir_ = std::filesystem::temp_directory_path() /
             ("relais-store-" + std::to_string(::getpid()) + "-" + TestBaseName());
      std::filesystem::remove_all(dir_);
      std::filesystem::create_directories(dir_);
    }
    store_ = Open();
  }
  void TearDown() override {
    store_.reset();
    if (!dir_.empty()) std::filesystem::remove_all(dir_);
  }
  // The test's name without the back end's suffix ("ClaimIsExclusiveAndAudited/sqlite").
  static std::string TestBaseName() {
    std::string name = ::testing::UnitTest::GetInstance()->current_test_info()->name();
    return name.substr(0, name.find('/'));
  }
  // A new store object on the same data: what a restarted plugin (or another node) sees.
  std::unique_ptr<CaseStore> Open() {
    if (GetParam() == Backend::Postgres) return std::make_unique<PostgresCaseStore>(connection_);
    return std::make_unique<SqliteCaseStore>((dir_ / "cases.db").string());
  }
  NewCase Study(const std::string& uid, const std::string& queue = "dermatology", const std::string& priority = "routine") {
    NewCase c;
    c.studyInstanceUid = uid;
    c.orthancStudyId = "o-" + uid;
    c.queue = queue;
    c.priority = priority;
    c.unit = "VAN-07";
    c.patient.id = "P1";
    c.rule = "r";
    c.sopInstanceUids = {uid + ".1", uid + ".2"};
    return c;
  }
  int Status(const std::function<void()>& f) {
    try {
      f();
    } catch (const HttpError& e) {
      return e.status();
    }
    return 0;
  }
  std::filesystem::path dir_;
  std::string connection_;
  std::unique_ptr<CaseStore> store_;
  Actor derm1_{"derm1", "10.0.0.1"}, derm2_{"derm2", "10.0.0.2"}, router_{"relais", ""};
};

}  // namespace

INSTANTIATE_TEST_SUITE_P(Backends, CaseStoreTest, ::testing::Values(Backend::Sqlite, Backend::Postgres), BackendName);

TEST_P(CaseStoreTest, CreateIsIdempotentPerStudy) {
  auto first = store_->createCase(Study("1.2.3"), router_);
  EXPECT_TRUE(first.created);
  auto again = store_->createCase(Study("1.2.3", "radiology"), router_);
  EXPECT_FALSE(again.created);
  EXPECT_EQ(again.value.id, first.value.id);
  EXPECT_EQ(again.value.queue, "dermatology");
  EXPECT_EQ(store_->list({}).total, 1);
  EXPECT_EQ(store_->auditTrail(first.value.id).size(), 1u);
}

TEST_P(CaseStoreTest, TellsWhichOrthancStudiesHaveACase) {
  EXPECT_TRUE(store_->orthancStudyIdsWithCases().empty());
  store_->createCase(Study("1.2.3"), router_);
  store_->createCase(Study("1.2.4"), router_);
  store_->createCase(Study("1.2.3"), router_);
  EXPECT_EQ(store_->orthancStudyIdsWithCases(), (std::set<std::string>{"o-1.2.3", "o-1.2.4"}));
}

TEST_P(CaseStoreTest, KeepsWhoSentTheStudy) {
  NewCase c = Study("1.2.3");
  c.sender = {"DicomProtocol", "USMACHINE3", "10.0.0.7", ""};
  const auto id = store_->createCase(c, router_).value.id;
  store_.reset();
  store_ = Open();
  const auto back = store_->get(id);
  ASSERT_TRUE(back.sender.has_value());
  EXPECT_EQ(ToJson(*back.sender), (nlohmann::json{{"origin", "DicomProtocol"}, {"aet", "USMACHINE3"},
                                                  {"ip", "10.0.0.7"}, {"account", ""}}));
  EXPECT_EQ(ToJson(back)["sender"]["aet"], "USMACHINE3");
}

TEST_P(CaseStoreTest, RepeatedCreatesLeaveNoGapsInCaseIds) {
  // Case numbers are what people quote on the phone; re-routing a study must not skip any.
  const auto first = store_->createCase(Study("7.1"), router_).value;
  for (int i = 0; i < 3; ++i) store_->createCase(Study("7.1"), router_);
  EXPECT_EQ(store_->createCase(Study("7.2"), router_).value.id, first.id + 1);
}

TEST_P(CaseStoreTest, RoutingNoteIsAuditedWithTheCreationOnly) {
  NewCase study = Study("4.5.6");
  study.routingNote = "stable: rule r matched";
  const auto first = store_->createCase(study, router_);
  store_->createCase(study, router_);  // a second routing of the same study
  const auto trail = store_->auditTrail(first.value.id);
  ASSERT_EQ(trail.size(), 2u);
  EXPECT_EQ(trail[0].action, "created");
  EXPECT_EQ(trail[1].action, "routed");
  EXPECT_EQ(trail[1].detail, "stable: rule r matched");
  EXPECT_EQ(trail[1].fromState, "queued");
  EXPECT_EQ(trail[1].toState, "queued");
}

TEST_P(CaseStoreTest, ConcurrentCreatesOfOneStudyMakeOneCase) {
  std::vector<std::thread> threads;
  std::atomic<int> created{0};
  for (int i = 0; i < 8; ++i) {
    threads.emplace_back([&] {
      if (store_->createCase(Study("9.9"), router_).created) ++created;
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(created.load(), 1);
}

TEST_P(CaseStoreTest, ClaimIsExclusiveAndAudited) {
  auto c = store_->createCase(Study("1"), router_).value;
  auto claimed = store_->claim(c.id, derm1_, std::chrono::seconds(60));
  EXPECT_EQ(claimed.state, CaseState::Claimed);
  EXPECT_EQ(claimed.claimedBy, std::optional<std::string>("derm1"));
  ASSERT_TRUE(claimed.leaseExpiresAt.has_value());
  EXPECT_EQ(Status([&] { store_->claim(c.id, derm2_, std::chrono::seconds(60)); }), 409);
  // The holder claiming again renews the lease instead of failing.
  EXPECT_EQ(store_->claim(c.id, derm1_, std::chrono::seconds(60)).claimedBy, std::optional<std::string>("derm1"));
  auto trail = store_->auditTrail(c.id);
  ASSERT_GE(trail.size(), 2u);
  EXPECT_EQ(trail[1].action, "claim");
  EXPECT_EQ(trail[1].user, "derm1");
  EXPECT_EQ(trail[1].address, "10.0.0.1");
  EXPECT_EQ(trail[1].fromState, "queued");
  EXPECT_EQ(trail[1].toState, "claimed");
}

TEST_P(CaseStoreTest, ConcurrentClaimsNeverShareACase) {
  for (int i = 0; i < 100; ++i) store_->createCase(Study("s" + std::to_string(i)), router_);
  std::mutex m;
  std::multiset<int64_t> got;
  std::vector<std::thread> threads;
  for (int t = 0; t < 8; ++t) {
    threads.emplace_back([&, t] {
      Actor a{"spec" + std::to_string(t), ""};
      while (auto c = store_->claimNext("dermatology", a, std::chrono::seconds(60))) {
        std::lock_guard<std::mutex> lock(m);
        got.insert(c->id);
      }
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(got.size(), 100u);
  EXPECT_EQ(std::set<int64_t>(got.begin(), got.end()).size(), 100u);
}

TEST_P(CaseStoreTest, ExpiredLeaseReturnsTheCaseToItsQueue) {
  auto c = store_->createCase(Study("1"), router_).value;
  store_->claim(c.id, derm1_, std::chrono::seconds(0));
  EXPECT_EQ(store_->expireLeases(NowSeconds() + 1), 1);
  EXPECT_EQ(store_->get(c.id).state, CaseState::Queued);
  EXPECT_FALSE(store_->get(c.id).claimedBy.has_value());
  // A case whose lease ran out can also be claimed directly by someone else.
  store_->claim(c.id, derm1_, std::chrono::seconds(0));
  EXPECT_EQ(store_->claim(c.id, derm2_, std::chrono::seconds(60)).claimedBy, std::optional<std::string>("derm2"));
}

TEST_P(CaseStoreTest, TransitionsFollowTheLifecycleAndKeepTheHolder) {
  auto c = store_->createCase(Study("1"), router_).value;
  EXPECT_EQ(Status([&] { store_->transition(c.id, CaseEvent::Report, derm1_, {}); }), 409);
  store_->claim(c.id, derm1_, std::chrono::seconds(60));
  TransitionOptions holder;
  holder.holderOnly = true;
  EXPECT_EQ(Status([&] { store_->transition(c.id, CaseEvent::Release, derm2_, holder); }), 403);
  holder.detail = "please add a close-up";
  auto asked = store_->transition(c.id, CaseEvent::RequestInfo, derm1_, holder);
  EXPECT_EQ(asked.state, CaseState::InfoRequested);
  auto answered = store_->transition(c.id, CaseEvent::AnswerInfo, Actor{"nurse07", ""}, {});
  EXPECT_EQ(answered.state, CaseState::Queued);
  EXPECT_FALSE(answered.claimedBy.has_value());
  store_->claim(c.id, derm2_, std::chrono::seconds(60));
  auto reported = store_->transition(c.id, CaseEvent::Report, derm2_, {});
  EXPECT_EQ(reported.state, CaseState::Reported);
  EXPECT_TRUE(reported.reportedAt.has_value());
  EXPECT_EQ(store_->transition(c.id, CaseEvent::Deliver, Actor{"unit07", ""}, {}).state, CaseState::Delivered);
  EXPECT_EQ(store_->transition(c.id, CaseEvent::Amend, derm2_, {}).state, CaseState::Amended);
  auto trail = store_->auditTrail(c.id);
  EXPECT_EQ(trail[2].detail, "please add a close-up");
  EXPECT_EQ(trail.back().action, "amend");
  EXPECT_EQ(Status([&] { store_->get(424242); }), 404);
  EXPECT_EQ(Status([&] { store_->transition(424242, CaseEvent::Release, derm1_, {}); }), 404);
}

TEST_P(CaseStoreTest, RefusedTransitionChangesNothing) {
  auto c = store_->createCase(Study("1"), router_).value;
  const auto before = store_->auditTrail(c.id).size();
  EXPECT_EQ(Status([&] { store_->transition(c.id, CaseEvent::Deliver, derm1_, {}); }), 409);
  EXPECT_EQ(store_->get(c.id).state, CaseState::Queued);
  EXPECT_EQ(store_->auditTrail(c.id).size(), before);
}

TEST_P(CaseStoreTest, ReassignMovesAnOpenCaseToAnotherQueue) {
  auto c = store_->createCase(Study("1", "triage"), router_).value;
  TransitionOptions o;
  o.newQueue = "radiology";
  auto moved = store_->transition(c.id, CaseEvent::Reassign, Actor{"coord", ""}, o);
  EXPECT_EQ(moved.queue, "radiology");
  EXPECT_EQ(moved.state, CaseState::Queued);
}

TEST_P(CaseStoreTest, ListsInStableOrderWithFiltersAndPaging) {
  store_->createCase(Study("a"), router_);
  store_->createCase(Study("b", "radiology"), router_);
  store_->createCase(Study("c", "dermatology", "urgent"), router_);
  auto all = store_->list({});
  ASSERT_EQ(all.cases.size(), 3u);
  EXPECT_EQ(all.cases[0].studyInstanceUid, "c");  // urgent first
  EXPECT_EQ(all.cases[1].studyInstanceUid, "a");  // then the oldest
  CaseFilter derm;
  derm.queue = "dermatology";
  derm.limit = 1;
  derm.offset = 1;
  auto page = store_->list(derm);
  EXPECT_EQ(page.total, 2);
  ASSERT_EQ(page.cases.size(), 1u);
  EXPECT_EQ(page.cases[0].studyInstanceUid, "a");
  CaseFilter scope;
  scope.onlyQueues = {"radiology"};
  EXPECT_EQ(store_->list(scope).total, 1);
}

// The viewer's queue page: every open state of a queue in one page, in the list's order,
// whatever the queue's history of reported cases.
TEST_P(CaseStoreTest, ListsCasesInAnyOfSeveralStates) {
  auto reported = store_->createCase(Study("old"), router_).value;
  store_->claim(reported.id, derm1_, std::chrono::seconds(60));
  store_->transition(reported.id, CaseEvent::Report, derm1_, {});
  store_->createCase(Study("a"), router_);
  auto b = store_->createCase(Study("b"), router_).value;
  store_->claim(b.id, derm1_, std::chrono::seconds(60));
  auto c = store_->createCase(Study("c", "dermatology", "urgent"), router_).value;
  store_->claim(c.id, derm1_, std::chrono::seconds(60));
  store_->transition(c.id, CaseEvent::RequestInfo, derm1_, {});
  store_->createCase(Study("r", "radiology"), router_);

  CaseFilter open;
  open.queue = "dermatology";
  open.states = {CaseState::Queued, CaseState::Claimed, CaseState::InfoRequested};
  const auto page = store_->list(open);
  EXPECT_EQ(page.total, 3);
  ASSERT_EQ(page.cases.size(), 3u);
  EXPECT_EQ(page.cases[0].studyInstanceUid, "c");  // urgent first, then the oldest
  EXPECT_EQ(page.cases[1].studyInstanceUid, "a");
  EXPECT_EQ(page.cases[2].studyInstanceUid, "b");
  CaseFilter one;
  one.states = {CaseState::Reported};
  const auto reportedOnly = store_->list(one);
  ASSERT_EQ(reportedOnly.cases.size(), 1u);
  EXPECT_EQ(reportedOnly.cases[0].id, reported.id);
}

TEST_P(CaseStoreTest, LateImagesFlagTheCaseAndAnswerAnInformationRequest) {
  auto c = store_->createCase(Study("1"), router_).value;
  EXPECT_EQ(store_->knownInstances(c.id).size(), 2u);
  // Already known instances change nothing.
  EXPECT_FALSE(store_->attachInstances(c.id, {"1.1"}, true, router_).newImages);
  store_->claim(c.id, derm1_, std::chrono::seconds(60));
  store_->transition(c.id, CaseEvent::RequestInfo, derm1_, {});
  auto after = store_->attachInstances(c.id, {"1.3"}, true, Actor{"unit07", ""});
  EXPECT_TRUE(after.newImages);
  EXPECT_EQ(after.state, CaseState::Queued);
  store_->clearNewImages(c.id);
  EXPECT_FALSE(store_->get(c.id).newImages);
}

TEST_P(CaseStoreTest, LateInstancesKeepWhenTheyWereAttached) {
  auto c = store_->createCase(Study("1"), router_).value;
  EXPECT_TRUE(store_->lateInstances(c.id).empty()) << "instances routed with the study are not late";
  const int64_t before = NowSeconds();
  store_->attachInstances(c.id, {"1.1", "1.3"}, true, router_);  // 1.1 was routed with the study
  const auto late = store_->lateInstances(c.id);
  ASSERT_EQ(late.size(), 1u);
  ASSERT_EQ(late.count("1.3"), 1u);
  EXPECT_GE(late.at("1.3"), before);
  EXPECT_LE(late.at("1.3"), NowSeconds());
  // The times survive a restart (or another node's view of the same data).
  store_.reset();
  store_ = Open();
  EXPECT_EQ(store_->lateInstances(c.id), late);
}

TEST_P(CaseStoreTest, QueuesAndStatistics) {
  store_->createCase(Study("a"), router_);
  auto b = store_->createCase(Study("b"), router_).value;
  store_->claim(b.id, derm1_, std::chrono::seconds(60));
  store_->transition(b.id, CaseEvent::Report, derm1_, {});
  store_->createCase(Study("c", "dermatology", "urgent"), router_);
  auto d = store_->createCase(Study("d", "dermatology", "urgent"), router_).value;
  store_->claim(d.id, derm1_, std::chrono::seconds(60));  // urgent, but no longer waiting
  auto queues = store_->queues();
  bool seen = false;
  for (const auto& q : queues) {
    if (q.queue != "dermatology") continue;
    seen = true;
    EXPECT_EQ(q.waiting, 2);
    EXPECT_EQ(q.urgent, 1);
    EXPECT_EQ(q.byState.at("reported"), 1);
    EXPECT_TRUE(q.oldestWaitingSince.has_value());
  }
  EXPECT_TRUE(seen);
  EXPECT_EQ(queues.size(), KnownQueues().size());
  auto st = store_->statistics();
  EXPECT_EQ(st.byQueue["dermatology"], 4);
  EXPECT_EQ(st.byUnit["VAN-07"], 4);
  EXPECT_EQ(st.turnaroundSeconds.size(), 1u);
}

TEST_P(CaseStoreTest, ManifestsAndSettingsPersistAcrossReopen) {
  Manifest m{"1.2", "VAN-07", "urgent", {"1.2.1", "1.2.2"}, 100, false, "unit07"};
  store_->saveManifest(m);
  store_->setSetting("changes-cursor", "42");
  store_.reset();
  store_ = Open();
  auto back = store_->manifest("1.2");
  ASSERT_TRUE(back.has_value());
  EXPECT_EQ(back->sopInstanceUids.size(), 2u);
  EXPECT_EQ(back->account, "unit07");
  EXPECT_EQ(store_->pendingManifests().size(), 1u);
  store_->markManifestRouted("1.2");
  EXPECT_TRUE(store_->pendingManifests().empty());
  EXPECT_EQ(store_->setting("changes-cursor"), std::optional<std::string>("42"));
}

TEST_P(CaseStoreTest, ARaisedSettingOnlyMovesForward) {
  store_->raiseSetting("changes-cursor", 40);  // absent: set
  EXPECT_EQ(store_->setting("changes-cursor"), std::optional<std::string>("40"));
  store_->raiseSetting("changes-cursor", 7);  // another node behind this one: no change
  EXPECT_EQ(store_->setting("changes-cursor"), std::optional<std::string>("40"));
  store_->raiseSetting("changes-cursor", 1000);  // numbers, not text: "1000" > "40"
  EXPECT_EQ(store_->setting("changes-cursor"), std::optional<std::string>("1000"));
}

TEST(SqliteCaseStore, UnwritablePathIsAClearError) {
  try {
    // The store creates a missing folder (a fresh hub), so: a folder that cannot exist.
    SqliteCaseStore bad("/dev/null/cases.db");
    FAIL();
  } catch (const std::runtime_error& e) {
    EXPECT_NE(std::string(e.what()).find("/dev/null/cases.db"), std::string::npos) << e.what();
  }
}

// A hub updated in place opens the file its earlier version wrote: instances listed there
// before arrival times were kept count as routed with their study, later ones get a time.
namespace {
// A case store file with one case (study "9", instance "9.1") in a fresh folder, as an earlier
// version would leave it once the test has altered its tables; returns the case's id.
int64_t StoreFileWithOneCase(const std::filesystem::path& dir, const std::string& path) {
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  SqliteCaseStore store(path);
  NewCase c;
  c.studyInstanceUid = "9";
  c.orthancStudyId = "o-9";
  c.queue = "dermatology";
  c.sopInstanceUids = {"9.1"};
  store.saveManifest(Manifest{"9", "VAN-07", "", {"9.1"}, 100, false, "unit07"});
  return store.createCase(c, Actor{"relais-router", ""}).value.id;
}
}  // namespace

TEST(SqliteCaseStore, AFileFromBeforeArrivalTimesOpensAndKeepsThemFromThenOn) {
  const auto dir = std::filesystem::temp_directory_path() / ("relais-store-old-" + std::to_string(::getpid()));
  const std::string path = (dir / "cases.db").string();
  const int64_t caseId = StoreFileWithOneCase(dir, path);
  {
    // The earlier table: no added_at column, one row attached late.
    sqlite3* db = nullptr;
    ASSERT_EQ(sqlite3_open(path.c_str(), &db), SQLITE_OK);
    const std::string sql =
        "DROP TABLE case_instances; CREATE TABLE case_instances (case_id INTEGER NOT NULL, sop_uid TEXT NOT NULL, "
        "PRIMARY KEY (case_id, sop_uid)) WITHOUT ROWID; INSERT INTO case_instances VALUES (" +
        std::to_string(caseId) + ", '9.1'), (" + std::to_string(caseId) + ", '9.2');";
    ASSERT_EQ(sqlite3_exec(db, sql.c_str(), nullptr, nullptr, nullptr), SQLITE_OK) << sqlite3_errmsg(db);
    sqlite3_close(db);
  }
  SqliteCaseStore store(path);
  EXPECT_EQ(store.knownInstances(caseId).size(), 2u);
  EXPECT_TRUE(store.lateInstances(caseId).empty());
  store.attachInstances(caseId, {"9.3"}, true, Actor{"relais-router", ""});
  const auto late = store.lateInstances(caseId);
  EXPECT_EQ(late.size(), 1u);
  EXPECT_EQ(late.count("9.3"), 1u);
  std::filesystem::remove_all(dir);
}

TEST(SqliteCaseStore, AFileFromBeforeSendersOpensWithNoSenderForItsCases) {
  const auto dir = std::filesystem::temp_directory_path() / ("relais-store-senders-" + std::to_string(::getpid()));
  const std::string path = (dir / "cases.db").string();
  const int64_t caseId = StoreFileWithOneCase(dir, path);
  {
    sqlite3* db = nullptr;
    ASSERT_EQ(sqlite3_open(path.c_str(), &db), SQLITE_OK);
    const char* sql = "ALTER TABLE cases DROP COLUMN sender; ALTER TABLE manifests DROP COLUMN account;";
    ASSERT_EQ(sqlite3_exec(db, sql, nullptr, nullptr, nullptr), SQLITE_OK) << sqlite3_errmsg(db);
    sqlite3_close(db);
  }
  SqliteCaseStore store(path);
  EXPECT_FALSE(store.get(caseId).sender.has_value());
  EXPECT_EQ(ToJson(store.get(caseId))["sender"], nullptr);
  EXPECT_EQ(store.manifest("9")->account, "");
  std::filesystem::remove_all(dir);
}
