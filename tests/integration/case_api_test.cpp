// The case lifecycle through the REST API, with its audit trail, statistics and the errors
// bad requests get.
#include <gtest/gtest.h>

#include <algorithm>
#include <tuple>
#include <vector>

#include "harness/Files.h"
#include "harness/TestHub.h"
#include "harness/TestStudies.h"

using namespace relais::test;
using nlohmann::json;

namespace {

// A dermatology case from VAN-07, sent by its unit with a manifest; returns its id.
int SendCase(const OrthancServer& hub, const TempDir& dir, const std::string& name) {
  TestInstance spec;
  spec.requestedProcedure = "dermatology";
  spec.stationName = "VAN-07";
  spec.patientId = "PAT-API";
  const std::string sop = WriteTestInstance(dir / (name + ".dcm"), spec);
  auto unit = ClientAs(hub, "unit07");
  EXPECT_EQ(unit.post("/instances", ReadFile(dir / (name + ".dcm")), "application/dicom").status, 200);
  auto m = unit.postJson("/relais/v1/studies/" + spec.studyUid + "/manifest", {{"instances", {sop}}});
  EXPECT_EQ(m.status, 200) << m.body;
  return m.json()["caseId"].get<int>();
}

}  // namespace

TEST(CaseApi, LifecycleAuditStatisticsAndErrors) {
  OrthancServer hub(HubOptions());
  TempDir dir;
  const int first = SendCase(hub, dir, "first");
  const int id = SendCase(hub, dir, "second");
  const std::string c = "/relais/v1/cases/" + std::to_string(id);
  auto derm1 = ClientAs(hub, "derm1"), derm2 = ClientAs(hub, "derm2"), nurse = ClientAs(hub, "nurse07"),
       coord = ClientAs(hub, "coord"), rad1 = ClientAs(hub, "rad1");

  // The patient's earlier case is listed as a prior.
  auto detail = derm1.get(c).json();
  ASSERT_EQ(detail["priors"].size(), 1u);
  EXPECT_EQ(detail["priors"][0]["id"], first);

  EXPECT_EQ(derm1.post(c + "/claim", "").json()["claimedBy"], "derm1");
  auto taken = derm2.post(c + "/claim", "");
  EXPECT_EQ(taken.status, 409);
  EXPECT_NE(taken.body.find("already claimed"), std::string::npos) << taken.body;
  EXPECT_EQ(derm2.post(c + "/release", "").status, 403);  // not the holder
  EXPECT_EQ(derm1.postJson(c + "/request-info", json::object()).status, 400);  // no message
  EXPECT_EQ(derm1.postJson(c + "/request-info", {{"message", 3}}).status, 400);
  EXPECT_EQ(derm1.post(c + "/request-info", "{not json", "application/json").status, 400);
  EXPECT_EQ(derm1.postJson(c + "/request-info", {{"message", "Please send a close-up"}}).json()["state"], "info-requested");
  EXPECT_EQ(ClientAs(hub, "nurse12").postJson(c + "/info-answer", {{"message", "x"}}).status, 403);
  EXPECT_EQ(nurse.postJson(c + "/info-answer", {{"message", "Close-up sent"}}).json()["state"], "queued");
  // The specialist reads the question and the nurse's written answer with the case.
  const json asked = derm1.get(c).json()["infoRequest"];
  EXPECT_EQ(asked["message"], "Please send a close-up") << asked.dump();
  EXPECT_EQ(asked["by"], "derm1");
  EXPECT_EQ(asked["answer"]["message"], "Close-up sent") << asked.dump();
  EXPECT_EQ(asked["answer"]["by"], "nurse07");
  EXPECT_GE(asked["answer"]["at"].get<std::string>(), asked["at"].get<std::string>());
  EXPECT_EQ(derm2.post(c + "/claim", "").status, 200);
  EXPECT_EQ(derm2.post(c + "/release", "").json()["state"], "queued");
  EXPECT_EQ(coord.postJson(c + "/reassign", {{"queue", "cardiology"}}).status, 400);
  EXPECT_EQ(coord.postJson(c + "/reassign", json::object()).status, 400);
  auto moved = coord.postJson(c + "/reassign", {{"specialist", "rad1"}});
  ASSERT_EQ(moved.status, 200) << moved.body;
  EXPECT_EQ(moved.json()["queue"], "radiology");
  EXPECT_EQ(moved.json()["assignedTo"], "rad1");
  EXPECT_EQ(derm1.get(c).status, 403);  // no longer in dermatology
  EXPECT_EQ(rad1.post(c + "/claim", "").status, 200);

  // Unknown ids and bad parameters.
  EXPECT_EQ(coord.get("/relais/v1/cases/99999").status, 404);
  EXPECT_EQ(coord.get("/relais/v1/cases/abc").status, 400);
  EXPECT_EQ(coord.get("/relais/v1/cases?state=lost").status, 400);
  // Several states in one request, comma-separated; one state as before.
  auto open = coord.get("/relais/v1/cases?state=queued,claimed,info-requested");
  ASSERT_EQ(open.status, 200) << open.body;
  EXPECT_EQ(open.json()["total"], 2) << open.body;
  EXPECT_EQ(coord.get("/relais/v1/cases?state=claimed").json()["cases"][0]["id"], id);
  EXPECT_EQ(coord.get("/relais/v1/cases?state=queued").json()["cases"][0]["id"], first);
  EXPECT_EQ(coord.get("/relais/v1/cases?state=reported,delivered").json()["total"], 0);
  auto unknown = coord.get("/relais/v1/cases?state=queued,lost");
  EXPECT_EQ(unknown.status, 400);
  EXPECT_NE(unknown.body.find("'lost'"), std::string::npos) << unknown.body;
  EXPECT_EQ(coord.get("/relais/v1/cases?state=queued,").status, 400);
  // Encoded as browsers and HTTP libraries encode a query: the same answers.
  auto encoded = coord.get("/relais/v1/cases?state=queued%2Cclaimed%2Cinfo-requested");
  ASSERT_EQ(encoded.status, 200) << encoded.body;
  EXPECT_EQ(encoded.json()["total"], 2) << encoded.body;
  EXPECT_EQ(coord.get("/relais/v1/cases?unit=VAN%2D07").json()["total"], 2);
  EXPECT_EQ(coord.get("/relais/v1/cases?limit=0").status, 400);
  EXPECT_EQ(derm1.get("/relais/v1/cases?queue=radiology").status, 403);

  // Every step is in the audit trail, with who and from where.
  auto audit = coord.get(c + "/audit").json();
  std::vector<std::string> actions;
  for (const auto& e : audit) {
    actions.push_back(e["action"]);
    if (e["action"] == "claim") {
      EXPECT_EQ(e["address"], "127.0.0.1");
    }
  }
  for (const char* expected : {"created", "routed", "read", "claim", "request-info", "info-answer", "release", "reassign"}) {
    EXPECT_NE(std::find(actions.begin(), actions.end(), expected), actions.end()) << expected << " in " << audit.dump();
  }
  // Refused attempts changed nothing.
  EXPECT_EQ(coord.get(c).json()["claimedBy"], "rad1");

  auto stats = coord.get("/relais/v1/statistics").json();
  EXPECT_EQ(stats["byUnit"]["VAN-07"], 2);
  EXPECT_EQ(stats["byQueue"]["radiology"], 1);
  EXPECT_EQ(stats["byState"]["claimed"], 1);
  EXPECT_EQ(stats["turnaround"]["reported"], 0);
  auto queues = derm1.get("/relais/v1/queues").json();
  ASSERT_EQ(queues.size(), 1u);  // a specialist sees the queues of their specialties
  EXPECT_EQ(queues[0]["queue"], "dermatology");
  EXPECT_EQ(queues[0]["waiting"], 1);
  EXPECT_TRUE(queues[0]["oldestWaitingSeconds"].is_number());
}

