#include "outbox/ForwardProgress.h"

#include <gtest/gtest.h>

using namespace relais::outbox;

TEST(ForwardProgress, FormatsBytesAndDurations) {
  EXPECT_EQ(FormatBytes(512), "512 B");
  EXPECT_EQ(FormatBytes(4200), "4.2 KB");
  EXPECT_EQ(FormatBytes(13000000), "13.0 MB");
  EXPECT_EQ(FormatDuration(std::chrono::seconds(42)), "42 s");
  EXPECT_EQ(FormatDuration(std::chrono::seconds(185)), "3 min 05 s");
  EXPECT_EQ(FormatDuration(std::chrono::seconds(7800)), "2 h 10 min");
}

TEST(ForwardProgress, BarShowsCountsBytesRateAndTimeLeftWithinItsWidth) {
  StudyProgress p{"1.2.826.0.1.3680043.8.498.12345678901234567890", 50, 200, 1000000, 4000000, 250000,
                  std::chrono::seconds(12)};
  const std::string bar = RenderProgressBar(p, 100);
  EXPECT_LE(bar.size(), 100u) << bar;
  EXPECT_NE(bar.find("50/200"), std::string::npos) << bar;
  EXPECT_NE(bar.find("1.0 MB/4.0 MB"), std::string::npos) << bar;
  EXPECT_NE(bar.find("250.0 KB/s"), std::string::npos) << bar;
  EXPECT_NE(bar.find("12 s left"), std::string::npos) << bar;
  // A quarter of the bytes: a quarter of the bar filled.
  const auto open = bar.find('['), close = bar.find(']');
  const std::string inside = bar.substr(open + 1, close - open - 1);
  const auto filled = std::count(inside.begin(), inside.end(), '#');
  EXPECT_NEAR(static_cast<double>(filled) / inside.size(), 0.25, 0.05) << bar;
}

TEST(ForwardProgress, LineSaysAllSentAtTheEnd) {
  StudyProgress p{"1.2.3", 3, 3, 300, 300, 100, std::chrono::seconds(0)};
  EXPECT_EQ(RenderProgressLine(p), "study 1.2.3: 3/3 instances, 300 B of 300 B, 100 B/s, all sent");
}
