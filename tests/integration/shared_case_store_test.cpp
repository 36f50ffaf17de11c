// Two hubs (two Orthanc processes with the plugin) sharing one PostgreSQL case database, as the
// nodes of a national hub behind a load balancer do: specialists claiming through either hub
// never get the same case, and each hub sees the other's claims.
#include <gtest/gtest.h>

#include <mutex>
#include <set>
#include <thread>

#include "ClaimRace.h"
#include "harness/PostgresTestServer.h"
#include "harness/TestHub.h"
#include "infra/PostgresCaseStore.h"

using namespace relais::test;
using nlohmann::json;

TEST(SharedCaseStore, TwoHubsOnOneDatabaseNeverGiveOutTheSameCase) {
  std::string connection;
  try {
    connection = PostgresTestServer::Instance().newDatabase();
  } catch (const std::exception& e) {
    FAIL() << e.what();
  }
  TempDir dir;
  const std::string users = WriteDermatologists(dir.path(), 8);
  relais::PostgresCaseStore store(connection);
  SeedDermatologyQueue(store, 200, "1.2.826.0.1.3680043.2.1143.78");
  const json relais = {{"UsersFile", users}, {"CaseStore", {{"Backend", "postgresql"}, {"Connection", connection}}}};
  OrthancServer hubA(HubOptions(relais));
  OrthancServer hubB(HubOptions(relais));

  std::mutex mutex;
  std::multiset<int> claimed;
  std::vector<std::string> errors;
  std::vector<std::thread> clients;
  for (int i = 1; i <= 8; ++i) {
    clients.emplace_back([&, i] {
      HttpClient http = (i % 2 == 0 ? hubA : hubB).client();
      http.setCredentials("spec" + std::to_string(i), "spec-pass");
      while (true) {
        auto a = http.post("/relais/v1/queues/dermatology/claim-next", "");
        std::lock_guard<std::mutex> lock(mutex);
        if (a.status == 404) return;
        if (a.status != 200) {
          errors.push_back(std::to_string(a.status) + " " + a.body);
          return;
        }
        claimed.insert(a.json()["id"].get<int>());
      }
    });
  }
  for (auto& t : clients) t.join();
  EXPECT_TRUE(errors.empty()) << (errors.empty() ? "" : errors.front());
  EXPECT_EQ(claimed.size(), 200u);
  EXPECT_EQ(std::set<int>(claimed.begin(), claimed.end()).size(), 200u);

  // A claim made through one hub holds on the other.
  relais::NewCase late;
  late.studyInstanceUid = "1.2.826.0.1.3680043.2.1143.78.999";
  late.orthancStudyId = "study-999";
  late.queue = "dermatology";
  late.unit = "VAN-07";
  late.priority = "routine";
  const int64_t id = store.createCase(late, relais::Actor{"test", ""}).value.id;
  HttpClient spec2 = hubA.client();
  spec2.setCredentials("spec2", "spec-pass");
  HttpClient spec1 = hubB.client();
  spec1.setCredentials("spec1", "spec-pass");
  EXPECT_EQ(spec2.post("/relais/v1/cases/" + std::to_string(id) + "/claim", "").status, 200);
  EXPECT_EQ(spec1.post("/relais/v1/cases/" + std::to_string(id) + "/claim", "").status, 409);
}
