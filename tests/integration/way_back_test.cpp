// The way back, end to end through the real executables: unit VAN-07 sends a study with
// `relais-forward --once` (account unit07), the hub routes it, a dermatologist answers over
// REST, and `relais-forward pull` brings the answer into the unit's inbox.
//   - A report: the inbox holds its PDF and structured JSON, the hub's case is delivered.
//   - An information request: the inbox holds its text; images added to the same study and
//     forwarded put the case back in its queue, flagged as having new images.
#include <gtest/gtest.h>

#include <algorithm>
#include <set>

#include "harness/Files.h"
#include "harness/HubCases.h"
#include "harness/SyntheticStudy.h"
#include "harness/TempDir.h"
#include "harness/TestHub.h"
#include "integration/ForwardSetup.h"
#include "integration/ReportSetup.h"
#include "outbox/Inbox.h"

using namespace relais::test;
using nlohmann::json;

namespace {

// The case as the coordinator reads it (reading does not change it).
json CaseById(const OrthancServer& hub, int64_t id) {
  auto answer = ClientAs(hub, "coord").get("/relais/v1/cases/" + std::to_string(id));
  EXPECT_EQ(answer.status, 200) << answer.body;
  return answer.status == 200 ? answer.json() : json::object();
}

int InstancesOf(const json& caseDetail) {
  int n = 0;
  for (const auto& s : caseDetail.value("series", json::array())) n += static_cast<int>(s["instances"].size());
  return n;
}

// Sends a fresh dermatology study from the unit and waits for the hub to route it; returns
// the case (empty object if it was not routed: the caller's ASSERT says so).
json SendAndRoute(const OrthancServer& hub, UnitForwarder& unit, const std::filesystem::path& capture,
                  const SyntheticStudyOptions& options, SyntheticStudy& study) {
  study = WriteSyntheticStudy(capture, options);
  EXPECT_EQ(unit.run({"enqueue", capture.string()}), 0) << unit.log();
  EXPECT_EQ(unit.run({"--once"}), 0) << unit.log();
  const json cases = WaitForCase(hub, study.studyInstanceUid, std::chrono::seconds(10));
  EXPECT_EQ(cases.size(), 1u) << cases.dump() << "\n" << unit.log();
  return cases.size() == 1 ? cases[0] : json::object();
}

// Every test starts the same way: unit VAN-07 has sent a three-instance study and the hub
// has routed it to a case.
class WayBack : public ::testing::Test {
 protected:
  void SetUp() override {
    options.instances = 3;
    routed = SendAndRoute(hub, unit, dir / "capture", options, study);
    ASSERT_FALSE(routed.empty());
    caseId = routed["id"].get<int64_t>();
    casePath = "/relais/v1/cases/" + std::to_string(caseId);
  }

  OrthancServer hub{HubOptions()};
  TempDir dir{"relais-way-back"};
  UnitForwarder unit{hub, dir / "unit"};
  SyntheticStudyOptions options;
  SyntheticStudy study;
  json routed;
  int64_t caseId = 0;
  std::string casePath;
};

}  // namespace

