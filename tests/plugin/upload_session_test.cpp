// The rules of the resumable upload (domain/UploadSession): which piece is accepted, which
// refusal a client gets and the offset it continues from, quota and expiry.
#include "domain/UploadSession.h"

#include <gtest/gtest.h>

#include "domain/HttpError.h"

using namespace relais;

namespace {

const std::string kSha(64, 'a');
const std::string kOtherSha(64, 'b');

UploadSession Receiving(int64_t offset, int64_t size = 1000) {
  UploadSession s;
  s.id = 7;
  s.unit = "VAN-07";
  s.sopInstanceUid = "1.2.3.4";
  s.size = size;
  s.sha256 = kSha;
  s.offset = offset;
  s.touchedAt = 1000;
  return s;
}

UploadPiece Piece(int64_t offset, int64_t length, int64_t size = 1000, const std::string& sha = kSha) {
  return UploadPiece{offset, size, sha, length};
}

// The status and the offset of a refusal; {0, -1} when the piece is accepted.
std::pair<int, int64_t> Refusal(const std::optional<UploadSession>& s, const UploadPiece& p, int64_t openBytes = 0,
                                UploadLimits limits = {}) {
  try {
    DecidePiece(s, p, limits, openBytes);
  } catch (const HttpError& e) {
    return {e.status(), e.details().value("offset", int64_t{-1})};
  }
  return {0, -1};
}

}  // namespace

TEST(UploadSessionTest, FirstPieceAtZeroCreatesTheSession) {
  EXPECT_EQ(DecidePiece(std::nullopt, Piece(0, 100), {}, 0), PieceAction::CreateSession);
}

TEST(UploadSessionTest, PieceAtTheCommittedOffsetIsAppended) {
  EXPECT_EQ(DecidePiece(Receiving(300), Piece(300, 100), {}, 0), PieceAction::Append);
}

TEST(UploadSessionTest, PieceAtAnotherOffsetIsRefusedWithTheCommittedOne) {
  EXPECT_EQ(Refusal(Receiving(300), Piece(200, 100)), std::make_pair(409, int64_t{300}));
  EXPECT_EQ(Refusal(Receiving(300), Piece(400, 100)), std::make_pair(409, int64_t{300}));
  EXPECT_EQ(Refusal(Receiving(300), Piece(0, 100)), std::make_pair(409, int64_t{300}));
}

TEST(UploadSessionTest, NoSessionAndOffsetNotZeroIs404AtZero) {
  EXPECT_EQ(Refusal(std::nullopt, Piece(500, 100)), std::make_pair(404, int64_t{0}));
}

TEST(UploadSessionTest, AnotherFileForTheSameInstanceIsAConflict) {
  EXPECT_EQ(Refusal(Receiving(300), Piece(300, 100, 1000, kOtherSha)).first, 409);
  EXPECT_EQ(Refusal(Receiving(300), Piece(300, 100, 999)).first, 409);
}

TEST(UploadSessionTest, PiecePastTheDeclaredSizeIs400) {
  EXPECT_EQ(Refusal(Receiving(900), Piece(900, 101)).first, 400);
  EXPECT_EQ(DecidePiece(Receiving(900), Piece(900, 100), {}, 0), PieceAction::Append);
}

TEST(UploadSessionTest, PieceLargerThanTheLimitIs413) {
  UploadLimits limits;
  limits.maxPieceBytes = 64;
  EXPECT_EQ(Refusal(Receiving(0), Piece(0, 65), 0, limits), std::make_pair(413, int64_t{0}));
  EXPECT_EQ(Refusal(Receiving(0), Piece(0, 64), 0, limits).first, 0);
}

