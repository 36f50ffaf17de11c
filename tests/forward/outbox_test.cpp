#include "outbox/Outbox.h"

#include <gtest/gtest.h>

#include <fstream>

#include "harness/SyntheticStudy.h"
#include "harness/TempDir.h"
#include "outbox/OutboxError.h"

using namespace relais::outbox;
using relais::test::SyntheticStudyOptions;
using relais::test::TempDir;
using relais::test::WriteSyntheticStudy;

namespace {
SyntheticStudyOptions Options(int instances, std::string priority = "ROUTINE", std::string studyUid = "") {
  SyntheticStudyOptions o;
  o.instances = instances;
  o.priority = std::move(priority);
  o.studyInstanceUid = std::move(studyUid);
  return o;
}
}  // namespace

TEST(Outbox, EnqueueCopiesTheFileAndIsIdempotentBySopInstanceUid) {
  TempDir dir;
  auto study = WriteSyntheticStudy(dir / "capture", Options(3));
  Outbox outbox(dir / "outbox");
  auto first = outbox.enqueueFolder(dir / "capture");
  ASSERT_EQ(first.size(), 3u);
  for (const auto& r : first) EXPECT_TRUE(r.added);
  auto again = outbox.enqueueFolder(dir / "capture");
  for (const auto& r : again) EXPECT_FALSE(r.added) << r.sopInstanceUid;
  EXPECT_EQ(outbox.pendingCount(), 3);
  auto pending = outbox.nextPending(10);
  ASSERT_EQ(pending.size(), 3u);
  EXPECT_EQ(pending[0].sopInstanceUid, study.sopInstanceUids[0]);
  EXPECT_EQ(pending[0].studyInstanceUid, study.studyInstanceUid);
  EXPECT_EQ(pending[0].sopClassUid, "1.2.840.10008.5.1.4.1.1.7");
  EXPECT_EQ(pending[0].transferSyntaxUid, "1.2.840.10008.1.2.1");
  EXPECT_TRUE(std::filesystem::exists(pending[0].file));
  EXPECT_EQ(static_cast<uintmax_t>(pending[0].bytes), std::filesystem::file_size(study.files[0]));
  // The outbox keeps its own copy: the nurse's folder may be cleaned.
  std::filesystem::remove_all(dir / "capture");
  EXPECT_TRUE(std::filesystem::exists(pending[2].file));
}

TEST(Outbox, UrgentStudiesComeFirst) {
  TempDir dir;
  auto routine = WriteSyntheticStudy(dir / "a", Options(2));
  auto urgent = WriteSyntheticStudy(dir / "b", Options(2, "STAT"));
  Outbox outbox(dir / "outbox");
  outbox.enqueueFolder(dir / "a");
  outbox.enqueueFolder(dir / "b");
  auto pending = outbox.nextPending(10);
  ASSERT_EQ(pending.size(), 4u);
  EXPECT_EQ(pending[0].studyInstanceUid, urgent.studyInstanceUid);
  EXPECT_EQ(pending[1].studyInstanceUid, urgent.studyInstanceUid);
  EXPECT_EQ(pending[2].studyInstanceUid, routine.studyInstanceUid);
  EXPECT_EQ(outbox.study(urgent.studyInstanceUid)->priority, Priority::Urgent);
}

