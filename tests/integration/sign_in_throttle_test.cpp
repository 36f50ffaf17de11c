// Password guessing against a real hub (issue #18): failed sign-ins are delayed, then the
// account is locked for a while; a lock refuses even the right password without running
// Argon2 (503 with Retry-After: Orthanc 1.10.1 cannot send 429); other accounts are unaffected; and 40 parallel guessers cannot make Argon2's
// memory exhaust the hub.
#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <fstream>
#include <thread>
#include <vector>

#include "harness/ProcessMemory.h"
#include "harness/TempDir.h"
#include "harness/TestHub.h"
#include "infra/UserDirectory.h"

using namespace relais::test;
using namespace std::chrono_literals;

namespace {

HttpClient Guesser(const OrthancServer& hub, const std::string& account, const std::string& password) {
  HttpClient client = hub.client();
  client.setCredentials(account, password);
  return client;
}

long ResidentMiB(pid_t pid) { return ProcessMemoryMiB(pid, "VmRSS"); }

}  // namespace

TEST(SignInThrottle, WrongPasswordsAreDelayedThenLockedAndTheLockRunsOut) {
  OrthancServer hub(HubOptions(
      {{"SignIn", {{"FreeFailures", 2}, {"FirstDelaySeconds", 1}, {"LockAfterFailures", 4}, {"LockSeconds", 3}}}}));
  auto wrong = Guesser(hub, "derm2", "Guess-4711");
  EXPECT_EQ(wrong.get("/relais/v1/me").status, 401);
  EXPECT_EQ(wrong.get("/relais/v1/me").status, 401);
  EXPECT_EQ(wrong.get("/relais/v1/me").status, 401);  // the third failure: the next one waits 1 s
  auto delayed = wrong.get("/relais/v1/me");
  EXPECT_EQ(delayed.status, 503) << delayed.body;
  EXPECT_EQ(delayed.headers["retry-after"], "1");
  EXPECT_NE(delayed.json()["error"].get<std::string>().find("too many failed sign-ins for account derm2"),
            std::string::npos)
      << delayed.body;

  std::this_thread::sleep_for(1100ms);
  EXPECT_EQ(wrong.get("/relais/v1/me").status, 401);  // the fourth failure locks the account
  auto locked = ClientAs(hub, "derm2").get("/relais/v1/me");
  EXPECT_EQ(locked.status, 503) << "the right password during the lock is refused: " << locked.body;
  EXPECT_EQ(locked.json()["error"], "account derm2 is locked after 4 failed sign-ins; try again in 3 s");
  EXPECT_EQ(locked.json()["signIn"], "throttled");
  EXPECT_EQ(locked.headers["retry-after"], "3");
  EXPECT_EQ(ClientAs(hub, "derm2").get("/patients").status, 403);  // Orthanc's own routes: the filter's 403

  // Another account, from the same address, signs in as usual.
  EXPECT_EQ(ClientAs(hub, "derm1").get("/relais/v1/me").status, 200);

  std::this_thread::sleep_for(3100ms);
  auto me = ClientAs(hub, "derm2").get("/relais/v1/me");
  ASSERT_EQ(me.status, 200) << "the lock has run out: " << me.body;
  EXPECT_EQ(me.json()["name"], "derm2");

  const std::string log = hub.log();
  EXPECT_NE(log.find("failed sign-in for account 'derm2' from 127.0.0.1 (failure 4 for the account, 4 from the "
                     "address; now locked for 3 s)"),
            std::string::npos)
      << log;
  EXPECT_NE(log.find("sign-in refused without a password check for account 'derm2' from 127.0.0.1"),
            std::string::npos);
  EXPECT_EQ(log.find("Guess-4711"), std::string::npos) << "a password in the log";
  EXPECT_EQ(log.find("derm2-pass"), std::string::npos) << "a password in the log";
}

TEST(SignInThrottle, AnAddressLockedAfterGuessingManyAccountsRefusesThemAll) {
  OrthancServer hub(HubOptions({{"SignIn", {{"AddressLockAfterFailures", 5}, {"LockSeconds", 60}}}}));
  for (int i = 0; i < 5; ++i) {
    EXPECT_EQ(Guesser(hub, "guess" + std::to_string(i), "x").get("/relais/v1/me").status, 401);
  }
  auto refused = ClientAs(hub, "derm1").get("/relais/v1/me");
  EXPECT_EQ(refused.status, 503);
  EXPECT_NE(refused.json()["error"].get<std::string>().find("sign-ins from 127.0.0.1 are locked after 5 failures"),
            std::string::npos)
      << refused.body;
}

// Each guess of an account hashed with libsodium's interactive parameters makes Argon2 hold
// 64 MiB: 40 at once took Orthanc from 78 MB to 2 GB before the checks were bounded.
TEST(SignInThrottle, FortyParallelGuessersKeepTheHubsMemoryBounded) {
  TempDir dir("relais-users-argon2");
  const std::string users = (dir / "users.json").string();
  std::ofstream(users) << nlohmann::json{{"users",
                                          {{{"name", "derm1"},
                                            {"passwordHash", relais::HashPassword("derm1-pass")},
                                            {"role", "specialist"},
                                            {"specialties", {"dermatology"}}}}}}
                              .dump();
  // No delays or locks here: only the bound on parallel checks keeps memory down.
  OrthancServer hub(HubOptions({{"UsersFile", users},
                                {"SignIn",
                                 {{"FreeFailures", 1000},
                                  {"LockAfterFailures", 100000},
                                  {"AddressLockAfterFailures", 1000000},
                                  {"PasswordCheckWaitMs", 60000}}}}));
  const long before = ResidentMiB(hub.pid());
  std::atomic<bool> done{false};
  std::atomic<long> peak{before};
  std::thread sampler([&] {
    while (!done) {
      peak = std::max(peak.load(), ResidentMiB(hub.pid()));
      std::this_thread::sleep_for(5ms);
    }
  });
  std::atomic<int> refused{0}, other{0};
  std::vector<std::thread> guessers;
  for (int g = 0; g < 40; ++g) {
    guessers.emplace_back([&, g] {
      for (int i = 0; i < 2; ++i) {
        const int status = Guesser(hub, "derm1", "guess-" + std::to_string(g) + "-" + std::to_string(i))
                               .get("/relais/v1/me")
                               .status;
        (status == 401 ? refused : other)++;
      }
    });
  }
  for (auto& t : guessers) t.join();
  done = true;
  sampler.join();
  std::cout << "Orthanc resident memory: " << before << " MiB before, " << peak << " MiB at most under 40 guessers\n";
  EXPECT_EQ(refused, 80);
  EXPECT_EQ(other, 0);
  EXPECT_LT(peak, 400) << "MiB resident under 40 parallel password guessers";
  EXPECT_EQ(ClientAs(hub, "derm1").get("/relais/v1/me").status, 200);
}
