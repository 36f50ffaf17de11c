// Store and forward over a link that drops (issue 17), against a real hub with the upload
// routes, through the project's own bad link (FaultyLink): a 30 MB instance over a link cut
// every 5 s arrives intact and once; kill -9 of relais-forward in the middle of a piece loses
// and duplicates nothing and does not start the instance over; a wrong password stops the
// sending with a message that says what to fix, until the configuration is fixed; an urgent
// study enqueued while a routine one is on its way arrives first.
#include <gtest/gtest.h>

#include <fstream>
#include <map>
#include <random>
#include <thread>

#include "harness/ChildProcess.h"
#include "harness/FaultyLink.h"
#include "harness/HubCases.h"
#include "harness/SyntheticStudy.h"
#include "harness/TempDir.h"
#include "harness/TestHub.h"
#include "integration/ForwardSetup.h"
#include "outbox/ForwardProgress.h"
#include "outbox/Outbox.h"
#include "outbox/Sha256.h"

using namespace relais::test;
using relais::outbox::FileSha256Hex;
using relais::outbox::Outbox;
using relais::outbox::Sha256Hex;
using Clock = std::chrono::steady_clock;

namespace {

FaultyLinkOptions LinkTo(const OrthancServer& hub, int64_t bytesPerSecond, std::chrono::milliseconds cutEvery = {}) {
  FaultyLinkOptions o;
  o.targetPort = hub.httpPort();
  o.upBytesPerSecond = bytesPerSecond;
  o.downBytesPerSecond = bytesPerSecond;
  o.rtt = std::chrono::milliseconds(40);
  o.cutEvery = cutEvery;
  return o;
}

nlohmann::json Through(const FaultyLink& link) { return {{"hub", {{"url", link.url()}}}}; }

SyntheticStudy OneLargeInstance(const std::filesystem::path& folder, int64_t bytes, const std::string& priority = "ROUTINE") {
  SyntheticStudyOptions o;
  o.instances = 1;
  o.bytesPerInstance = bytes;
  o.priority = priority;
  return WriteSyntheticStudy(folder, o);
}

// The SHA-256 of the file Orthanc stored for this SOP Instance UID ("" if it holds none).
std::string StoredSha256(const OrthancServer& hub, const std::string& sopInstanceUid) {
  auto http = AdminClient(hub);
  const auto found = http.postJson("/tools/find", {{"Level", "Instance"}, {"Query", {{"SOPInstanceUID", sopInstanceUid}}}});
  const auto ids = found.json();
  if (!ids.is_array() || ids.size() != 1) return "";
  return Sha256Hex(http.get("/instances/" + ids[0].get<std::string>() + "/file").body);
}

}  // namespace

TEST(ForwardResume, A30MBInstanceOverALinkCutEvery5SecondsArrivesIntactAndOnce) {
  OrthancServer hub(HubOptions());
  TempDir dir("relais-resume-cuts");
  FaultyLink link(LinkTo(hub, 4'000'000, std::chrono::seconds(5)));
  UnitForwarder unit(hub, dir.path(), Through(link));
  const auto study = OneLargeInstance(dir / "capture", 30'000'000);
  ASSERT_EQ(unit.run({"enqueue", (dir / "capture").string()}), 0) << unit.log();

  const auto started = Clock::now();
  ASSERT_EQ(unit.run({"--once"}, std::chrono::seconds(120)), 0) << unit.log();
  const double seconds = std::chrono::duration<double>(Clock::now() - started).count();

  EXPECT_GE(link.cuts(), 1) << "the transfer ended before the first cut: nothing was proved";
  const auto held = HubSopInstanceUids(hub);
  EXPECT_EQ(held.count(study.sopInstanceUids[0]), 1u);
  EXPECT_EQ(held.size(), 1u);
  EXPECT_EQ(StoredSha256(hub, study.sopInstanceUids[0]), FileSha256Hex(study.files[0]));
  // Each cut costs at most the piece on its way (about 3 s of the link), not the whole file.
  const int64_t size = static_cast<int64_t>(std::filesystem::file_size(study.files[0]));
  EXPECT_LT(link.bytesUp(), size + (link.cuts() + 1) * 4 * 4'000'000) << "carried " << link.bytesUp();
  RecordProperty("seconds", std::to_string(seconds));
  RecordProperty("cuts", link.cuts());
  RecordProperty("bytesUp", std::to_string(link.bytesUp()));
  std::printf("30 MB through a 4 MB/s link cut every 5 s: %.1f s, %d cuts, %lld bytes up\n", seconds, link.cuts(),
              static_cast<long long>(link.bytesUp()));
  auto cases = WaitForCase(hub, study.studyInstanceUid, std::chrono::seconds(10));
  EXPECT_EQ(cases.size(), 1u) << cases.dump();
}