// The viewer shows a case's images in the order the API gives, the first one first: that must be
// the order they were taken (Series Number, then Instance Number), not the order Orthanc stored
// them in.
TEST(CaseApi, SeriesAndImagesInTheirNumbersOrder) {
  OrthancServer hub(HubOptions());
  TempDir dir;
  auto unit = ClientAs(hub, "unit07");
  const std::string study = NewUid(), first = NewUid(), second = NewUid();
  std::vector<std::string> sops;
  // Stored in this order: series 2 first, and each series' images out of order.
  for (const auto& [series, seriesNumber, number] :
       {std::tuple{second, 2, 2}, {second, 2, 1}, {first, 1, 10}, {first, 1, 3}, {first, 1, 9}}) {
    TestInstance spec;
    spec.studyUid = study;
    spec.seriesUid = series;
    spec.seriesNumber = seriesNumber;
    spec.instanceNumber = number;
    spec.requestedProcedure = "dermatology";
    spec.stationName = "VAN-07";
    spec.patientId = "PAT-ORDER";
    spec.studyDescription = "Skin lesion";
    const auto file = dir / (std::to_string(sops.size()) + ".dcm");
    sops.push_back(WriteTestInstance(file, spec));
    ASSERT_EQ(unit.post("/instances", ReadFile(file), "application/dicom").status, 200);
  }
  auto m = unit.postJson("/relais/v1/studies/" + study + "/manifest", {{"instances", sops}});
  ASSERT_EQ(m.status, 200) << m.body;
  const json detail = ClientAs(hub, "derm1").get("/relais/v1/cases/" + std::to_string(m.json()["caseId"].get<int>())).json();
  std::vector<std::vector<std::string>> numbers;
  for (const auto& series : detail["series"]) {
    numbers.emplace_back();
    for (const auto& instance : series["instances"]) {
      numbers.back().push_back(instance["number"]);
      EXPECT_EQ(instance["frames"], 1) << instance.dump();
    }
  }
  EXPECT_EQ(numbers, (std::vector<std::vector<std::string>>{{"3", "9", "10"}, {"1", "2"}})) << detail["series"].dump();
  // What the study is, for the viewer's header.
  EXPECT_EQ(detail["study"], (json{{"date", "20261125"}, {"time", detail["study"].value("time", "")}, {"description", "Skin lesion"}}))
      << detail["study"].dump();
}

