// The users file is reloaded while the hub runs (issue #21): an added account signs in within
// seconds, a removed one is refused, and a broken file keeps the accounts loaded before.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <thread>

#include "harness/TempDir.h"
#include "harness/TestHub.h"
#include "infra/UserDirectory.h"

using namespace relais::test;
using namespace std::chrono_literals;
using nlohmann::json;

namespace {

json TestUsers() { return json::parse(std::ifstream(TestUsersFile()))["users"]; }

json Account(const std::string& name) {
  return {{"name", name},
          {"passwordHash", relais::HashPasswordForTests(PasswordOf(name))},
          {"role", "specialist"},
          {"specialties", {"dermatology"}}};
}

// Writes beside, then renames over: what an admin's editor or a script does.
void Replace(const std::filesystem::path& file, const std::string& text) {
  const auto next = file.string() + ".new";
  std::ofstream(next) << text;
  std::filesystem::rename(next, file);
}

// The status of GET /relais/v1/me as `account` once it is `expected`, or the last one after
// `within`. A few seconds' polling from one account stays under the sign-in throttle's
// defaults only because this hub's throttle is relaxed.
int StatusOnceIs(const OrthancServer& hub, const std::string& account, int expected, std::chrono::seconds within) {
  const auto deadline = std::chrono::steady_clock::now() + within;
  int status = 0;
  while (std::chrono::steady_clock::now() < deadline) {
    status = ClientAs(hub, account).get("/relais/v1/me").status;
    if (status == expected) return status;
    std::this_thread::sleep_for(250ms);
  }
  return status;
}

}  // namespace

TEST(UsersFileReload, AnAccountAddedOrRemovedTakesEffectWithinSecondsAndABrokenFileKeepsTheOldOnes) {
  TempDir dir("relais-users-reload");
  const auto file = dir / "users.json";
  std::ofstream(file) << json{{"users", TestUsers()}}.dump();
  OrthancServer hub(HubOptions({{"UsersFile", file.string()},
                                {"SignIn", {{"FreeFailures", 1000}, {"LockAfterFailures", 100000},
                                            {"AddressLockAfterFailures", 1000000}}}}));
  EXPECT_EQ(ClientAs(hub, "derm9").get("/relais/v1/me").status, 401);

  json users = TestUsers();
  users.push_back(Account("derm9"));
  const auto added = std::chrono::steady_clock::now();
  Replace(file, json{{"users", users}}.dump());
  ASSERT_EQ(StatusOnceIs(hub, "derm9", 200, 10s), 200) << "the added account never signed in";
  const auto seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - added).count();
  EXPECT_LT(seconds, 5.0);
  std::cout << "added account signed in after " << seconds << " s\n";

  users.erase(users.begin() + static_cast<std::ptrdiff_t>(users.size() - 1));
  Replace(file, json{{"users", users}}.dump());
  EXPECT_EQ(StatusOnceIs(hub, "derm9", 401, 10s), 401) << "the removed account still signs in";

  Replace(file, R"({"users": [{"name": "derm1", "role": "specialist"}]})");
  std::this_thread::sleep_for(3s);
  EXPECT_EQ(ClientAs(hub, "derm1").get("/relais/v1/me").status, 200);
  EXPECT_EQ(ClientAs(hub, "nurse07").get("/relais/v1/me").status, 200) << "the old accounts were kept";
  const std::string log = hub.log();
  EXPECT_NE(log.find("Relais: users file not reloaded: " + file.string() +
                     ": users[0].passwordHash: expected a non-empty string; keeping the 11 accounts loaded before"),
            std::string::npos)
      << log;
  EXPECT_NE(log.find("Relais: users file " + file.string() + " reloaded: 12 accounts"), std::string::npos);
}
