#include "domain/SignInThrottle.h"

#include <gtest/gtest.h>

using namespace relais;
using std::chrono::seconds;

namespace {

struct FakeClock {
  std::chrono::steady_clock::time_point now{std::chrono::hours(1000)};
  SignInThrottle::Clock clock() {
    return [this] { return now; };
  }
};

SignInPolicy Policy() {
  SignInPolicy p;
  p.freeFailures = 3;
  p.firstDelaySeconds = 1;
  p.maxDelaySeconds = 8;
  p.lockAfterFailures = 7;
  p.addressLockAfterFailures = 12;
  p.lockSeconds = 600;
  return p;
}

}  // namespace

TEST(SignInThrottle, FirstFailuresAreFreeThenEachWaitDoubles) {
  FakeClock t;
  SignInThrottle throttle(Policy(), t.clock());
  for (int i = 1; i <= 3; ++i) {
    auto f = throttle.recordFailure("nurse07", "10.0.0.7");
    EXPECT_EQ(f.accountFailures, i);
    EXPECT_EQ(f.retryAfterSeconds, 0);
    EXPECT_TRUE(throttle.check("nurse07", "10.0.0.7").allowed);
  }
  EXPECT_EQ(throttle.recordFailure("nurse07", "10.0.0.7").retryAfterSeconds, 1);
  auto v = throttle.check("nurse07", "10.0.0.7");
  EXPECT_FALSE(v.allowed);
  EXPECT_EQ(v.retryAfterSeconds, 1);
  EXPECT_EQ(v.reason, "too many failed sign-ins for account nurse07; wait 1 s before the next attempt");
  t.now += seconds(1);
  EXPECT_TRUE(throttle.check("nurse07", "10.0.0.7").allowed);
  EXPECT_EQ(throttle.recordFailure("nurse07", "10.0.0.7").retryAfterSeconds, 2);
  t.now += seconds(2);
  EXPECT_EQ(throttle.recordFailure("nurse07", "10.0.0.7").retryAfterSeconds, 4);
}

TEST(SignInThrottle, LocksTheAccountAfterEnoughFailuresUntilTheLockRunsOut) {
  FakeClock t;
  SignInThrottle throttle(Policy(), t.clock());
  SignInThrottle::Failure f;
  for (int i = 0; i < 7; ++i) {
    f = throttle.recordFailure("derm1", "10.0.0.9");
    t.now += seconds(10);  // the guesser waits out every delay
  }
  EXPECT_TRUE(f.locked);
  EXPECT_EQ(f.accountFailures, 7);
  auto v = throttle.check("derm1", "10.0.0.9");
  EXPECT_FALSE(v.allowed);
  EXPECT_EQ(v.retryAfterSeconds, 590);
  EXPECT_EQ(v.reason, "account derm1 is locked after 7 failed sign-ins; try again in 590 s");
  // From anywhere else too: the lock is the account's.
  EXPECT_FALSE(throttle.check("derm1", "192.168.1.4").allowed);
  // Another account from the same address is not locked (the address has its own threshold).
  EXPECT_TRUE(throttle.check("derm2", "10.0.0.9").allowed);
  t.now += seconds(590);
  EXPECT_TRUE(throttle.check("derm1", "10.0.0.9").allowed);
  // The count started afresh: the next failure is free again.
  EXPECT_EQ(throttle.recordFailure("derm1", "10.0.0.9").accountFailures, 1);
}

TEST(SignInThrottle, ASuccessForgetsTheAccountsFailures) {
  FakeClock t;
  SignInThrottle throttle(Policy(), t.clock());
  for (int i = 0; i < 3; ++i) throttle.recordFailure("unit07", "10.0.0.7");
  throttle.recordSuccess("unit07");
  EXPECT_EQ(throttle.recordFailure("unit07", "10.0.0.7").accountFailures, 1);
  EXPECT_TRUE(throttle.check("unit07", "10.0.0.7").allowed);
}

TEST(SignInThrottle, FailuresAreForgottenAfterAQuietPeriod) {
  FakeClock t;
  SignInThrottle throttle(Policy(), t.clock());
  for (int i = 0; i < 3; ++i) throttle.recordFailure("unit07", "10.0.0.7");
  t.now += seconds(600);
  EXPECT_EQ(throttle.recordFailure("unit07", "10.0.0.7").accountFailures, 1);
}

TEST(SignInThrottle, AnAddressTryingManyAccountsIsLocked) {
  FakeClock t;
  SignInThrottle throttle(Policy(), t.clock());
  SignInThrottle::Failure f;
  for (int i = 0; i < 12; ++i) {
    f = throttle.recordFailure("guess" + std::to_string(i), "203.0.113.5");
    t.now += seconds(10);
  }
  EXPECT_EQ(f.addressFailures, 12);
  EXPECT_EQ(f.accountFailures, 1);
  EXPECT_TRUE(f.locked);
  auto v = throttle.check("derm1", "203.0.113.5");
  EXPECT_FALSE(v.allowed);
  EXPECT_EQ(v.reason.rfind("sign-ins from 203.0.113.5 are locked after 12 failures", 0), 0u) << v.reason;
  EXPECT_TRUE(throttle.check("derm1", "10.0.0.7").allowed);
  // Without an address (not known to the caller) only the account counts.
  EXPECT_TRUE(throttle.check("derm1", "").allowed);
}

TEST(SignInThrottle, MemoryStaysBoundedUnderManyNames) {
  FakeClock t;
  SignInThrottle throttle(Policy(), t.clock());
  for (size_t i = 0; i < SignInThrottle::kMaxTracked + 100; ++i) {
    throttle.recordFailure("name" + std::to_string(i), "");
  }
  // The newest names are still tracked; nothing crashed or grew without bound (checked by
  // the limit in fail(); here the newest record keeps its count).
  EXPECT_EQ(throttle.recordFailure("name" + std::to_string(SignInThrottle::kMaxTracked + 99), "").accountFailures, 2);
}