TEST_F(WayBack, ReportPulledIntoTheUnitInboxAndTheCaseDelivered) {
  ASSERT_EQ(routed["queue"], "dermatology");

  auto derm1 = ClientAs(hub, "derm1");
  auto claimed = derm1.post(casePath + "/claim", "{}");
  ASSERT_EQ(claimed.status, 200) << claimed.body;
  EXPECT_EQ(claimed.json()["claimedBy"], "derm1");
  auto reported = derm1.postJson(casePath + "/report", ValidDermatologyReport());
  ASSERT_EQ(reported.status, 201) << reported.body;
  EXPECT_EQ(CaseById(hub, caseId)["state"], "reported");

  ASSERT_EQ(unit.run({"pull"}), 0) << unit.log();

  relais::outbox::Inbox inbox(unit.outbox());
  const auto items = inbox.items();
  ASSERT_EQ(items.size(), 1u) << unit.log();
  const auto& answer = items[0];
  EXPECT_EQ(answer.kind, "report");
  EXPECT_EQ(answer.caseId, caseId);
  EXPECT_EQ(answer.studyInstanceUid, study.studyInstanceUid);
  EXPECT_TRUE(answer.acknowledged);
  ASSERT_TRUE(std::filesystem::is_regular_file(answer.folder / "report.pdf")) << answer.folder;
  ASSERT_TRUE(std::filesystem::is_regular_file(answer.folder / "report.json")) << answer.folder;
  const std::string pdf = ReadFile(answer.folder / "report.pdf");
  EXPECT_EQ(pdf.substr(0, 4), "%PDF");
  EXPECT_GT(pdf.size(), 1000u);
  const json structured = json::parse(ReadFile(answer.folder / "report.json"));
  EXPECT_EQ(structured["version"], 1);
  EXPECT_EQ(structured["values"]["working-diagnosis"]["code"], "9014002") << structured.dump();
  EXPECT_EQ(structured["values"]["follow-up"], "3-months");

  // The pull acknowledged the report: the case is delivered and nothing waits for the unit.
  EXPECT_EQ(CaseById(hub, caseId)["state"], "delivered");
  auto hubInbox = ClientAs(hub, "unit07").get("/relais/v1/inbox");
  ASSERT_EQ(hubInbox.status, 200) << hubInbox.body;
  EXPECT_EQ(hubInbox.json().size(), 0u) << hubInbox.body;
}

// A specialist whose viewer could not display an image may file a report only after
// confirming that it does not rest on that image; the audit trail keeps which and why.
TEST_F(WayBack, ReportOverAnUndisplayedImageNeedsItsAuthorsConfirmation) {
  auto derm1 = ClientAs(hub, "derm1");
  ASSERT_EQ(derm1.post(casePath + "/claim", "{}").status, 200);
  json body = ValidDermatologyReport();
  body["undisplayedImages"] = json::array({{{"instance", "0a1b2c3d-instance"}, {"reason", "decoder refused it"}}});
  auto refused = derm1.postJson(casePath + "/report", body);
  ASSERT_EQ(refused.status, 422) << refused.body;
  EXPECT_NE(refused.body.find("could not be displayed"), std::string::npos) << refused.body;
  EXPECT_EQ(CaseById(hub, caseId)["state"], "claimed");

  body["confirmUndisplayed"] = "yes";
  EXPECT_EQ(derm1.postJson(casePath + "/report", body).status, 422) << "a confirmation is a boolean";
  body["confirmUndisplayed"] = true;
  auto reported = derm1.postJson(casePath + "/report", body);
  ASSERT_EQ(reported.status, 201) << reported.body;
  auto audit = derm1.get(casePath + "/audit");
  ASSERT_EQ(audit.status, 200) << audit.body;
  std::string detail;
  for (const auto& e : audit.json()) {
    if (e["action"] == "report") detail = e["detail"].get<std::string>();
  }
  EXPECT_NE(detail.find("1 image could not be displayed, the author confirmed"), std::string::npos) << audit.body;
  EXPECT_NE(detail.find("0a1b2c3d-instance (decoder refused it)"), std::string::npos) << audit.body;
}

