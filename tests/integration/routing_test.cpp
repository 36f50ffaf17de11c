// Studies become cases in the right queue, exactly once, at the right moment.
#include <gtest/gtest.h>

#include <chrono>
#include <thread>

#include "harness/Files.h"
#include "harness/HubCases.h"
#include "harness/TestHub.h"
#include "harness/TestStudies.h"
#include "integration/StoreScu.h"

using namespace relais::test;
using nlohmann::json;

TEST(Routing, StorescuStudyIsRoutedByItsAttributesOnceStable) {
  OrthancServer hub(HubOptions());
  TempDir dir;
  TestInstance spec;
  spec.studyUid = NewUid();
  spec.requestedProcedure = "dermatology";
  spec.reason = "Changing naevus on the left forearm";
  spec.stationName = "US-MACHINE-3";
  auto files = WriteStudy(dir.path(), spec, 3);
  StoreScu(hub, files);
  // Orthanc's StableAge is 2 s here: the study is not complete yet.
  EXPECT_TRUE(CasesOfStudy(hub, spec.studyUid).empty());
  json cases = WaitForCase(hub, spec.studyUid, std::chrono::seconds(20));
  ASSERT_EQ(cases.size(), 1u) << hub.log().substr(0, 3000);
  const json& c = cases[0];
  EXPECT_EQ(c["queue"], "dermatology");
  EXPECT_EQ(c["rule"], "requested-dermatology");
  EXPECT_EQ(c["state"], "queued");
  EXPECT_EQ(c["unit"], "US-MACHINE-3");
  EXPECT_EQ(c["patient"]["id"], "PAT-001");
  EXPECT_EQ(c["request"]["question"], "Changing naevus on the left forearm");

  // The detail lists its three instances; the audit trail says which rule and why.
  auto derm1 = ClientAs(hub, "derm1");
  auto detail = derm1.get("/relais/v1/cases/" + std::to_string(c["id"].get<int>()));
  ASSERT_EQ(detail.status, 200) << detail.body;
  ASSERT_EQ(detail.json()["series"].size(), 1u);
  EXPECT_EQ(detail.json()["series"][0]["instances"].size(), 3u);
  for (const auto& instance : detail.json()["series"][0]["instances"]) EXPECT_EQ(instance["frames"], 1) << instance;
  auto audit = derm1.get("/relais/v1/cases/" + std::to_string(c["id"].get<int>()) + "/audit").json();
  bool routed = false, read = false;
  for (const auto& e : audit) {
    if (e["action"] == "routed") routed = e["detail"].get<std::string>().find("requested-dermatology") != std::string::npos;
    if (e["action"] == "read" && e["user"] == "derm1") read = e["address"] == "127.0.0.1";
  }
  EXPECT_TRUE(routed) << audit.dump();
  EXPECT_TRUE(read) << audit.dump();

  // A late image: StableStudy fires again; still one case, flagged as having new images.
  TestInstance late = spec;
  late.sopUid.clear();
  late.instanceNumber = 4;
  WriteTestInstance(dir / "late.dcm", late);
  StoreScu(hub, {dir / "late.dcm"});
  json again = WaitForCases(
      hub, spec.studyUid, [](const json& cases) { return cases.size() == 1 && cases[0]["newImages"] == true; },
      std::chrono::seconds(20));
  ASSERT_EQ(again.size(), 1u);
  EXPECT_EQ(again[0]["id"], c["id"]);
  EXPECT_EQ(again[0]["newImages"], true);
}

TEST(Routing, UnmatchedStudyLandsInTriage) {
  OrthancServer hub(HubOptions());
  TempDir dir;
  TestInstance spec;
  spec.studyUid = NewUid();
  spec.modality = "MR";
  StoreScu(hub, WriteStudy(dir.path(), spec, 1));
  json cases = WaitForCase(hub, spec.studyUid, std::chrono::seconds(20));
  ASSERT_EQ(cases.size(), 1u) << spec.studyUid << " " << ClientAs(hub, "coord").get("/relais/v1/cases").body;
  EXPECT_EQ(cases[0]["queue"], "triage");
  EXPECT_EQ(cases[0]["rule"], "");
}