// Priors are the patient's cases from before this one, latest first (the viewer compares with
// the first), even when they arrived within the same second.
TEST(CaseApi, PriorsAreEarlierCasesLatestFirst) {
  OrthancServer hub(HubOptions());
  TempDir dir;
  const int first = SendCase(hub, dir, "first");
  const int second = SendCase(hub, dir, "second");
  const int third = SendCase(hub, dir, "third");
  auto derm1 = ClientAs(hub, "derm1");
  auto priorIds = [&](int id) {
    const json detail = derm1.get("/relais/v1/cases/" + std::to_string(id)).json();
    std::vector<int> ids;
    for (const auto& p : detail["priors"]) ids.push_back(p["id"]);
    return ids;
  };
  EXPECT_EQ(priorIds(first), std::vector<int>{});
  EXPECT_EQ(priorIds(second), std::vector<int>{first});
  EXPECT_EQ(priorIds(third), (std::vector<int>{second, first}));
}

// The queue list says how many of the waiting cases are urgent: the viewer marks the queue.
TEST(CaseApi, QueuesCountTheUrgentCases) {
  OrthancServer hub(HubOptions());
  TempDir dir;
  SendCase(hub, dir, "routine");
  const json queues = ClientAs(hub, "derm1").get("/relais/v1/queues").json();
  ASSERT_EQ(queues.size(), 1u) << queues.dump();
  EXPECT_EQ(queues[0]["queue"], "dermatology");
  EXPECT_EQ(queues[0]["waiting"], 1);
  EXPECT_EQ(queues[0]["urgent"], 0) << queues.dump();
}
