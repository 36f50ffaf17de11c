// The forwarder's choices with a transport that sends in pieces: an urgent study enqueued while
// a routine one is on its way goes next and the routine one continues where it stood; progress
// moves per piece, in bytes; a refused account stops the sending until its configuration
// changes, and the refusal survives a restart.
#include <gtest/gtest.h>

#include <map>
#include <mutex>
#include <thread>

#include "harness/SyntheticStudy.h"
#include "harness/TempDir.h"
#include "outbox/Forwarder.h"

using namespace relais::outbox;
using namespace relais::test;

namespace {

// Sends each instance in four pieces, remembering across transports what "the hub" holds.
struct PieceHub {
  std::mutex mutex;
  std::map<std::string, int64_t> committed;
  std::vector<std::string> events;  // "yield SOP", "stored SOP", "manifest StudyUID"
  int64_t bytesCarried = 0;
  std::function<void(const PendingInstance&)> afterFirstPiece;
  bool refuseAccount = false;
  int sends = 0;
  double secondsPerPiece = 1.0;  // what each piece reports: 100 kB in 1 s is a narrow link
  std::chrono::milliseconds pieceTime{0};  // how long a piece really takes here
  int inFlight = 0;
  int mostInFlight = 0;
  std::vector<std::chrono::steady_clock::time_point> pieceTimes;
};

class PieceTransport : public Transport {
 public:
  PieceTransport(PieceHub& hub, std::string fingerprint) : hub_(hub), fingerprint_(std::move(fingerprint)) {}
  SendOutcome send(const PendingInstance& i) override { return send(i, {}); }
  SendOutcome send(const PendingInstance& i, const SendHooks& hooks) override {
    std::unique_lock<std::mutex> lock(hub_.mutex);
    ++hub_.sends;
    if (hub_.refuseAccount) {
      return SendOutcome::accountRefused("the hub refused the unit's account unit07 (401 Unauthorized): check user "
                                         "and passwordFile in forward.json");
    }
    const int64_t piece = (i.bytes + 3) / 4;
    int64_t& at = hub_.committed[i.sopInstanceUid];
    hub_.mostInFlight = std::max(hub_.mostInFlight, ++hub_.inFlight);
    struct Leave {
      PieceHub& hub;
      std::unique_lock<std::mutex>& lock;
      ~Leave() {
        if (!lock.owns_lock()) lock.lock();
        --hub.inFlight;
      }
    } leave{hub_, lock};
    while (at < i.bytes) {
      if (at > 0 && hooks.moreUrgentWaiting) {
        lock.unlock();
        const bool yield = hooks.moreUrgentWaiting();
        lock.lock();
        if (yield) {
          hub_.events.push_back("yield " + i.sopInstanceUid);
          return SendOutcome::yielded("for a more urgent one");
        }
      }
      const int64_t n = std::min(piece, i.bytes - at);
      at += n;
      hub_.bytesCarried += n;
      const int64_t now = at;
      lock.unlock();
      if (hooks.beforePiece) hooks.beforePiece(n);
      lock.lock();
      hub_.pieceTimes.push_back(std::chrono::steady_clock::now());
      lock.unlock();
      std::this_thread::sleep_for(hub_.pieceTime);
      if (hooks.onPiece) hooks.onPiece(now, n, hub_.secondsPerPiece);
      if (now == n && hub_.afterFirstPiece) hub_.afterFirstPiece(i);
      lock.lock();
    }
    hub_.events.push_back("stored " + i.sopInstanceUid);
    return SendOutcome::stored("Success");
  }
  SendOutcome completeStudy(const ManifestDue& study) override {
    hub_.events.push_back("manifest " + study.studyInstanceUid);
    return SendOutcome::stored("{}");
  }
  std::string destination() const override { return "piece-hub"; }
  std::string accountFingerprint() const override { return fingerprint_; }
  bool sendsInPieces() const override { return true; }