TEST(Routing, ManifestStudyIsRoutedWhenTheManifestIsMetAndNotBefore) {
  OrthancServer hub(HubOptions());
  TempDir dir;
  TestInstance spec;
  spec.studyUid = NewUid();
  spec.requestedProcedure = "radiology";
  spec.stationName = "VAN-07";
  std::vector<std::string> uids;
  auto files = WriteStudy(dir.path(), spec, 3, &uids);
  auto unit = ClientAs(hub, "unit07");
  auto posted = unit.postJson("/relais/v1/studies/" + spec.studyUid + "/manifest", {{"instances", uids}, {"priority", "urgent"}});
  ASSERT_EQ(posted.status, 200) << posted.body;
  EXPECT_EQ(posted.json()["expected"], 3);
  EXPECT_EQ(posted.json()["received"], 0);
  EXPECT_EQ(posted.json()["caseId"], nullptr);

  for (size_t i = 0; i < 2; ++i) {
    ASSERT_EQ(unit.post("/instances", ReadFile(files[i]), "application/dicom").status, 200);
  }
  // Well past Orthanc's StableAge (2 s) and a sweep: stable, but the manifest is not met.
  std::this_thread::sleep_for(std::chrono::milliseconds(3500));
  EXPECT_TRUE(CasesOfStudy(hub, spec.studyUid).empty());
  auto status = unit.get("/relais/v1/studies/" + spec.studyUid + "/manifest").json();
  EXPECT_EQ(status["received"], 2);
  EXPECT_EQ(status["complete"], false);

  const auto sent = std::chrono::steady_clock::now();
  ASSERT_EQ(unit.post("/instances", ReadFile(files[2]), "application/dicom").status, 200);
  json cases = WaitForCase(hub, spec.studyUid, std::chrono::seconds(10));
  const auto routedAfter = std::chrono::steady_clock::now() - sent;
  ASSERT_EQ(cases.size(), 1u);
  // As soon as it is met: well before Orthanc would call the study stable again.
  EXPECT_LT(routedAfter, std::chrono::milliseconds(1500));
  EXPECT_EQ(cases[0]["queue"], "radiology");
  EXPECT_EQ(cases[0]["priority"], "urgent");
  EXPECT_EQ(cases[0]["unit"], "VAN-07");
  EXPECT_EQ(unit.get("/relais/v1/studies/" + spec.studyUid + "/manifest").json()["caseId"], cases[0]["id"]);
}

// A unit's study waits for the manifest its forwarder posts after the images, however stable
// Orthanc calls it, and is routed anyway after ManifestWaitSeconds. The same unit forwarding by
// C-STORE never posts one: its study is routed when stable, like any modality's.
TEST(Routing, AUnitsStudyWaitsForItsManifestUnlessItCameByCStore) {
  OrthancServer hub(HubOptions({{"ManifestWaitSeconds", 6}, {"SweepSeconds", 1}}));
  TempDir dir;
  TestInstance spec;
  spec.requestedProcedure = "dermatology";
  spec.stationName = "VAN-07";

  spec.studyUid = NewUid();
  const std::string overHttp = spec.studyUid;
  auto unit = ClientAs(hub, "unit07");
  for (const auto& file : WriteStudy(dir.path(), spec, 2)) {
    ASSERT_EQ(unit.post("/instances", ReadFile(file), "application/dicom").status, 200);
  }
  const auto uploaded = std::chrono::steady_clock::now();

  TempDir other;
  spec.studyUid = NewUid();
  const std::string overDicom = spec.studyUid;
  StoreScu(hub, WriteStudy(other.path(), spec, 2));
  json byCStore = WaitForCase(hub, overDicom, std::chrono::seconds(15));
  ASSERT_EQ(byCStore.size(), 1u) << hub.log().substr(0, 3000);
  EXPECT_EQ(byCStore[0]["unit"], "VAN-07");
  EXPECT_EQ(byCStore[0]["queue"], "dermatology");
  EXPECT_LT(std::chrono::steady_clock::now() - uploaded, std::chrono::seconds(6));
  // Stable by now (StableAge 2 s), but its manifest may still come.
  EXPECT_TRUE(CasesOfStudy(hub, overHttp).empty());

  json overdue = WaitForCase(hub, overHttp, std::chrono::seconds(20));
  ASSERT_EQ(overdue.size(), 1u) << hub.log().substr(0, 3000);
  EXPECT_GE(std::chrono::steady_clock::now() - uploaded, std::chrono::seconds(6));
  const auto audit = ClientAs(hub, "coord").get("/relais/v1/cases/" + std::to_string(overdue[0]["id"].get<int>()) + "/audit");
  EXPECT_NE(audit.body.find("no manifest after 6 s"), std::string::npos) << audit.body;
}