TEST(ForwardResume, Kill9InTheMiddleOfAPieceLosesNothingDuplicatesNothingAndDoesNotStartOver) {
  OrthancServer hub(HubOptions());
  TempDir dir("relais-resume-kill");
  FaultyLink link(LinkTo(hub, 3'000'000));
  UnitForwarder unit(hub, dir.path(), Through(link));
  const auto study = OneLargeInstance(dir / "capture", 15'000'000);
  ASSERT_EQ(unit.run({"enqueue", (dir / "capture").string()}), 0) << unit.log();

  std::mt19937 random(std::random_device{}());
  std::uniform_int_distribution<int> delayMs(700, 1500);
  int kills = 0;
  for (int round = 0; round < 6 && kills < 4; ++round) {
    ChildProcess run(unit.command({"--once"}), dir / "forward.log");
    if (run.wait(std::chrono::milliseconds(delayMs(random)))) break;
    run.kill9();
    ++kills;
  }
  ASSERT_GE(kills, 3) << "the transfer ended before three kills";
  {
    // What the hub holds of the instance on its way shows in the unit's status, in bytes.
    Outbox outbox(unit.outbox());
    const auto s = outbox.study(study.studyInstanceUid);
    ASSERT_TRUE(s);
    if (s->sent == 0) {
      EXPECT_GT(s->bytesSent, 0);
      ASSERT_EQ(unit.run({"status"}), 0);
      EXPECT_NE(unit.log().find(relais::outbox::FormatBytes(s->bytesSent) + "/"), std::string::npos) << unit.log();
    }
  }
  ChildProcess last(unit.command({"--once"}), dir / "forward.log");
  ASSERT_EQ(last.wait(std::chrono::seconds(60)), 0) << last.log();

  const auto held = HubSopInstanceUids(hub);
  EXPECT_EQ(held.count(study.sopInstanceUids[0]), 1u);
  EXPECT_EQ(StoredSha256(hub, study.sopInstanceUids[0]), FileSha256Hex(study.files[0]));
  // Killed runs lose at most their piece in flight: far less than starting over each time.
  const int64_t size = static_cast<int64_t>(std::filesystem::file_size(study.files[0]));
  EXPECT_LT(link.bytesUp(), size + kills * 3 * 3'000'000 + 1'000'000) << "carried " << link.bytesUp();
  EXPECT_LT(link.bytesUp(), size * (kills + 1) / 2) << "carried " << link.bytesUp();
  Outbox outbox(unit.outbox());
  EXPECT_EQ(outbox.study(study.studyInstanceUid)->state(), "sent");
}

TEST(ForwardResume, AWrongPasswordStopsTheSendingWithItsMessageUntilTheConfigurationIsFixed) {
  OrthancServer hub(HubOptions());
  TempDir dir("relais-resume-password");
  FaultyLink link(LinkTo(hub, 0));
  std::ofstream(dir / "password") << "not-the-password\n";
  UnitForwarder unit(hub, dir.path(),
                     {{"hub", {{"url", link.url()}, {"password", nullptr}, {"passwordFile", (dir / "password").string()}}}});
  SyntheticStudyOptions o;
  o.instances = 3;
  const auto study = WriteSyntheticStudy(dir / "capture", o);
  ASSERT_EQ(unit.run({"enqueue", (dir / "capture").string()}), 0) << unit.log();

  const std::string message = "the hub refused the unit's account unit07 (401 Unauthorized): check user and "
                              "passwordFile in " + unit.config().string();
  EXPECT_EQ(unit.run({"--once"}), 1);
  EXPECT_NE(unit.log().find(message), std::string::npos) << unit.log();
  EXPECT_EQ(unit.log().find("next attempt"), std::string::npos) << "a refused account is not retried: " << unit.log();
  ASSERT_EQ(unit.run({"status"}), 0);
  EXPECT_NE(unit.log().find("Not sending: " + message), std::string::npos) << unit.log();

  // Again with the same configuration: the unit does not even ask the hub.
  const int connections = link.connections();
  EXPECT_EQ(unit.run({"--once"}), 1);
  EXPECT_EQ(link.connections(), connections);
  EXPECT_TRUE(HubSopInstanceUids(hub).empty());

  // The nurse's colleague fixes the password file: everything goes.
  std::ofstream(dir / "password") << "unit07-pass\n";
  ASSERT_EQ(unit.run({"--once"}), 0) << unit.log();
  EXPECT_EQ(HubSopInstanceUids(hub).size(), 3u);
  ASSERT_EQ(unit.run({"status"}), 0);
  EXPECT_EQ(unit.log().find("refused"), std::string::npos) << unit.log();
}

