#include "outbox/BandwidthLimiter.h"

#include <gtest/gtest.h>

using relais::outbox::BandwidthLimiter;

TEST(BandwidthLimiter, HoldsTheAverageAtTheCap) {
  auto now = std::chrono::steady_clock::time_point{};
  std::chrono::nanoseconds slept{0};
  BandwidthLimiter limiter(
      1000, [&] { return now; },
      [&](std::chrono::nanoseconds d) {
        slept += d;
        now += d;
      });
  // The bucket starts empty (a restart loop must not burst): 5000 bytes need 5 seconds.
  for (int i = 0; i < 5; ++i) limiter.acquire(1000);
  EXPECT_NEAR(std::chrono::duration<double>(slept).count(), 5.0, 0.01);
  // Idle time banks at most one second's worth.
  now += std::chrono::seconds(10);
  slept = std::chrono::nanoseconds(0);
  limiter.acquire(1000);
  EXPECT_EQ(slept.count(), 0);
  limiter.acquire(1000);
  EXPECT_NEAR(std::chrono::duration<double>(slept).count(), 1.0, 0.01);
}

TEST(BandwidthLimiter, ZeroMeansNoCap) {
  int sleeps = 0;
  BandwidthLimiter limiter(0, {}, [&](std::chrono::nanoseconds) { ++sleeps; });
  for (int i = 0; i < 100; ++i) limiter.acquire(1 << 20);
  EXPECT_EQ(sleeps, 0);
}
