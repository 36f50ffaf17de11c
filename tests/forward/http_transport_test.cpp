#include "outbox/HttpTransport.h"

#include <gtest/gtest.h>

using relais::outbox::HttpTransport;
using Kind = relais::outbox::SendOutcome::Kind;

TEST(HttpTransport, OrthancSuccessAndAlreadyStoredMeanTheHubHoldsIt) {
  EXPECT_EQ(HttpTransport::ClassifyInstanceAnswer(200, R"({"ID":"ab","Status":"Success"})").kind, Kind::Stored);
  EXPECT_EQ(HttpTransport::ClassifyInstanceAnswer(200, R"({"ID":"ab","Status":"AlreadyStored"})").kind, Kind::Stored);
}

TEST(HttpTransport, AnAnswerWithoutStorageStatusIsNotAConfirmation) {
  EXPECT_EQ(HttpTransport::ClassifyInstanceAnswer(200, "<html>proxy login</html>").kind, Kind::Retry);
  EXPECT_EQ(HttpTransport::ClassifyInstanceAnswer(200, R"({"ID":"ab","Status":"FilteredOut"})").kind, Kind::Refused);
}

TEST(HttpTransport, ServerTroubleIsRetriedBadInstancesAreRefused) {
  EXPECT_EQ(HttpTransport::ClassifyInstanceAnswer(500, "oops").kind, Kind::Retry);
  EXPECT_EQ(HttpTransport::ClassifyInstanceAnswer(503, "").kind, Kind::Retry);
  EXPECT_EQ(HttpTransport::ClassifyInstanceAnswer(401, "").kind, Kind::Retry);
  auto bad = HttpTransport::ClassifyInstanceAnswer(400, R"({"Message":"Bad file format"})");
  EXPECT_EQ(bad.kind, Kind::Refused);
  EXPECT_NE(bad.detail.find("Bad file format"), std::string::npos) << bad.detail;
}

TEST(HttpTransport, ManifestAcknowledgementIsTheHubsJson) {
  auto ok = HttpTransport::ClassifyManifestAnswer(200, R"({"complete":true,"caseId":12})");
  EXPECT_EQ(ok.kind, Kind::Stored);
  EXPECT_NE(ok.detail.find("\"caseId\":12"), std::string::npos);
  EXPECT_EQ(HttpTransport::ClassifyManifestAnswer(502, "").kind, Kind::Retry);
  EXPECT_EQ(HttpTransport::ClassifyManifestAnswer(422, "{}").kind, Kind::Refused);
}
