// relais-forward killed with kill -9 at random moments while it sends a 200-instance study,
// and started again each time: in the end the hub holds every instance exactly once, the
// study was routed exactly once (one case, one "routed" audit entry, also once Orthanc has
// called the study stable), and the outbox says everything is sent (the manifest acknowledged
// by the hub with that case's id).
#include <gtest/gtest.h>

#include <algorithm>
#include <random>
#include <set>
#include <thread>

#include "harness/ChildProcess.h"
#include "harness/HubCases.h"
#include "harness/SyntheticStudy.h"
#include "harness/TestHub.h"
#include "harness/TempDir.h"
#include "integration/ForwardSetup.h"
#include "outbox/Outbox.h"

using namespace relais::test;
using relais::outbox::Outbox;

namespace {
int SentSoFar(const std::filesystem::path& outboxDir, const std::string& studyUid) {
  Outbox outbox(outboxDir);
  auto s = outbox.study(studyUid);
  return s ? s->sent : 0;
}
}  // namespace

TEST(ForwardSurvivesKill, Kill9AtRandomMomentsStillDeliversEveryInstanceExactlyOnce) {
  OrthancServer hub(HubOptions());
  TempDir dir("relais-forward-kill");
  // 4 MB at 1 MB/s: the transfer lasts long enough for ten kills to land in the middle of it.
  const SlowTransfer transfer(hub, dir.path());
  const SyntheticStudy& study = transfer.study;

  std::mt19937 random(std::random_device{}());
  std::uniform_int_distribution<int> delayMs(30, 300);
  int killsMidTransfer = 0;
  std::vector<int> sentAtKill;
  for (int round = 0; round < 30 && killsMidTransfer < 12; ++round) {
    ChildProcess run(transfer.unit.command({"--once"}), dir / "forward.log");
    if (run.wait(std::chrono::milliseconds(delayMs(random)))) break;  // finished before the kill
    run.kill9();
    const int sent = SentSoFar(transfer.unit.outbox(), study.studyInstanceUid);
    sentAtKill.push_back(sent);
    if (sent < 200) ++killsMidTransfer;
  }
  ASSERT_GE(killsMidTransfer, 10) << "the transfer ended before ten kills; sent at each kill: "
                                  << testing::PrintToString(sentAtKill);
  // The sent count only grows from kill to kill: nothing recorded is ever lost.
  EXPECT_TRUE(std::is_sorted(sentAtKill.begin(), sentAtKill.end())) << testing::PrintToString(sentAtKill);

  ChildProcess last(transfer.unit.command({"--once"}), dir / "forward.log");
  ASSERT_EQ(last.wait(std::chrono::seconds(60)), 0) << last.log();

  // Routed once the manifest is met (at once when the last instance is there already).
  auto cases = WaitForCase(hub, study.studyInstanceUid, std::chrono::seconds(10));
  ASSERT_EQ(cases.size(), 1u) << cases.dump() << "\n" << last.log();
  const int64_t caseId = cases[0]["id"].get<int64_t>();
  EXPECT_EQ(cases[0]["queue"], "dermatology");
  EXPECT_EQ(cases[0]["rule"], "requested-dermatology");
  EXPECT_EQ(cases[0]["unit"], "VAN-07");
  EXPECT_EQ(cases[0]["state"], "queued");
  // Orthanc's StableStudy comes later (StableAge 2 s) and fires again for the study: wait for
  // it and one more sweep (1 s), then the study must still have one case, routed once.
  const std::string orthancStudyId = cases[0]["orthancStudyId"];
  const auto stableBy = std::chrono::steady_clock::now() + std::chrono::seconds(10);
  while (!AdminClient(hub).get("/studies/" + orthancStudyId).json().value("IsStable", false) &&
         std::chrono::steady_clock::now() < stableBy) {
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  std::this_thread::sleep_for(std::chrono::milliseconds(1500));
  cases = CasesOfStudy(hub, study.studyInstanceUid);
  ASSERT_EQ(cases.size(), 1u) << cases.dump();
  EXPECT_EQ(cases[0]["id"], caseId);
  EXPECT_EQ(cases[0]["newImages"], false);
  const auto audit = ClientAs(hub, "coord").get("/relais/v1/cases/" + std::to_string(caseId) + "/audit").json();
  EXPECT_EQ(std::count_if(audit.begin(), audit.end(), [](const auto& e) { return e["action"] == "routed"; }), 1)
      << audit.dump();

  const auto held = HubSopInstanceUids(hub);
  EXPECT_EQ(held.size(), 200u);
  EXPECT_EQ(held, std::multiset<std::string>(study.sopInstanceUids.begin(), study.sopInstanceUids.end()));
  EXPECT_EQ(AdminClient(hub).get("/statistics").json()["CountInstances"], 200);

  Outbox outbox(transfer.unit.outbox());
  auto status = outbox.study(study.studyInstanceUid);
  ASSERT_TRUE(status);
  EXPECT_EQ(status->sent, 200);
  EXPECT_EQ(status->pending, 0);
  EXPECT_EQ(status->state(), "sent");

  ChildProcess report(transfer.unit.command({"status", "--json"}), dir / "status.log");
  ASSERT_EQ(report.wait(std::chrono::seconds(30)), 0);
  auto json = nlohmann::json::parse(report.log());
  ASSERT_EQ(json.size(), 1u);
  EXPECT_EQ(json[0]["state"], "sent");
  EXPECT_EQ(json[0]["sent"], 200);
  // The acknowledgement is the hub's answer to the manifest, not a placeholder: complete, and
  // naming the case.
  EXPECT_EQ(json[0]["manifestAck"]["complete"], true) << json.dump();
  EXPECT_EQ(json[0]["manifestAck"]["caseId"], caseId) << json.dump();
}