 private:
  PieceHub& hub_;
  std::string fingerprint_;
};

class RecordingProgress : public ForwardProgress {
 public:
  void update(const StudyProgress& p) override { updates.push_back(p); }
  void studyDone(const std::string&, const std::string&) override {}
  void problem(const std::string& message) override { problems.push_back(message); }
  std::vector<StudyProgress> updates;
  std::vector<std::string> problems;
};

// A synthetic study of `instances` instances of about `bytes` each, written to dir/capture.
SyntheticStudy Capture(const TempDir& dir, int instances, int64_t bytes) {
  SyntheticStudyOptions o;
  o.instances = instances;
  o.bytesPerInstance = bytes;
  return WriteSyntheticStudy(dir / "capture", o);
}

ForwarderOptions Options() {
  ForwarderOptions o;
  o.concurrency = 4;  // the measured link decides: a narrow one gets one upload
  o.giveUp = true;
  o.retry.initialDelay = std::chrono::milliseconds(10);
  return o;
}

}  // namespace

TEST(ForwarderScheduling, AnUrgentStudyEnqueuedDuringARoutineUploadGoesNext) {
  TempDir dir("relais-urgent");
  SyntheticStudyOptions routine;
  routine.instances = 2;
  routine.bytesPerInstance = 400'000;
  const auto xray = WriteSyntheticStudy(dir / "routine", routine);
  SyntheticStudyOptions urgent;
  urgent.instances = 1;
  urgent.bytesPerInstance = 20'000;
  const auto stat = WriteSyntheticStudy(dir / "urgent", urgent);
  Outbox outbox(dir / "outbox");
  outbox.enqueueFolder(dir / "routine");

  PieceHub hub;
  bool enqueued = false;
  hub.afterFirstPiece = [&](const PendingInstance& i) {
    if (enqueued || i.studyInstanceUid != xray.studyInstanceUid) return;
    enqueued = true;
    Outbox nurse(dir / "outbox");  // another process: the nurse's tool
    nurse.enqueueFolder(dir / "urgent", Priority::Urgent);
  };
  RecordingProgress progress;
  Forwarder forwarder(outbox, [&] { return std::make_unique<PieceTransport>(hub, "account"); }, Options(), &progress);
  std::atomic<bool> stop{false};
  const DrainResult result = forwarder.drain(stop);
  EXPECT_TRUE(result.empty) << result.lastError;
  EXPECT_EQ(result.sent, 3);

  const std::string first = xray.sopInstanceUids[0];
  ASSERT_GE(hub.events.size(), 4u);
  EXPECT_EQ(hub.events[0], "yield " + first);
  EXPECT_EQ(hub.events[1], "stored " + stat.sopInstanceUids[0]);
  // The urgent study's manifest (its case) goes as soon as its last instance went, not after
  // the routine study's remaining bytes.
  EXPECT_EQ(hub.events[2], "manifest " + stat.studyInstanceUid);
  EXPECT_EQ(hub.events[3], "stored " + first);
  // The routine instance continued where the hub stood: nothing was carried twice.
  int64_t total = 0;
  for (const auto& s : outbox.studies()) total += s.bytesTotal;
  EXPECT_EQ(hub.bytesCarried, total);

  // Progress moved per piece, in bytes, with the measured rate and the time left.
  std::vector<int64_t> routineBytes;
  for (const auto& u : progress.updates) {
    if (u.studyInstanceUid == xray.studyInstanceUid) routineBytes.push_back(u.bytesSent);
  }
  ASSERT_GE(routineBytes.size(), 8u);
  EXPECT_TRUE(std::is_sorted(routineBytes.begin(), routineBytes.end()));
  EXPECT_GT(routineBytes.front(), 0);
  EXPECT_LT(routineBytes.front(), outbox.study(xray.studyInstanceUid)->bytesTotal / 2);
  EXPECT_GT(progress.updates.front().bytesPerSecond, 0);
  EXPECT_TRUE(progress.updates.front().timeLeft.has_value());
}

