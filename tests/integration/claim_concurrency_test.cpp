// Eight specialists claiming from one queue of 200 cases at once never get the same case.
#include <gtest/gtest.h>

#include <mutex>
#include <set>
#include <thread>

#include "ClaimRace.h"
#include "harness/TestHub.h"
#include "infra/SqliteCaseStore.h"

using namespace relais::test;
using nlohmann::json;

TEST(ClaimConcurrency, EightClientsNeverGetTheSameCase) {
  TempDir dir;
  const std::string users = WriteDermatologists(dir.path(), 8);
  const std::string db = (dir / "cases.db").string();
  {
    relais::SqliteCaseStore store(db);
    SeedDermatologyQueue(store, 200, "1.2.826.0.1.3680043.2.1143.77");
  }
  OrthancServer hub(HubOptions({{"UsersFile", users}, {"CaseStore", {{"Path", db}}}}));

  std::mutex mutex;
  std::multiset<int> claimed;
  std::vector<std::string> errors;
  std::vector<std::thread> clients;
  for (int i = 1; i <= 8; ++i) {
    clients.emplace_back([&, i] {
      HttpClient http = hub.client();
      http.setCredentials("spec" + std::to_string(i), "spec-pass");
      auto record = [&](const HttpAnswer& a) {
        std::lock_guard<std::mutex> lock(mutex);
        claimed.insert(a.json()["id"].get<int>());
      };
      while (true) {
        if (i % 2 == 0) {
          // Half take "the next one" ...
          auto a = http.post("/relais/v1/queues/dermatology/claim-next", "");
          if (a.status == 404) return;
          if (a.status != 200) {
            std::lock_guard<std::mutex> lock(mutex);
            errors.push_back(a.body);
            return;
          }
          record(a);
          continue;
        }
        // ... half read the queue and race for a listed case.
        auto page = http.get("/relais/v1/cases?queue=dermatology&state=queued&limit=5");
        if (page.status != 200) {
          std::lock_guard<std::mutex> lock(mutex);
          errors.push_back(page.body);
          return;
        }
        const json listing = page.json();  // keep the document alive while iterating
        if (listing["cases"].empty()) return;
        for (const auto& c : listing["cases"]) {
          auto a = http.post("/relais/v1/cases/" + std::to_string(c["id"].get<int>()) + "/claim", "");
          if (a.status == 200) record(a);
          else if (a.status != 409) {
            std::lock_guard<std::mutex> lock(mutex);
            errors.push_back(a.body);
          }
        }
      }
    });
  }
  for (auto& t : clients) t.join();
  EXPECT_TRUE(errors.empty()) << errors.front();
  EXPECT_EQ(claimed.size(), 200u);
  EXPECT_EQ(std::set<int>(claimed.begin(), claimed.end()).size(), 200u);
}
