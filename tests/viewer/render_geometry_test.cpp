#include <gtest/gtest.h>

#include "rendering/RenderGeometry.h"

using namespace relais::rendering;

TEST(RenderGeometry, FitsWidthKeepingAspect) {
  EXPECT_EQ(FitWithin({4000, 3000}, 1024, 0), (PixelSize{1024, 768}));
  EXPECT_EQ(FitWithin({3000, 4000}, 1024, 0), (PixelSize{1024, 1365}));
}

TEST(RenderGeometry, FitsTheTighterSideOfABox) {
  EXPECT_EQ(FitWithin({4000, 3000}, 1000, 300), (PixelSize{400, 300}));
  EXPECT_EQ(FitWithin({4000, 3000}, 0, 300), (PixelSize{400, 300}));
}

TEST(RenderGeometry, NeverEnlargesAndNeverVanishes) {
  EXPECT_EQ(FitWithin({640, 480}, 2048, 0), (PixelSize{640, 480}));
  EXPECT_EQ(FitWithin({640, 480}, 0, 0), (PixelSize{640, 480}));
  EXPECT_EQ(FitWithin({10000, 10}, 100, 0), (PixelSize{100, 1}));
}

TEST(RenderGeometry, DctScalingShrinksAsFarAsTheTargetAllows) {
  // 12 MP photo to 1024 wide: 1/2 gives 2000 (too big), 1/4 gives 1000 (< 1024), so 1/2.
  EXPECT_EQ(ChooseDctScaling({4000, 3000}, {1024, 768}), (ScalingFactor{1, 2}));
  EXPECT_EQ(ChooseDctScaling({4000, 3000}, {1000, 750}), (ScalingFactor{1, 4}));
  EXPECT_EQ(ChooseDctScaling({4000, 3000}, {256, 192}), (ScalingFactor{1, 8}));
  EXPECT_EQ(ChooseDctScaling({4000, 3000}, {4000, 3000}), (ScalingFactor{1, 1}));
}

TEST(RenderGeometry, ScaledSideRoundsUpLikeLibjpeg) {
  EXPECT_EQ(ScaledSide(4001, {1, 8}), 501);
  EXPECT_EQ(ScaledSide(4000, {1, 8}), 500);
  EXPECT_EQ(ScaledSide(7, {1, 2}), 4);
}