TEST(ForwarderScheduling, WhatTheHubHoldsOfAnInstanceOnItsWayCountsInTheStatus) {
  TempDir dir("relais-committed");
  const auto study = Capture(dir, 1, 100'000);
  Outbox outbox(dir / "outbox");
  outbox.enqueueFolder(dir / "capture");
  outbox.recordCommitted(study.sopInstanceUids[0], 40'000);
  EXPECT_EQ(Outbox(dir / "outbox").study(study.studyInstanceUid)->bytesSent, 40'000);
}

TEST(ForwarderScheduling, ARefusedAccountStopsSendingUntilTheConfigurationChanges) {
  TempDir dir("relais-refused");
  Capture(dir, 3, 8'000);
  {
    Outbox outbox(dir / "outbox");
    outbox.enqueueFolder(dir / "capture");
  }
  PieceHub hub;
  hub.refuseAccount = true;
  std::atomic<bool> stop{false};
  {
    Outbox outbox(dir / "outbox");
    RecordingProgress progress;
    Forwarder forwarder(outbox, [&] { return std::make_unique<PieceTransport>(hub, "old-password"); }, Options(), &progress);
    const DrainResult r = forwarder.drain(stop);
    EXPECT_TRUE(r.accountRefused);
    EXPECT_EQ(r.lastError, "the hub refused the unit's account unit07 (401 Unauthorized): check user and "
                           "passwordFile in forward.json");
    EXPECT_EQ(r.failedAttempts, 0);  // not a link failure: no backoff, no retries
    EXPECT_EQ(hub.sends, 1);
    ASSERT_FALSE(progress.problems.empty());
    EXPECT_NE(progress.problems[0].find("401 Unauthorized"), std::string::npos);
  }
  {
    // A restart with the same configuration sends nothing.
    Outbox outbox(dir / "outbox");
    ASSERT_TRUE(outbox.accountRefusal());
    Forwarder forwarder(outbox, [&] { return std::make_unique<PieceTransport>(hub, "old-password"); }, Options());
    EXPECT_TRUE(forwarder.drain(stop).accountRefused);
    EXPECT_EQ(hub.sends, 1);
  }
  {
    // The password was fixed: the refusal is forgotten and everything goes.
    hub.refuseAccount = false;
    Outbox outbox(dir / "outbox");
    Forwarder forwarder(outbox, [&] { return std::make_unique<PieceTransport>(hub, "new-password"); }, Options());
    const DrainResult r = forwarder.drain(stop);
    EXPECT_FALSE(r.accountRefused);
    EXPECT_TRUE(r.empty) << r.lastError;
    EXPECT_EQ(r.sent, 3);
    EXPECT_FALSE(outbox.accountRefusal());
  }
}

TEST(ForwarderScheduling, UploadsInFlightFollowTheMeasuredLink) {
  TempDir dir("relais-inflight");
  Capture(dir, 12, 40'000);
  for (const bool narrow : {true, false}) {
    Outbox outbox(dir / (narrow ? "narrow" : "wide"));
    outbox.enqueueFolder(dir / "capture");
    PieceHub hub;
    hub.pieceTime = std::chrono::milliseconds(5);
    // Pieces of 10 kB: in 1 s is 80 kbit/s, in 1 ms is 80 Mbit/s.
    hub.secondsPerPiece = narrow ? 1.0 : 0.001;
    Forwarder forwarder(outbox, [&] { return std::make_unique<PieceTransport>(hub, "account"); }, Options());
    std::atomic<bool> stop{false};
    const DrainResult r = forwarder.drain(stop);
    EXPECT_TRUE(r.empty) << r.lastError;
    if (narrow) {
      EXPECT_EQ(hub.mostInFlight, 1);
    } else {
      EXPECT_GE(hub.mostInFlight, 3);  // up to the configured 4
      EXPECT_LE(hub.mostInFlight, 4);
    }
  }
}

TEST(ForwarderScheduling, TheBandwidthCapCountsPiecesAsTheyLeave) {
  TempDir dir("relais-cap");
  Capture(dir, 1, 400'000);
  Outbox outbox(dir / "outbox");
  outbox.enqueueFolder(dir / "capture");
  PieceHub hub;
  ForwarderOptions options = Options();
  options.bytesPerSecond = 800'000;  // four pieces of 100 kB: about half a second
  Forwarder forwarder(outbox, [&] { return std::make_unique<PieceTransport>(hub, "account"); }, options);
  std::atomic<bool> stop{false};
  const auto started = std::chrono::steady_clock::now();
  EXPECT_TRUE(forwarder.drain(stop).empty);
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  EXPECT_GT(seconds, 0.4);
  EXPECT_LT(seconds, 1.5);
  // The first piece left after its own share of the cap, not after the whole instance's.
  ASSERT_EQ(hub.pieceTimes.size(), 4u);
  EXPECT_LT(std::chrono::duration<double>(hub.pieceTimes.front() - started).count(), 0.3);
  EXPECT_GT(std::chrono::duration<double>(hub.pieceTimes.back() - started).count(), 0.3);
}
