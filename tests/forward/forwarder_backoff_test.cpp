// A hub answering 500, or not answering at all, gets exponential backoff with jitter: a few
// requests spaced further and further apart, never a busy loop; the failures are recorded.
#include <gtest/gtest.h>

#include <thread>

#include "FakeHub.h"
#include "harness/SyntheticStudy.h"
#include "harness/TempDir.h"
#include "outbox/Forwarder.h"
#include "outbox/HttpTransport.h"

using namespace relais::outbox;
using namespace relais::test;

namespace {

struct Attempts {
  std::vector<std::chrono::steady_clock::time_point> requests;
  std::optional<StudyStatus> study;
};

Attempts SendTo(FakeHub& hub, std::chrono::milliseconds duration, std::chrono::seconds timeout) {
  TempDir dir("relais-backoff");
  SyntheticStudyOptions options;
  options.instances = 3;
  auto study = WriteSyntheticStudy(dir / "capture", options);
  Outbox outbox(dir / "outbox");
  outbox.enqueueFolder(dir / "capture");
  ForwarderOptions fo;
  fo.concurrency = 2;
  fo.retry.initialDelay = std::chrono::milliseconds(200);
  fo.retry.maxDelay = std::chrono::milliseconds(1600);
  fo.retry.multiplier = 2;
  fo.retry.jitter = 0.5;
  fo.giveUp = false;  // the service: retries for ever
  HubSettings settings{hub.url(), "unit07", "unit07-pass", "", timeout};
  Forwarder forwarder(outbox, [&] { return std::make_unique<HttpTransport>(settings); }, fo);
  std::atomic<bool> stop{false};
  std::thread stopper([&] {
    std::this_thread::sleep_for(duration);
    stop = true;
  });
  DrainResult result = forwarder.drain(stop);
  stopper.join();
  EXPECT_FALSE(result.empty);
  EXPECT_EQ(result.sent, 0);
  return {hub.requests(), outbox.study(study.studyInstanceUid)};
}

// Nothing got through: the study's three instances all still wait, and its last recorded
// error says why.
void ExpectNothingSentBecause(const Attempts& run, const std::string& error) {
  ASSERT_TRUE(run.study);
  EXPECT_EQ(run.study->pending, 3);
  EXPECT_NE(run.study->lastError.value_or("").find(error), std::string::npos) << run.study->lastError.value_or("");
}

}  // namespace

TEST(ForwarderBackoff, AHubAnswering500GetsFewerAndFewerRequests) {
  FakeHub hub(FakeHub::Behaviour::Answer500);
  Attempts run = SendTo(hub, std::chrono::milliseconds(4000), std::chrono::seconds(5));
  // Without backoff this would be thousands of requests in four seconds. With it: attempts
  // after about 0, 0.2, 0.6, 1.4, 3.0 s (minus up to half of each delay as jitter), one
  // request per sending thread in flight at each attempt.
  ASSERT_GE(run.requests.size(), 3u);
  EXPECT_LE(run.requests.size(), 20u);
  ASSERT_NO_FATAL_FAILURE(ExpectNothingSentBecause(run, "HTTP 500"));
  EXPECT_GE(run.study->attempts, 3);
  // The last gap between two attempts is longer than the first: the delay grows.
  std::vector<double> gaps;
  for (size_t i = 1; i < run.requests.size(); ++i) {
    double gap = std::chrono::duration<double>(run.requests[i] - run.requests[i - 1]).count();
    if (gap > 0.05) gaps.push_back(gap);  // requests of one attempt arrive together
  }
  ASSERT_GE(gaps.size(), 2u);
  EXPECT_GE(gaps.front(), 0.09);
  EXPECT_GT(gaps.back(), gaps.front());
}

TEST(ForwarderBackoff, AHubThatNeverAnswersTimesOutAndIsRetriedSparingly) {
  FakeHub hub(FakeHub::Behaviour::NeverAnswer);
  Attempts run = SendTo(hub, std::chrono::milliseconds(3500), std::chrono::seconds(1));
  // Each attempt waits for the 1 s timeout, then backs off.
  ASSERT_GE(run.requests.size(), 2u);
  EXPECT_LE(run.requests.size(), 8u);
  ExpectNothingSentBecause(run, "cannot reach the hub");
}
