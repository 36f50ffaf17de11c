#include "outbox/PieceSizer.h"

#include <gtest/gtest.h>

#include "outbox/LinkMeter.h"

using relais::outbox::LinkMeter;
using relais::outbox::PieceSizer;

TEST(PieceSizer, AimsAtThreeSecondsOfTheMeasuredRate) {
  PieceSizer sizer;
  EXPECT_EQ(sizer.next(), 256 * 1024);
  // 1 Mbit/s: 125 kB/s, three seconds is 375 kB.
  for (int i = 0; i < 6; ++i) sizer.recordPiece(sizer.next(), static_cast<double>(sizer.next()) / 125'000);
  EXPECT_NEAR(static_cast<double>(sizer.next()), 375'000, 2'000);
  EXPECT_NEAR(sizer.bytesPerSecond(), 125'000, 1'000);
}

TEST(PieceSizer, StaysBetween64KiBAndTheHubsLimit) {
  PieceSizer sizer;
  for (int i = 0; i < 20; ++i) sizer.recordPiece(sizer.next(), static_cast<double>(sizer.next()) / 1e9);
  EXPECT_EQ(sizer.next(), 16 * 1024 * 1024);
  for (int i = 0; i < 20; ++i) sizer.recordPiece(sizer.next(), static_cast<double>(sizer.next()) / 1'000);
  EXPECT_EQ(sizer.next(), 64 * 1024);
}

TEST(PieceSizer, HalvesAfterACutAndGrowsBackAtMostTwofoldPerPiece) {
  PieceSizer sizer;
  for (int i = 0; i < 10; ++i) sizer.recordPiece(sizer.next(), static_cast<double>(sizer.next()) / 1'000'000);
  EXPECT_EQ(sizer.next(), 3'000'000);
  sizer.recordCut();
  EXPECT_EQ(sizer.next(), 1'500'000);
  sizer.recordCut();
  EXPECT_EQ(sizer.next(), 750'000);
  sizer.recordPiece(750'000, 0.75);
  EXPECT_EQ(sizer.next(), 1'500'000);
  sizer.recordPiece(1'500'000, 1.5);
  EXPECT_EQ(sizer.next(), 3'000'000);
}

TEST(PieceSizer, AHubLimitBelowThePieceLowersTheCeiling) {
  PieceSizer sizer;
  for (int i = 0; i < 10; ++i) sizer.recordPiece(sizer.next(), static_cast<double>(sizer.next()) / 10'000'000);
  sizer.recordTooLarge(sizer.next());
  EXPECT_EQ(sizer.next(), 8 * 1024 * 1024);
  sizer.recordPiece(8 * 1024 * 1024, 0.1);
  EXPECT_EQ(sizer.next(), 8 * 1024 * 1024);
}

TEST(LinkMeter, OneUploadOnANarrowLinkMoreOnAWideOne) {
  LinkMeter meter;
  EXPECT_EQ(meter.uploadsFor(4), 1);  // nothing measured yet
  meter.recordPiece(125'000, 1.0, 1);  // 1 Mbit/s
  EXPECT_EQ(meter.uploadsFor(4), 1);
  LinkMeter wide;
  wide.recordPiece(1'000'000, 1.0, 2);  // 2 MB/s over two uploads: 16 Mbit/s
  EXPECT_EQ(wide.uploadsFor(4), 4);
  EXPECT_EQ(wide.uploadsFor(2), 2);
  EXPECT_NEAR(wide.bytesPerSecond(), 2'000'000, 1);
}