TEST(ForwardResume, TheServiceResumesByItselfOnceThePasswordIsFixed) {
  OrthancServer hub(HubOptions());
  TempDir dir("relais-resume-service");
  std::ofstream(dir / "password") << "not-the-password\n";
  UnitForwarder unit(hub, dir.path(), {{"hub", {{"password", nullptr}, {"passwordFile", (dir / "password").string()}}}});
  SyntheticStudyOptions o;
  o.instances = 2;
  WriteSyntheticStudy(dir / "capture", o);
  ASSERT_EQ(unit.run({"enqueue", (dir / "capture").string()}), 0) << unit.log();
  ChildProcess service(unit.command({}), dir / "service.log");
  const auto deadline = Clock::now() + std::chrono::seconds(20);
  while (service.log().find("401 Unauthorized") == std::string::npos && Clock::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  ASSERT_NE(service.log().find("401 Unauthorized"), std::string::npos) << service.log();
  std::ofstream(dir / "password") << "unit07-pass\n";
  while (HubSopInstanceUids(hub).size() < 2 && Clock::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(200));
  }
  EXPECT_EQ(HubSopInstanceUids(hub).size(), 2u) << service.log();
  service.terminate();
}

TEST(ForwardResume, AnUrgentStudyEnqueuedDuringARoutineUploadArrivesFirst) {
  OrthancServer hub(HubOptions());
  TempDir dir("relais-resume-urgent");
  // 1 MB/s: a narrow link (8 Mbit/s is not narrow, but one large routine instance fills it).
  FaultyLink link(LinkTo(hub, 1'000'000));
  UnitForwarder unit(hub, dir.path(), Through(link));
  const auto routine = OneLargeInstance(dir / "routine", 8'000'000);
  const auto urgent = OneLargeInstance(dir / "urgent", 300'000, "STAT");
  ASSERT_EQ(unit.run({"enqueue", (dir / "routine").string()}), 0) << unit.log();

  ChildProcess service(unit.command({}), dir / "service.log");
  // Once the routine X-ray is on its way, the urgent study comes in.
  const auto deadline = Clock::now() + std::chrono::seconds(60);
  while (link.bytesUp() < 1'500'000 && Clock::now() < deadline) std::this_thread::sleep_for(std::chrono::milliseconds(50));
  ASSERT_EQ(unit.run({"enqueue", "--urgent", (dir / "urgent").string()}), 0) << unit.log();

  std::map<std::string, Clock::time_point> arrived;
  while (arrived.size() < 2 && Clock::now() < deadline) {
    for (const auto& uid : HubSopInstanceUids(hub)) arrived.emplace(uid, Clock::now());
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  service.terminate();
  ASSERT_EQ(arrived.size(), 2u) << service.log();
  EXPECT_LT(arrived[urgent.sopInstanceUids[0]], arrived[routine.sopInstanceUids[0]]) << service.log();
  EXPECT_EQ(StoredSha256(hub, routine.sopInstanceUids[0]), FileSha256Hex(routine.files[0]));
  // The routine instance continued where it stood, not from its start.
  EXPECT_LT(link.bytesUp(), 8'000'000 + 300'000 + 4'000'000) << "carried " << link.bytesUp();
}
