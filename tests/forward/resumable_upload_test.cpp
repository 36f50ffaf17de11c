// The unit's side of upload protocol v1 against a hub in memory: pieces at the hub's offset,
// prompt resumes after cuts, 409 resyncs, yields, and the answers that stop it.
#include "outbox/ResumableUpload.h"

#include <gtest/gtest.h>

#include <fstream>
#include <random>

#include "MemoryUploadHub.h"
#include "harness/TempDir.h"
#include "outbox/Sha256.h"

using namespace relais::outbox;
using relais::test::MemoryUploadHub;
using relais::test::TempDir;
using Kind = SendOutcome::Kind;

namespace {

UploadFile WriteFile(const TempDir& dir, int64_t size) {
  std::string bytes(static_cast<size_t>(size), '\0');
  std::mt19937 random(42);
  for (auto& c : bytes) c = static_cast<char>(random());
  const auto path = dir / "instance.dcm";
  std::ofstream(path, std::ios::binary) << bytes;
  return {"1.2.3.4", path, size, Sha256Hex(bytes)};
}

struct Uploader {
  MemoryUploadHub hub;
  PieceSizer sizer;
  std::vector<std::chrono::milliseconds> pauses;
  ResumableUpload upload{hub, sizer, 5, [this](std::chrono::milliseconds d) { pauses.push_back(d); }};
};

std::string Stored(const MemoryUploadHub& hub) {
  const auto it = hub.sessions.find("1.2.3.4");
  return it != hub.sessions.end() && it->second.stored ? it->second.bytes : std::string("(not stored)");
}

std::string Contents(const UploadFile& f) {
  std::ifstream in(f.file, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

}  // namespace

TEST(ResumableUpload, ASmallInstanceIsOneRequest) {
  TempDir dir("relais-upload");
  const auto file = WriteFile(dir, 10'000);
  Uploader run;
  const auto outcome = run.upload.send(file, {});
  EXPECT_EQ(outcome.kind, Kind::Stored) << outcome.detail;
  EXPECT_EQ(outcome.detail, "Success orthanc-id");
  EXPECT_EQ(run.hub.puts, 1);
  EXPECT_EQ(run.hub.gets, 0);
  EXPECT_EQ(Stored(run.hub), Contents(file));
}

TEST(ResumableUpload, CutsCostOnlyTheInterruptedPieceAndTheFileArrivesIntact) {
  TempDir dir("relais-upload");
  const auto file = WriteFile(dir, 3'000'000);
  Uploader run;
  int pieces = 0;
  // Every third piece is cut: alternately before the hub commits it and after (answer lost).
  run.hub.cut = [&](int64_t, int64_t) -> std::string {
    ++pieces;
    if (pieces % 3 != 0) return "";
    return pieces % 2 == 0 ? "answer" : "lose";
  };
  std::vector<int64_t> committed;
  SendHooks hooks;
  hooks.onPiece = [&](int64_t c, int64_t, double) { committed.push_back(c); };
  const auto outcome = run.upload.send(file, hooks);
  ASSERT_EQ(outcome.kind, Kind::Stored) << outcome.detail;
  EXPECT_EQ(Stored(run.hub), Contents(file));
  EXPECT_TRUE(std::is_sorted(committed.begin(), committed.end()));
  EXPECT_EQ(committed.back(), 3'000'000);
  EXPECT_LT(run.hub.bytesPut, 3'000'000 * 3 / 2);  // only cut pieces went twice
  EXPECT_GE(run.hub.gets, 2);                       // after each cut: where does the hub stand?
  EXPECT_TRUE(run.pauses.size() >= 2);
  for (auto p : run.pauses) EXPECT_LE(p, std::chrono::milliseconds(250));  // prompt, not a backoff
}

TEST(ResumableUpload, A409GivesTheOffsetToContinueFrom) {
  TempDir dir("relais-upload");
  const auto file = WriteFile(dir, 100'000);
  Uploader run;
  // An earlier run got 60,000 bytes to the hub; this one does not know it and starts at 0.
  run.hub.sessions["1.2.3.4"] = {100'000, file.sha256, Contents(file).substr(0, 60'000), false};
  const auto outcome = run.upload.send(file, {});
  ASSERT_EQ(outcome.kind, Kind::Stored) << outcome.detail;
  EXPECT_EQ(Stored(run.hub), Contents(file));
  EXPECT_EQ(run.hub.puts, 2);  // the refused piece at 0, then the rest from 60,000
}

TEST(ResumableUpload, ALargeInstanceAsksWhereTheHubStandsFirst) {
  TempDir dir("relais-upload");
  const auto file = WriteFile(dir, 2'000'000);
  Uploader run;
  run.hub.sessions["1.2.3.4"] = {2'000'000, file.sha256, Contents(file).substr(0, 1'500'000), false};
  const auto outcome = run.upload.send(file, {});
  ASSERT_EQ(outcome.kind, Kind::Stored) << outcome.detail;
  EXPECT_EQ(run.hub.bytesPut, 500'000);  // nothing sent twice
  EXPECT_EQ(Stored(run.hub), Contents(file));
}

TEST(ResumableUpload, AnInstanceTheHubHoldsAlreadyIsStoredWithoutSendingIt) {
  TempDir dir("relais-upload");
  const auto file = WriteFile(dir, 2'000'000);
  Uploader run;
  run.hub.sessions["1.2.3.4"] = {2'000'000, file.sha256, Contents(file), true};
  EXPECT_EQ(run.upload.send(file, {}).kind, Kind::Stored);
  EXPECT_EQ(run.hub.bytesPut, 0);
}

TEST(ResumableUpload, ALinkThatStaysDownGoesBackToTheForwardersBackoff) {
  TempDir dir("relais-upload");
  const auto file = WriteFile(dir, 10'000);
  Uploader run;
  run.hub.down = true;
  const auto outcome = run.upload.send(file, {});
  EXPECT_EQ(outcome.kind, Kind::Retry);
  EXPECT_NE(outcome.detail.find("connection refused"), std::string::npos) << outcome.detail;
  EXPECT_EQ(run.pauses.size(), 5u);
  EXPECT_TRUE(std::is_sorted(run.pauses.begin(), run.pauses.end()));
  EXPECT_GT(run.sizer.next(), 0);
  EXPECT_EQ(run.sizer.next(), 64 * 1024);  // halved at each cut, down to the floor
}

TEST(ResumableUpload, YieldsBetweenPiecesAndContinuesLaterWhereTheHubStands) {
  TempDir dir("relais-upload");
  const auto file = WriteFile(dir, 1'500'000);
  Uploader run;
  SendHooks hooks;
  int asked = 0;
  hooks.moreUrgentWaiting = [&] { return ++asked >= 2; };
  const auto first = run.upload.send(file, hooks);
  ASSERT_EQ(first.kind, Kind::Yielded) << first.detail;
  const int64_t held = static_cast<int64_t>(run.hub.sessions["1.2.3.4"].bytes.size());
  EXPECT_GT(held, 0);
  EXPECT_LT(held, 1'500'000);
  const auto second = run.upload.send(file, {});
  ASSERT_EQ(second.kind, Kind::Stored) << second.detail;
  EXPECT_EQ(run.hub.bytesPut, 1'500'000);  // the second run continued at the hub's offset
  EXPECT_EQ(Stored(run.hub), Contents(file));
}

TEST(ResumableUpload, AnswersThatStopIt) {
  TempDir dir("relais-upload");
  const auto file = WriteFile(dir, 10'000);
  Uploader run;
  run.hub.status = 401;
  EXPECT_EQ(run.upload.send(file, {}).kind, Kind::AccountRefused);
  run.hub.status = 403;
  EXPECT_EQ(run.upload.send(file, {}).kind, Kind::AccountRefused);
  run.hub.status = 507;
  EXPECT_EQ(run.upload.send(file, {}).kind, Kind::Retry);
  run.hub.status = 503;
  EXPECT_EQ(run.upload.send(file, {}).kind, Kind::Retry);
  run.hub.status = 400;
  EXPECT_EQ(run.upload.send(file, {}).kind, Kind::Refused);
  EXPECT_FALSE(run.upload.noUploadRoute());
  run.hub.status = 404;  // a hub older than the upload routes (no offset): the transport sends it whole
  EXPECT_EQ(run.upload.send(file, {}).kind, Kind::Retry);
  EXPECT_TRUE(run.upload.noUploadRoute());
}

TEST(ResumableUpload, AHashMismatchSendsAgainOnceThenRefuses) {
  TempDir dir("relais-upload");
  auto file = WriteFile(dir, 10'000);
  file.sha256 = std::string(64, '0');  // as if the bytes were damaged on the way every time
  Uploader run;
  const auto outcome = run.upload.send(file, {});
  EXPECT_EQ(outcome.kind, Kind::Refused);
  EXPECT_NE(outcome.detail.find("SHA-256"), std::string::npos) << outcome.detail;
  EXPECT_EQ(run.hub.puts, 2);
}

TEST(ResumableUpload, APieceTooLargeForTheHubIsSentSmaller) {
  TempDir dir("relais-upload");
  const auto file = WriteFile(dir, 300'000);
  Uploader run;
  run.hub.maxPieceBytes = 100'000;
  const auto outcome = run.upload.send(file, {});
  ASSERT_EQ(outcome.kind, Kind::Stored) << outcome.detail;
  EXPECT_EQ(Stored(run.hub), Contents(file));
}

TEST(ResumableUpload, ASessionAbandonedWhileAPieceWaitedStartsAgainAtZero) {
  TempDir dir("relais-upload");
  const auto file = WriteFile(dir, 1'000'000);
  Uploader run;
  run.hub.abandonBeforeNextPut = true;
  const auto outcome = run.upload.send(file, {});
  ASSERT_EQ(outcome.kind, Kind::Stored) << outcome.detail;
  EXPECT_FALSE(run.upload.noUploadRoute());
  EXPECT_EQ(Stored(run.hub), Contents(file));
}
