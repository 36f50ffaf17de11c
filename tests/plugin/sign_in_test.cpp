#include "infra/SignIn.h"

#include <gtest/gtest.h>
#include <sodium.h>

#include <atomic>
#include <thread>
#include <vector>

using namespace relais;
using nlohmann::json;

namespace {

std::string Basic(const std::string& user, const std::string& password) {
  const std::string in = user + ":" + password;
  std::string out(sodium_base64_ENCODED_LEN(in.size(), sodium_base64_VARIANT_ORIGINAL), '\0');
  sodium_bin2base64(out.data(), out.size(), reinterpret_cast<const unsigned char*>(in.data()), in.size(),
                    sodium_base64_VARIANT_ORIGINAL);
  out.resize(out.size() - 1);  // the terminating NUL
  return "Basic " + out;
}

UserDirectory Derm1(const std::string& hash) {
  return UserDirectory::Parse(
      json{{"users", {{{"name", "derm1"}, {"passwordHash", hash}, {"role", "specialist"}, {"specialties", {"dermatology"}}}}}},
      "users.json");
}

// No delays or locks: only the bound on parallel Argon2 checks is at work.
SignInPolicy Unthrottled(int checksAtOnce, int waitMs) {
  SignInPolicy p;
  p.freeFailures = 1000;
  p.lockAfterFailures = 1000;
  p.addressLockAfterFailures = 1000;
  p.passwordChecksAtOnce = checksAtOnce;
  p.passwordCheckWaitMs = waitMs;
  return p;
}

SignInPolicy Policy() {
  SignInPolicy p;
  p.freeFailures = 2;
  p.lockAfterFailures = 3;
  p.lockSeconds = 60;
  return p;
}

}  // namespace

TEST(SignIn, LogsEveryFailureWithAccountAddressAndCountButNotThePassword) {
  auto users = Derm1(HashPasswordForTests("derm1-pass"));
  std::vector<std::string> log;
  SignIn signIn(Policy(), [&](const std::string& line) { log.push_back(line); });
  auto out = signIn.attempt(users, Basic("derm1", "Sesame-123"), "10.0.0.9");
  EXPECT_EQ(out.kind, SignIn::Outcome::Kind::Refused);
  ASSERT_EQ(log.size(), 1u);
  EXPECT_EQ(log[0],
            "Relais: failed sign-in for account 'derm1' from 10.0.0.9 (failure 1 for the account, 1 from the address; "
            "next attempt free)");
  EXPECT_EQ(log[0].find("Sesame"), std::string::npos);
  EXPECT_EQ(signIn.attempt(users, Basic("derm1", "derm1-pass"), "10.0.0.9").kind, SignIn::Outcome::Kind::Accepted);
  EXPECT_EQ(signIn.attempt(users, "Bearer abc", "10.0.0.9").kind, SignIn::Outcome::Kind::NoCredentials);
}

TEST(SignIn, ALockedAccountIsRefusedWithoutAPasswordCheckEvenWithTheRightPassword) {
  // Interactive parameters: one check costs tens of milliseconds and 64 MiB.
  auto users = Derm1(HashPassword("derm1-pass"));
  std::vector<std::string> log;
  SignIn signIn(Policy(), [&](const std::string& line) { log.push_back(line); });
  for (int i = 0; i < 3; ++i) signIn.attempt(users, Basic("derm1", "guess" + std::to_string(i)), "10.0.0.9");
  EXPECT_NE(log.back().find("failure 3 for the account"), std::string::npos) << log.back();
  EXPECT_NE(log.back().find("now locked for 60 s"), std::string::npos) << log.back();
  const auto t0 = std::chrono::steady_clock::now();
  auto out = signIn.attempt(users, Basic("derm1", "derm1-pass"), "10.0.0.1");
  const auto took = std::chrono::steady_clock::now() - t0;
  EXPECT_EQ(out.kind, SignIn::Outcome::Kind::Throttled);
  EXPECT_EQ(out.retryAfterSeconds, 60);
  EXPECT_EQ(out.message, "account derm1 is locked after 3 failed sign-ins; try again in 60 s");
  EXPECT_LT(took, std::chrono::milliseconds(5));
  EXPECT_NE(log.back().find("refused without a password check for account 'derm1' from 10.0.0.1"), std::string::npos);
}

TEST(SignIn, AtMostTwoArgon2ChecksRunAtOnce) {
  auto users = Derm1(HashPassword("derm1-pass"));
  SignIn signIn(Unthrottled(2, 60000), [](const std::string&) {});
  std::atomic<bool> done{false};
  std::atomic<int> most{0};
  std::thread watcher([&] {
    while (!done) {
      most = std::max(most.load(), signIn.checksRunning());
      std::this_thread::sleep_for(std::chrono::microseconds(200));
    }
  });
  std::vector<std::thread> guessers;
  std::atomic<int> refused{0};
  for (int i = 0; i < 8; ++i) {
    guessers.emplace_back([&, i] {
      if (signIn.attempt(users, Basic("derm1", "guess" + std::to_string(i)), "").kind ==
          SignIn::Outcome::Kind::Refused) {
        ++refused;
      }
    });
  }
  for (auto& g : guessers) g.join();
  done = true;
  watcher.join();
  EXPECT_EQ(refused, 8);
  EXPECT_EQ(most, 2);
}

TEST(SignIn, AGuesserThatFindsNoFreeSlotIsAnsweredBusy) {
  auto users = Derm1(HashPassword("derm1-pass"));
  SignIn signIn(Unthrottled(1, 0), [](const std::string&) {});
  std::atomic<int> busy{0};
  std::vector<std::thread> guessers;
  for (int i = 0; i < 6; ++i) {
    guessers.emplace_back([&] {
      if (signIn.attempt(users, Basic("derm1", "guess"), "").kind == SignIn::Outcome::Kind::Busy) ++busy;
    });
  }
  for (auto& g : guessers) g.join();
  EXPECT_GE(busy, 1);
  EXPECT_EQ(signIn.checksRunning(), 0);
}
