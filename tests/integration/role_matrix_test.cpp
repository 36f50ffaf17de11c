// Every role against every kind of route, Orthanc's own included: exactly 200, 403 or 401.
#include <gtest/gtest.h>

#include <chrono>
#include <thread>

#include "harness/Files.h"
#include "harness/TestHub.h"
#include "harness/TestStudies.h"

using namespace relais::test;
using nlohmann::json;

namespace {

struct Check {
  std::string method, path, body;
  std::map<std::string, int> expected;  // account ("" = anonymous) -> status; missing = 403
};

}  // namespace

TEST(RoleMatrix, EveryRoleGetsExactlyWhatItShould) {
  OrthancServer hub(HubOptions());
  TempDir dir;
  // A dermatology study from VAN-07, sent by its unit with a manifest.
  TestInstance spec;
  spec.requestedProcedure = "dermatology";
  spec.stationName = "VAN-07";
  const std::string sop = WriteTestInstance(dir / "a.dcm", spec);
  const std::string file = ReadFile(dir / "a.dcm");
  auto unit = ClientAs(hub, "unit07");
  auto stored = unit.post("/instances", file, "application/dicom");
  ASSERT_EQ(stored.status, 200) << stored.body;
  const std::string instance = stored.json()["ID"];
  auto manifest = unit.postJson("/relais/v1/studies/" + spec.studyUid + "/manifest", {{"instances", {sop}}});
  ASSERT_EQ(manifest.status, 200) << manifest.body;
  ASSERT_TRUE(manifest.json()["caseId"].is_number()) << manifest.body;
  const std::string caseId = std::to_string(manifest.json()["caseId"].get<int>());
  const std::string c = "/relais/v1/cases/" + caseId;

  const std::vector<Check> checks = {
      // Orthanc's native API: admin all, pacs read-only, units upload; the filter says 403 to anonymous.
      {"GET", "/patients", "", {{"admin", 200}, {"pacs", 200}}},
      {"GET", "/instances/" + instance + "/file", "", {{"admin", 200}, {"pacs", 200}}},
      {"DELETE", "/instances/no-such-instance", "", {{"admin", 404}}},
      {"POST", "/instances", file, {{"admin", 200}, {"unit07", 200}, {"unit12", 200}}},
      {"GET", "/relais/version", "", {{"", 200}, {"admin", 200}, {"coord", 200}, {"derm1", 200}, {"rad1", 200},
                                       {"nurse07", 200}, {"nurse12", 200}, {"unit07", 200}, {"unit12", 200}, {"pacs", 200}}},
      {"GET", "/relais/v1/queues", "", {{"", 401}, {"admin", 200}, {"coord", 200}, {"derm1", 200}, {"rad1", 200}}},
      {"GET", "/relais/v1/cases", "", {{"", 401}, {"admin", 200}, {"coord", 200}, {"derm1", 200}, {"rad1", 200},
                                        {"nurse07", 200}, {"nurse12", 200}, {"unit07", 200}, {"unit12", 200}}},
      {"GET", c, "", {{"", 401}, {"admin", 200}, {"coord", 200}, {"derm1", 200}, {"nurse07", 200}, {"unit07", 200}}},
      {"GET", c + "/audit", "", {{"", 401}, {"admin", 200}, {"coord", 200}, {"derm1", 200}}},
      {"GET", "/relais/v1/statistics", "", {{"", 401}, {"admin", 200}, {"coord", 200}}},
      {"POST", "/relais/v1/routing/dry-run", R"({"tags": {}})", {{"", 401}, {"admin", 200}, {"coord", 200}}},
      {"POST", c + "/info-answer", R"({"message": "x"})", {{"", 401}}},  // 409 for the unit: nothing was asked
      {"POST", c + "/claim", "", {{"", 401}, {"derm1", 200}}},
  };
  const std::vector<std::string> accounts = {"", "admin", "coord", "derm1", "rad1", "nurse07", "nurse12", "unit07", "unit12", "pacs"};
  for (const auto& check : checks) {
    for (const auto& account : accounts) {
      // Claims change state: only the last check's expected claimant runs it.
      if (check.path == c + "/claim" && account == "admin") continue;
      if (check.path == c + "/info-answer" && (account == "admin" || account == "nurse07" || account == "unit07")) continue;
      HttpClient http = hub.client();
      if (!account.empty()) http.setCredentials(account, PasswordOf(account));
      auto answer = http.request(check.method, check.path, check.body, "application/json");
      auto it = check.expected.find(account);
      const int expected = it == check.expected.end() ? 403 : it->second;
      EXPECT_EQ(answer.status, expected) << (account.empty() ? "anonymous" : account) << " " << check.method << " "
                                         << check.path << ": " << answer.body.substr(0, 200);
    }
  }
  // With wrong credentials, /relais routes say 401, Orthanc's say 403.
  HttpClient wrong = hub.client();
  wrong.setCredentials("admin", "not-the-password");
  EXPECT_EQ(wrong.get("/relais/v1/cases").status, 401);
  EXPECT_EQ(wrong.get("/patients").status, 403);
  // The nurse of the unit answers only when something was asked: 409 with the reason.
  auto nurse = ClientAs(hub, "nurse07").postJson(c + "/info-answer", {{"message", "x"}});
  EXPECT_EQ(nurse.status, 409);
  EXPECT_NE(nurse.body.find("no information was requested"), std::string::npos) << nurse.body;
}
