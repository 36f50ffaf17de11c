// Issue 19: only declared modalities and units may store in the hub. An undeclared AET's
// C-STORE is refused (and logged with its AET and address) and makes no case; a declared one
// makes a case whose detail names its sender, as does a unit's upload over HTTP.
#include <gtest/gtest.h>

#include <chrono>
#include <thread>

#include "harness/Files.h"
#include "harness/HubCases.h"
#include "harness/TestHub.h"
#include "harness/TestStudies.h"
#include "integration/ForwardSetup.h"
#include "integration/StoreScu.h"

using namespace relais::test;
using nlohmann::json;

TEST(DicomSenders, AnUndeclaredAetIsRefusedAndMakesNoCase) {
  OrthancServer hub(HubOptions());
  TempDir dir;
  TestInstance spec;
  spec.studyUid = NewUid();
  spec.requestedProcedure = "radiology";
  std::string output;
  EXPECT_NE(RunStoreScu(hub, WriteStudy(dir.path(), spec, 2), "ROGUE", &output), 0) << output;
  const std::string log = hub.log();
  EXPECT_NE(log.find("AET ROGUE on IP 127.0.0.1"), std::string::npos) << log.substr(log.size() > 4000 ? log.size() - 4000 : 0);
  // Past StableAge (2 s) and a reconciliation: nothing stored, nothing routed.
  std::this_thread::sleep_for(std::chrono::seconds(4));
  EXPECT_EQ(AdminClient(hub).get("/studies").json().size(), 0u);
  EXPECT_TRUE(AllCases(hub).empty());
}

TEST(DicomSenders, ADeclaredModalitysCaseNamesItsSender) {
  OrthancServer hub(HubOptions());
  TempDir dir;
  TestInstance spec;
  spec.studyUid = NewUid();
  spec.requestedProcedure = "radiology";
  StoreScu(hub, WriteStudy(dir.path(), spec, 2));
  const json cases = WaitForCase(hub, spec.studyUid, std::chrono::seconds(20));
  ASSERT_EQ(cases.size(), 1u) << hub.log().substr(0, 3000);
  EXPECT_EQ(cases[0]["sender"], (json{{"origin", "DicomProtocol"}, {"aet", kTestModalityAet}, {"ip", "127.0.0.1"},
                                      {"account", ""}}));
  const auto detail = ClientAs(hub, "rad1").get("/relais/v1/cases/" + std::to_string(cases[0]["id"].get<int>()));
  ASSERT_EQ(detail.status, 200) << detail.body;
  EXPECT_EQ(detail.json()["sender"]["aet"], kTestModalityAet);
  EXPECT_EQ(detail.json()["sender"]["origin"], "DicomProtocol");
}

TEST(DicomSenders, AUnitsUploadNamesTheUnitAccount) {
  OrthancServer hub(HubOptions());
  TempDir dir;
  TestInstance spec;
  spec.studyUid = NewUid();
  spec.requestedProcedure = "dermatology";
  spec.stationName = "VAN-07";
  std::vector<std::string> uids;
  auto unit = ClientAs(hub, "unit07");
  for (const auto& file : WriteStudy(dir.path(), spec, 2, &uids)) {
    ASSERT_EQ(unit.post("/instances", ReadFile(file), "application/dicom").status, 200);
  }
  const auto posted = unit.postJson("/relais/v1/studies/" + spec.studyUid + "/manifest", {{"instances", uids}});
  ASSERT_EQ(posted.status, 200) << posted.body;
  const auto detail = ClientAs(hub, "derm1").get("/relais/v1/cases/" + std::to_string(posted.json()["caseId"].get<int>()));
  ASSERT_EQ(detail.status, 200) << detail.body;
  EXPECT_EQ(detail.json()["sender"], (json{{"origin", "RestApi"}, {"aet", ""}, {"ip", "127.0.0.1"}, {"account", "unit07"}}));
}

TEST(DicomSenders, AHubOpenToAnySenderDoesNotStart) {
  auto options = HubOptions();
  options.config["DicomAlwaysAllowStore"] = true;
  try {
    OrthancServer hub(options);
    FAIL() << "Orthanc started accepting C-STORE from any AET";
  } catch (const std::runtime_error& e) {
    EXPECT_NE(std::string(e.what()).find("orthanc.json: DicomAlwaysAllowStore: expected false"), std::string::npos)
        << e.what();
  }
}
