#include "domain/Statistics.h"

#include <gtest/gtest.h>

using relais::Percentile;

TEST(Statistics, NearestRankPercentiles) {
  EXPECT_FALSE(Percentile({}, 50).has_value());
  EXPECT_EQ(Percentile({7}, 90), 7);
  EXPECT_EQ(Percentile({5, 1, 4, 2, 3}, 50), 3);  // order does not matter
  EXPECT_EQ(Percentile({1, 2, 3, 4, 5, 6, 7, 8, 9, 10}, 90), 9);
  EXPECT_EQ(Percentile({1, 2, 3, 4, 5, 6, 7, 8, 9, 10}, 50), 5);
  EXPECT_EQ(Percentile({1, 2, 3, 4, 5, 6, 7, 8, 9, 100}, 100), 100);
}
