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
  EXPECT_EQ(HttpTransport::ClassifyInstanceAnswer(401, "").kind, Kind::AccountRefused);
  EXPECT_EQ(HttpTransport::ClassifyInstanceAnswer(403, "").kind, Kind::AccountRefused);
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

TEST(HttpTransport, ARefusedAccountIsNamedWithWhatToFixAndWhere) {
  EXPECT_EQ(HttpTransport::AccountRefusal("unit07", "/etc/relais/forward.json", 401),
            "the hub refused the unit's account unit07 (401 Unauthorized): check user and passwordFile in "
            "/etc/relais/forward.json");
  EXPECT_EQ(HttpTransport::ClassifyManifestAnswer(403, "").kind, Kind::AccountRefused);
}

TEST(HttpTransport, TheAccountFingerprintChangesWithAddressUserOrPassword) {
  using relais::outbox::HubSettings;
  const HubSettings a{"https://hub", "unit07", "secret", "", std::chrono::seconds(5)};
  HubSettings b = a;
  EXPECT_EQ(HttpTransport::AccountFingerprint(a), HttpTransport::AccountFingerprint(b));
  b.password = "secret2";
  EXPECT_NE(HttpTransport::AccountFingerprint(a), HttpTransport::AccountFingerprint(b));
  b = a;
  b.user = "unit08";
  EXPECT_NE(HttpTransport::AccountFingerprint(a), HttpTransport::AccountFingerprint(b));
  EXPECT_EQ(HttpTransport::AccountFingerprint(a).size(), 64u);
}