TEST(Routing, ManifestPostedAfterTheImagesRoutesAtOnce) {
  OrthancServer hub(HubOptions());
  TempDir dir;
  TestInstance spec;
  spec.studyUid = NewUid();
  spec.requestedProcedure = "paediatrics";
  spec.stationName = "VAN-07";
  auto unit = ClientAs(hub, "unit07");
  std::vector<std::string> uids;
  for (int i = 0; i < 2; ++i) {
    spec.sopUid.clear();
    uids.push_back(WriteTestInstance(dir / ("i" + std::to_string(i) + ".dcm"), spec));
    ASSERT_EQ(unit.post("/instances", ReadFile(dir / ("i" + std::to_string(i) + ".dcm")), "application/dicom").status, 200);
  }
  // A unit's study waits for its manifest even once stable.
  std::this_thread::sleep_for(std::chrono::milliseconds(3500));
  EXPECT_TRUE(CasesOfStudy(hub, spec.studyUid).empty());
  auto posted = unit.postJson("/relais/v1/studies/" + spec.studyUid + "/manifest", {{"instances", uids}});
  ASSERT_EQ(posted.status, 200) << posted.body;
  EXPECT_EQ(posted.json()["complete"], true);
  EXPECT_NE(posted.json()["caseId"], nullptr);
  // Another unit may not post a manifest for it.
  auto other = ClientAs(hub, "unit12").postJson("/relais/v1/studies/" + spec.studyUid + "/manifest", {{"instances", uids}});
  EXPECT_EQ(other.status, 403) << other.body;
  EXPECT_EQ(unit.postJson("/relais/v1/studies/" + spec.studyUid + "/manifest", {{"instances", "x"}}).status, 400);
  EXPECT_EQ(unit.post("/relais/v1/studies/" + spec.studyUid + "/manifest", "{nope", "application/json").status, 400);
}

TEST(Routing, StudyInterruptedByARestartIsRoutedAfterIt) {
  OrthancServer hub(HubOptions());
  TempDir dir;
  TestInstance spec;
  spec.studyUid = NewUid();
  spec.requestedProcedure = "pneumology";
  StoreScu(hub, WriteStudy(dir.path(), spec, 2));
  hub.kill9();  // before StableAge: Orthanc never fires StableStudy for it
  hub.start();
  json cases = WaitForCase(hub, spec.studyUid, std::chrono::seconds(20));
  ASSERT_EQ(cases.size(), 1u) << hub.log().substr(0, 3000);
  EXPECT_EQ(cases[0]["queue"], "pneumology");
}

TEST(Routing, DryRunSaysWhichRuleMatchesAndWhy) {
  OrthancServer hub(HubOptions());
  auto coord = ClientAs(hub, "coord");
  auto answer = coord.postJson("/relais/v1/routing/dry-run", {{"tags", {{"Modality", "DX"}, {"BodyPartExamined", "CHEST"}, {"StudyDescription", "urgent chest"}}}});
  ASSERT_EQ(answer.status, 200) << answer.body;
  EXPECT_EQ(answer.json()["rule"], "chest-xray-urgent");
  EXPECT_EQ(answer.json()["priority"], "urgent");
  EXPECT_GE(answer.json()["explanation"].size(), 2u);
  EXPECT_EQ(coord.postJson("/relais/v1/routing/dry-run", {{"tags", {{"Modality", 3}}}}).status, 400);
  EXPECT_EQ(coord.postJson("/relais/v1/routing/dry-run", {{"orthancStudyId", "nope"}}).status, 404);
  EXPECT_EQ(ClientAs(hub, "derm1").postJson("/relais/v1/routing/dry-run", {{"tags", json::object()}}).status, 403);
}
