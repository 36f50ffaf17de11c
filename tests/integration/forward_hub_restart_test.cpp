// The hub goes away in the middle of a transfer and comes back: the forwarder service backs
// off while it is away and finishes by itself once it is back.
#include <gtest/gtest.h>

#include <thread>

#include "harness/TestHub.h"
#include "harness/ChildProcess.h"
#include "harness/SyntheticStudy.h"
#include "harness/TempDir.h"
#include "integration/ForwardSetup.h"
#include "outbox/Outbox.h"

using namespace relais::test;
using relais::outbox::Outbox;

namespace {
// Polls the outbox until `ready` holds or the deadline passes; returns the last sent count.
template <typename Ready>
int WaitForSent(const std::filesystem::path& outboxDir, const std::string& studyUid, Ready ready,
                std::chrono::seconds timeout) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  int sent = 0;
  while (std::chrono::steady_clock::now() < deadline) {
    Outbox outbox(outboxDir);
    auto s = outbox.study(studyUid);
    sent = s ? s->sent : 0;
    if (ready(s)) return sent;
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  return sent;
}
}  // namespace

TEST(ForwardHubRestart, TransferResumesByItselfWhenTheHubComesBack) {
  OrthancServer hub(HubOptions());
  TempDir dir("relais-forward-restart");
  const SlowTransfer transfer(hub, dir.path());
  const SyntheticStudy& study = transfer.study;

  ChildProcess service(transfer.unit.command({}), dir / "forward.log");
  const int before = WaitForSent(transfer.unit.outbox(), study.studyInstanceUid,
                                 [](const auto& s) { return s && s->sent >= 40; }, std::chrono::seconds(30));
  ASSERT_GE(before, 40) << service.log();
  hub.kill9();  // power cut at the hub, in the middle of the transfer
  std::this_thread::sleep_for(std::chrono::milliseconds(1500));
  {
    Outbox outbox(transfer.unit.outbox());
    auto s = outbox.study(study.studyInstanceUid);
    ASSERT_TRUE(s);
    EXPECT_LT(s->sent, 200);
    EXPECT_GT(s->attempts, 0) << "the failures while the hub was away are recorded";
    EXPECT_NE(s->lastError.value_or("").find("cannot reach the hub"), std::string::npos) << s->lastError.value_or("");
  }
  ASSERT_TRUE(service.running()) << "the service must wait for the hub, not exit: " << service.log();
  hub.start();
  const int after = WaitForSent(transfer.unit.outbox(), study.studyInstanceUid,
                                [](const auto& s) { return s && s->state() == "sent"; }, std::chrono::seconds(60));
  EXPECT_EQ(after, 200) << service.log();
  EXPECT_EQ(service.terminate(), 0) << service.log();
  const auto held = HubSopInstanceUids(hub);
  EXPECT_EQ(held, std::multiset<std::string>(study.sopInstanceUids.begin(), study.sopInstanceUids.end()));
}
