// The forwarder against a real Orthanc over HTTP: every instance confirmed by the hub, the
// outbox marks them sent, sending again is harmless.
#include <gtest/gtest.h>

#include <set>

#include "harness/SyntheticStudy.h"
#include "harness/TempDir.h"
#include "harness/TestHub.h"
#include "integration/ForwardSetup.h"
#include "outbox/Forwarder.h"
#include "outbox/HttpTransport.h"

using namespace relais::outbox;
using namespace relais::test;

namespace {

// A study of `instances` synthetic instances written to `dir`/capture and enqueued in `outbox`.
SyntheticStudy CaptureAndEnqueue(const TempDir& dir, Outbox& outbox, int instances) {
  SyntheticStudyOptions options;
  options.instances = instances;
  SyntheticStudy study = WriteSyntheticStudy(dir / "capture", options);
  outbox.enqueueFolder(dir / "capture");
  return study;
}

// Sends what `outbox` holds to the hub as unit07 over HTTP, once: what the hub refuses is
// given up on, not retried.
DrainResult DrainOnce(const OrthancServer& hub, Outbox& outbox) {
  HubSettings settings{hub.baseUrl(), "unit07", "unit07-pass", "", std::chrono::seconds(30)};
  ForwarderOptions fo;
  fo.giveUp = true;
  Forwarder forwarder(outbox, [&] { return std::make_unique<HttpTransport>(settings, false); }, fo);
  std::atomic<bool> stop{false};
  return forwarder.drain(stop);
}

}  // namespace

TEST(ForwardHttp, SendsAStudyAndTheHubHoldsEveryInstanceOnce) {
  OrthancServer hub(HubOptions());
  TempDir dir("relais-forward");
  Outbox outbox(dir / "outbox");
  const SyntheticStudy study = CaptureAndEnqueue(dir, outbox, 30);

  DrainResult result = DrainOnce(hub, outbox);
  EXPECT_TRUE(result.empty) << result.lastError;
  EXPECT_EQ(result.sent, 30);
  EXPECT_EQ(result.manifests, 1);

  auto status = outbox.study(study.studyInstanceUid);
  ASSERT_TRUE(status);
  EXPECT_EQ(status->state(), "sent");
  EXPECT_EQ(status->sent, 30);
  for (const auto& i : outbox.instances(study.studyInstanceUid)) {
    EXPECT_EQ(i.answer.value_or("").rfind("Success ", 0), 0u) << i.answer.value_or("");
  }
  const auto held = HubSopInstanceUids(hub);
  EXPECT_EQ(held, std::multiset<std::string>(study.sopInstanceUids.begin(), study.sopInstanceUids.end()));

  // A second outbox holding the same files (a unit re-imaging its disk): the hub answers
  // AlreadyStored, nothing is duplicated, the outbox still records them sent.
  Outbox again(dir / "outbox2");
  again.enqueueFolder(dir / "capture");
  EXPECT_EQ(DrainOnce(hub, again).sent, 30);
  for (const auto& i : again.instances(study.studyInstanceUid)) {
    EXPECT_EQ(i.answer.value_or("").rfind("AlreadyStored ", 0), 0u) << i.answer.value_or("");
  }
  EXPECT_EQ(HubSopInstanceUids(hub).size(), 30u);
}

// A mistyped password is the likely cause when the hub refuses an upload: the nurse is told to
// check it, even though the hub answers 403 there (Orthanc's route), not 401; and it is not
// a link failure to retry (issue 17).
TEST(ForwardHttp, AWrongPasswordIsNamedAsAPossibleCause) {
  OrthancServer hub(HubOptions());
  TempDir dir("relais-forward");
  Outbox outbox(dir / "outbox");
  CaptureAndEnqueue(dir, outbox, 1);
  HttpTransport transport(HubSettings{hub.baseUrl(), "unit07", "not-the-password", "", std::chrono::seconds(30)}, false);
  const SendOutcome outcome = transport.send(outbox.nextPending(1).at(0));
  EXPECT_EQ(outcome.kind, SendOutcome::Kind::AccountRefused);
  EXPECT_NE(outcome.detail.find("password"), std::string::npos) << outcome.detail;
}

TEST(ForwardHttp, ARefusedInstanceIsRecordedWithTheHubsReasonAndTheRestStillGoes) {
  OrthancServer hub(HubOptions());
  TempDir dir("relais-forward");
  Outbox outbox(dir / "outbox");
  const SyntheticStudy study = CaptureAndEnqueue(dir, outbox, 3);
  // Damage the outbox copy of the second instance: the hub will refuse it (HTTP 400).
  auto pending = outbox.nextPending(10);
  std::filesystem::resize_file(pending[1].file, 200);

  DrainResult result = DrainOnce(hub, outbox);
  EXPECT_EQ(result.sent, 2);
  EXPECT_EQ(result.refused, 1);
  auto status = outbox.study(study.studyInstanceUid);
  EXPECT_EQ(status->state(), "failed");
  EXPECT_NE(status->lastError.value_or("").find("HTTP 400"), std::string::npos) << status->lastError.value_or("");
  EXPECT_EQ(HubSopInstanceUids(hub).size(), 2u);
}
