// The outbox killed (SIGKILL) at random moments while it enqueues and records sends: after
// every kill it opens cleanly, every row has its complete file, nothing recorded is lost, no
// instance is recorded twice, and crashed temporary copies are cleaned up.
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include <random>
#include <set>

#include "harness/SyntheticStudy.h"
#include "harness/TempDir.h"
#include "outbox/DicomIdentity.h"
#include "outbox/Outbox.h"

using namespace relais::outbox;
using namespace relais::test;

namespace {

// The victim: enqueue the study one file at a time, marking each sent, then post the manifest.
[[noreturn]] void Work(const std::filesystem::path& outboxDir, const SyntheticStudy& study) {
  try {
    Outbox outbox(outboxDir);
    for (const auto& file : study.files) {
      outbox.enqueue(file);
      for (const auto& p : outbox.nextPending(4)) outbox.markSent(p.sopInstanceUid, "Success test");
    }
    for (const auto& due : outbox.manifestsDue()) outbox.recordManifestAck(due.studyInstanceUid, "{}");
  } catch (...) {
    _exit(3);
  }
  _exit(0);
}

struct Snapshot {
  int rows = 0;
  int sent = 0;
};

Snapshot Verify(const std::filesystem::path& outboxDir, const SyntheticStudy& study) {
  Outbox outbox(outboxDir);  // must open whatever the moment of the kill
  Snapshot snap;
  EXPECT_TRUE(std::filesystem::is_empty(outboxDir / "tmp")) << "a crashed temporary copy was left behind";
  const std::set<std::string> expected(study.sopInstanceUids.begin(), study.sopInstanceUids.end());
  std::set<std::string> seen;
  for (const auto& i : outbox.instances(study.studyInstanceUid)) {
    EXPECT_TRUE(seen.insert(i.sopInstanceUid).second) << "recorded twice: " << i.sopInstanceUid;
    EXPECT_EQ(expected.count(i.sopInstanceUid), 1u);
    ++snap.rows;
    if (i.state == "sent") ++snap.sent;
  }
  for (const auto& p : outbox.nextPending(1000)) {
    EXPECT_EQ(ReadDicomIdentity(p.file).sopInstanceUid, p.sopInstanceUid) << "a row without its complete file";
    EXPECT_EQ(static_cast<int64_t>(std::filesystem::file_size(p.file)), p.bytes);
  }
  return snap;
}

}  // namespace

TEST(OutboxSurvivesKill, KilledWhileEnqueuingAndRecordingLosesNothingAndDuplicatesNothing) {
  TempDir dir("relais-outbox-kill");
  SyntheticStudyOptions options;
  // Enough work that ten kills land before the end, however fast the outbox has become.
  options.instances = 200;
  options.bytesPerInstance = 30000;
  auto study = WriteSyntheticStudy(dir / "capture", options);
  std::mt19937 random(std::random_device{}());
  std::uniform_int_distribution<int> delayUs(1000, 30000);
  Snapshot last;
  int killedMidWork = 0;
  for (int round = 0; round < 40 && killedMidWork < 10; ++round) {
    pid_t child = fork();
    ASSERT_GE(child, 0);
    if (child == 0) Work(dir / "outbox", study);
    usleep(static_cast<useconds_t>(delayUs(random)));
    kill(child, SIGKILL);
    int status = 0;
    waitpid(child, &status, 0);
    if (WIFEXITED(status)) {
      ASSERT_EQ(WEXITSTATUS(status), 0) << "the worker failed by itself";
      break;  // it finished before the kill
    }
    ++killedMidWork;
    Snapshot now = Verify(dir / "outbox", study);
    EXPECT_GE(now.rows, last.rows) << "an enqueued instance was lost";
    EXPECT_GE(now.sent, last.sent) << "a recorded send was lost";
    last = now;
  }
  EXPECT_GE(killedMidWork, 10);

  pid_t child = fork();
  if (child == 0) Work(dir / "outbox", study);
  int status = 0;
  waitpid(child, &status, 0);
  ASSERT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0);
  Snapshot done = Verify(dir / "outbox", study);
  EXPECT_EQ(done.rows, 200);
  EXPECT_EQ(done.sent, 200);
  Outbox outbox(dir / "outbox");
  EXPECT_EQ(outbox.study(study.studyInstanceUid)->state(), "sent");
}