TEST(Outbox, ManifestIsDueOnlyWhenEveryInstanceIsSentAndAgainWhenTheStudyGrows) {
  TempDir dir;
  auto study = WriteSyntheticStudy(dir / "a", Options(2));
  Outbox outbox(dir / "outbox");
  outbox.enqueueFolder(dir / "a");
  EXPECT_TRUE(outbox.manifestsDue().empty());
  outbox.markSent(study.sopInstanceUids[0], "Success");
  EXPECT_TRUE(outbox.manifestsDue().empty());
  outbox.markSent(study.sopInstanceUids[1], "AlreadyStored");
  auto due = outbox.manifestsDue();
  ASSERT_EQ(due.size(), 1u);
  EXPECT_EQ(due[0].sopInstanceUids, study.sopInstanceUids);
  EXPECT_EQ(outbox.study(study.studyInstanceUid)->state(), "manifest-due");
  outbox.recordManifestAck(study.studyInstanceUid, R"({"complete":true})");
  EXPECT_TRUE(outbox.manifestsDue().empty());
  EXPECT_EQ(outbox.study(study.studyInstanceUid)->state(), "sent");

  // An information request answered with one more image in the same study.
  auto more = WriteSyntheticStudy(dir / "more", Options(1, "ROUTINE", study.studyInstanceUid));
  outbox.enqueueFolder(dir / "more");
  EXPECT_EQ(outbox.study(study.studyInstanceUid)->state(), "waiting");
  outbox.markSent(more.sopInstanceUids[0], "Success");
  due = outbox.manifestsDue();
  ASSERT_EQ(due.size(), 1u);
  EXPECT_EQ(due[0].sopInstanceUids.size(), 3u);
}

TEST(Outbox, RefusedInstancesFailTheStudyWithTheReasonAndCanBeRetried) {
  TempDir dir;
  auto study = WriteSyntheticStudy(dir / "a", Options(2));
  Outbox outbox(dir / "outbox");
  outbox.enqueueFolder(dir / "a");
  outbox.markAttemptFailed(study.sopInstanceUids[0], "HTTP 503");
  outbox.markRefused(study.sopInstanceUids[1], "the hub refused it: HTTP 400");
  outbox.markSent(study.sopInstanceUids[0], "Success");
  auto s = outbox.study(study.studyInstanceUid);
  ASSERT_TRUE(s);
  EXPECT_EQ(s->state(), "failed");
  EXPECT_EQ(s->attempts, 2);
  EXPECT_EQ(s->lastError.value_or(""), "the hub refused it: HTTP 400");
  EXPECT_TRUE(outbox.manifestsDue().empty());
  EXPECT_EQ(outbox.retryRefused(), 1);
  EXPECT_EQ(outbox.study(study.studyInstanceUid)->state(), "waiting");
}

TEST(Outbox, RefusesAFolderWithANonDicomFileBeforeEnqueuingAnything) {
  TempDir dir;
  WriteSyntheticStudy(dir / "a", Options(2));
  std::ofstream(dir / "a" / "notes.txt") << "not an image";
  Outbox outbox(dir / "outbox");
  try {
    outbox.enqueueFolder(dir / "a");
    FAIL() << "a text file was accepted";
  } catch (const OutboxError& e) {
    EXPECT_NE(std::string(e.what()).find("notes.txt is not a readable DICOM file"), std::string::npos) << e.what();
  }
  EXPECT_EQ(outbox.pendingCount(), 0);
  EXPECT_TRUE(outbox.studies().empty());
}

TEST(Outbox, RefusesAFileWithAnUnsafeUid) {
  TempDir dir;
  auto study = WriteSyntheticStudy(dir / "a", Options(1, "ROUTINE", "../../etc"));
  Outbox outbox(dir / "outbox");
  EXPECT_THROW(outbox.enqueue(study.files[0]), OutboxError);
  EXPECT_EQ(outbox.pendingCount(), 0);
}

TEST(Outbox, StateSurvivesReopening) {
  TempDir dir;
  auto study = WriteSyntheticStudy(dir / "a", Options(2));
  {
    Outbox outbox(dir / "outbox");
    outbox.enqueueFolder(dir / "a");
    outbox.markSent(study.sopInstanceUids[0], "Success");
  }
  Outbox reopened(dir / "outbox");
  auto s = reopened.study(study.studyInstanceUid);
  ASSERT_TRUE(s);
  EXPECT_EQ(s->sent, 1);
  EXPECT_EQ(s->pending, 1);
}
