#include "outbox/RetryPolicy.h"

#include <gtest/gtest.h>

using relais::outbox::RetryPolicy;
using std::chrono::milliseconds;

TEST(RetryPolicy, DoublesUpToTheCapAndJitterOnlyShortens) {
  RetryPolicy p;
  p.initialDelay = milliseconds(1000);
  p.maxDelay = milliseconds(60000);
  p.multiplier = 2;
  p.jitter = 0.5;
  EXPECT_EQ(p.delayAfter(1, 0.0), milliseconds(1000));
  EXPECT_EQ(p.delayAfter(2, 0.0), milliseconds(2000));
  EXPECT_EQ(p.delayAfter(3, 0.0), milliseconds(4000));
  EXPECT_NEAR(static_cast<double>(p.delayAfter(3, 0.999).count()), 2002, 1);
  EXPECT_EQ(p.delayAfter(10, 0.0), milliseconds(60000));
  EXPECT_EQ(p.delayAfter(100000, 0.0), milliseconds(60000));
  EXPECT_EQ(p.delayAfter(0, 0.0), milliseconds(0));
}

TEST(RetryPolicy, NoJitterIsDeterministic) {
  RetryPolicy p;
  p.jitter = 0;
  EXPECT_EQ(p.delayAfter(2, 0.7), p.delayAfter(2, 0.1));
}
