#include <gtest/gtest.h>

#include "rendering/FrameDescription.h"
#include "rendering/PixelCalibration.h"

using namespace relais::rendering;

TEST(PixelCalibration, PixelSpacingComesBeforeImagerPixelSpacing) {
  const PixelCalibration c = ReadPixelCalibration({{"0028,0030", "0.1\\0.12"}, {"0018,1164", "0.2\\0.2"}});
  ASSERT_TRUE(c.spacing);
  EXPECT_DOUBLE_EQ(c.spacing->rowMm, 0.1);
  EXPECT_DOUBLE_EQ(c.spacing->columnMm, 0.12);
  EXPECT_EQ(c.spacing->source, "PixelSpacing");
  const PixelCalibration imager = ReadPixelCalibration({{"0018,1164", "0.2\\0.2"}});
  ASSERT_TRUE(imager.spacing);
  EXPECT_EQ(imager.spacing->source, "ImagerPixelSpacing");
}

TEST(PixelCalibration, MalformedOrNonPositiveSpacingLeavesTheImageUncalibrated) {
  for (const char* bad : {"0\\0.2", "-0.1\\0.1", "abc\\0.1", "0.2", "", "0.1\\0.1\\0.1"}) {
    EXPECT_FALSE(ReadPixelCalibration({{"0028,0030", bad}}).spacing) << bad;
  }
  EXPECT_FALSE(ReadPixelCalibration(nlohmann::json::object()).spacing);
}

TEST(PixelCalibration, OnlyUltrasoundRegionsInCentimetresCount) {
  const nlohmann::json tags = {
      {"0018,6011",
       {{{"0018,6018", "0"}, {"0018,601a", "0"}, {"0018,601c", "99"}, {"0018,601e", "49"}, {"0018,6024", "2"},
         {"0018,6026", "2"}, {"0018,602c", "1"}, {"0018,602e", "1"}},  // dB: not a distance
        {{"0018,6018", "10"}, {"0018,601A", "20"}, {"0018,601C", "300"}, {"0018,601E", "400"}, {"0018,6024", "3"},
         {"0018,6026", "3"}, {"0018,602C", "0.01"}, {"0018,602E", "0.02"}}}}};
  const PixelCalibration c = ReadPixelCalibration(tags);
  ASSERT_EQ(c.regions.size(), 1u);
  EXPECT_EQ(c.regions[0].x0, 10);
  EXPECT_EQ(c.regions[0].y1, 400);
  EXPECT_DOUBLE_EQ(c.regions[0].mmPerPixelX, 0.1);
  EXPECT_DOUBLE_EQ(c.regions[0].mmPerPixelY, 0.2);
  ASSERT_TRUE(c.spacing);
  EXPECT_EQ(c.spacing->source, "UltrasoundRegion");
  EXPECT_DOUBLE_EQ(c.spacing->rowMm, 0.2);
  EXPECT_DOUBLE_EQ(c.spacing->columnMm, 0.1);
}

TEST(PixelCalibration, ViewerFactsCarryTheSpacingAndRegions) {
  nlohmann::json tags = {{"0028,0010", "100"}, {"0028,0011", "200"}, {"0018,1164", "0.2\\0.2"}};
  nlohmann::json facts = ViewerFacts(DescribeFrames(tags, "1.2.840.10008.1.2.1"), std::nullopt);
  EXPECT_EQ(facts["pixelSpacing"]["source"], "ImagerPixelSpacing");
  EXPECT_DOUBLE_EQ(facts["pixelSpacing"]["row"].get<double>(), 0.2);
  EXPECT_TRUE(facts["ultrasoundRegions"].empty());
  facts = ViewerFacts(DescribeFrames({{"0028,0010", "1"}}, "1.2.840.10008.1.2.1"), std::nullopt);
  EXPECT_TRUE(facts["pixelSpacing"].is_null());
}