TEST(UploadSessionTest, QuotaCountsTheUnitsOpenSessionsAtCreation) {
  UploadLimits limits;
  limits.unitQuotaBytes = 2500;
  EXPECT_EQ(Refusal(std::nullopt, Piece(0, 10), 1500, limits).first, 0);
  EXPECT_EQ(Refusal(std::nullopt, Piece(0, 10), 1501, limits).first, 507);
  // An open session goes on whatever the quota says: its bytes were counted when it opened.
  EXPECT_EQ(Refusal(Receiving(10), Piece(10, 10), 1000000, limits).first, 0);
}

TEST(UploadSessionTest, StoredSessionAnswersWithoutWriting) {
  UploadSession s = Receiving(1000);
  s.state = UploadState::Stored;
  EXPECT_EQ(DecidePiece(s, Piece(0, 1000), {}, 0), PieceAction::AlreadyStored);
}

TEST(UploadSessionTest, EmptyPieceOnlyFinishesACompleteSession) {
  EXPECT_EQ(Refusal(Receiving(300), Piece(300, 0)).first, 400);
  EXPECT_EQ(DecidePiece(Receiving(1000), Piece(1000, 0), {}, 0), PieceAction::Append);
}

TEST(UploadSessionTest, HeadersAreCheckedOneByOne) {
  const std::map<std::string, std::string> good = {
      {"relais-upload-offset", "0"}, {"relais-upload-size", "10"}, {"relais-upload-sha256", kSha}};
  const UploadPiece p = ParseUploadPiece(good, {}, 10);
  EXPECT_EQ(p.size, 10);
  EXPECT_EQ(p.length, 10);
  for (const auto& [key, value] : std::map<std::string, std::string>{{"relais-upload-offset", "-1"},
                                                                     {"relais-upload-offset", "1x"},
                                                                     {"relais-upload-size", "0"},
                                                                     {"relais-upload-size", ""},
                                                                     {"relais-upload-sha256", std::string(64, 'A')}}) {
    auto headers = good;
    headers[key] = value;
    try {
      ParseUploadPiece(headers, {}, 10);
      ADD_FAILURE() << key << "=" << value << " was accepted";
    } catch (const HttpError& e) {
      EXPECT_EQ(e.status(), 400);
      EXPECT_NE(std::string(e.what()).find("Relais-Upload-"), std::string::npos) << e.what();
    }
  }
  auto missing = good;
  missing.erase("relais-upload-sha256");
  EXPECT_THROW(ParseUploadPiece(missing, {}, 10), HttpError);
}

TEST(UploadSessionTest, QueryParametersServeWhenTheServerPassesThem) {
  const UploadPiece p = ParseUploadPiece({{"relais-upload-offset", "5"}}, {{"offset", "3"}, {"size", "10"}, {"sha256", kSha}}, 5);
  EXPECT_EQ(p.offset, 5);  // the header wins
  EXPECT_EQ(p.size, 10);
}

TEST(UploadSessionTest, ExpiryCountsFromTheLastPiece) {
  UploadLimits limits;
  limits.expireSeconds = 60;
  EXPECT_FALSE(UploadExpired(Receiving(0), 1059, limits));
  EXPECT_TRUE(UploadExpired(Receiving(0), 1060, limits));
}

TEST(UploadSessionTest, JsonSaysWhereTheHubStands) {
  UploadLimits limits;
  limits.expireSeconds = 3600;
  auto j = UploadSessionJson(Receiving(300), limits);
  EXPECT_EQ(j["state"], "receiving");
  EXPECT_EQ(j["offset"], 300);
  EXPECT_EQ(j["size"], 1000);
  EXPECT_EQ(j["expiresAt"], "1970-01-01T01:16:40Z");
  UploadSession stored = Receiving(1000);
  stored.state = UploadState::Stored;
  stored.orthancId = "abc";
  stored.storeStatus = "Success";
  j = UploadSessionJson(stored, limits);
  EXPECT_EQ(j["state"], "stored");
  EXPECT_EQ(j["instance"], "abc");
  EXPECT_EQ(j["status"], "Success");
  EXPECT_FALSE(j.contains("expiresAt"));
}