TEST_F(WayBack, InformationRequestPulledThenMoreImagesRequeueTheCase) {
  auto derm1 = ClientAs(hub, "derm1");
  ASSERT_EQ(derm1.post(casePath + "/claim", "{}").status, 200);
  const std::string question = "Merci d'ajouter une photo en lumière rasante, avec une règle à côté de la lésion.";
  auto requested = derm1.postJson(casePath + "/request-info", {{"message", question}});
  ASSERT_EQ(requested.status, 200) << requested.body;
  EXPECT_EQ(requested.json()["state"], "info-requested");
  // The specialist opens the case again before the unit pulls: that read is in the audit trail
  // too, in the same state, and must not hide the request's message.
  ASSERT_EQ(derm1.get(casePath).status, 200);

  ASSERT_EQ(unit.run({"pull"}), 0) << unit.log();
  {
    relais::outbox::Inbox inbox(unit.outbox());
    const auto items = inbox.items();
    ASSERT_EQ(items.size(), 1u) << unit.log();
    EXPECT_EQ(items[0].kind, "info-request");
    EXPECT_EQ(items[0].caseId, caseId);
    EXPECT_EQ(items[0].message, question);
    const std::string kept = ReadFile(items[0].folder / "item.json");
    EXPECT_EQ(json::parse(kept)["message"], question) << kept;
  }
  EXPECT_EQ(CaseById(hub, caseId)["state"], "info-requested") << "reading the request does not answer it";
  // Opening the case again after the unit took the request gives the unit no second request.
  ASSERT_EQ(derm1.get(casePath).status, 200);
  ASSERT_EQ(unit.run({"pull"}), 0) << unit.log();
  EXPECT_EQ(relais::outbox::Inbox(unit.outbox()).items().size(), 1u) << unit.log();

  // The nurse captures two more images into the same study; the unit forwards them.
  SyntheticStudyOptions more = options;
  more.instances = 2;
  more.studyInstanceUid = study.studyInstanceUid;
  const SyntheticStudy added = WriteSyntheticStudy(dir / "capture-more", more);
  ASSERT_EQ(added.studyInstanceUid, study.studyInstanceUid);
  ASSERT_EQ(unit.run({"enqueue", (dir / "capture-more").string()}), 0) << unit.log();
  ASSERT_EQ(unit.run({"--once"}), 0) << unit.log();

  const json cases = WaitForCases(
      hub, study.studyInstanceUid,
      [](const json& c) { return c.size() == 1 && c[0]["state"] == "queued" && c[0]["newImages"] == true; },
      std::chrono::seconds(10));
  ASSERT_EQ(cases.size(), 1u) << cases.dump();
  EXPECT_EQ(cases[0]["id"], caseId) << "the same case, not a new one";
  EXPECT_EQ(cases[0]["state"], "queued");
  EXPECT_EQ(cases[0]["newImages"], true);
  EXPECT_EQ(cases[0]["claimedBy"], nullptr);
  EXPECT_EQ(cases[0]["queue"], "dermatology");
  // Back in the dermatologists' queue, with all five images.
  const json inQueue = CasesOfStudy(hub, study.studyInstanceUid, "derm1");
  ASSERT_EQ(inQueue.size(), 1u);
  const json detail = CaseById(hub, caseId);
  EXPECT_EQ(InstancesOf(detail), 5) << detail.dump();
  // The detail says what was asked, and which images came after: the two added ones, at or
  // after the request, not the three routed with the study.
  ASSERT_TRUE(detail["infoRequest"].is_object()) << detail.dump();
  EXPECT_EQ(detail["infoRequest"]["message"], question);
  EXPECT_EQ(detail["infoRequest"]["by"], "derm1");
  EXPECT_EQ(detail["infoRequest"]["answer"], nullptr) << "answered with images, not in writing";
  const std::string askedAt = detail["infoRequest"]["at"];
  std::set<std::string> late;
  for (const auto& s : detail["series"]) {
    for (const auto& i : s["instances"]) {
      if (i["addedAt"].is_null()) continue;
      EXPECT_GE(i["addedAt"].get<std::string>(), askedAt) << i.dump();  // ISO UTC times sort as text
      late.insert(i["sopInstanceUid"].get<std::string>());
    }
  }
  EXPECT_EQ(late, std::set<std::string>(added.sopInstanceUids.begin(), added.sopInstanceUids.end())) << detail.dump();
  const auto audit = ClientAs(hub, "coord").get(casePath + "/audit").json();
  EXPECT_TRUE(std::any_of(audit.begin(), audit.end(), [](const json& e) {
    return e["action"] == "images-added" && e["detail"].get<std::string>().find("2 new") != std::string::npos;
  })) << audit.dump();
}
