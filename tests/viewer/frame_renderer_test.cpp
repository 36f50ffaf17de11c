#include <gtest/gtest.h>

#include "rendering/FrameRenderer.h"
#include "rendering/JpegCodec.h"

using namespace relais::rendering;

namespace {

cv::Mat HalvesRgb(int width, int height) {
  cv::Mat rgb(height, width, CV_8UC3);
  for (int y = 0; y < height; ++y) {
    for (int x = 0; x < width; ++x) {
      rgb.at<cv::Vec3b>(y, x) = x < width / 2 ? cv::Vec3b(220, 20, 20) : cv::Vec3b(20, 20, 220);
    }
  }
  return rgb;
}

cv::Mat Ramp16(int width, int height, int maxValue) {
  cv::Mat m(height, width, CV_16UC1);
  for (int y = 0; y < height; ++y) {
    for (int x = 0; x < width; ++x) m.at<uint16_t>(y, x) = static_cast<uint16_t>(x * maxValue / (width - 1));
  }
  return m;
}

RenderRequest Width(int w) {
  RenderRequest r;
  r.width = w;
  return r;
}

}  // namespace

TEST(FrameRenderer, JpegPhotoIsShrunkToTheRequestedWidthWithColoursKept) {
  const std::string jpeg = EncodeJpeg(HalvesRgb(1600, 1200), 92);
  const std::string out = RenderJpeg(jpeg, GreyscaleModel{}, Width(300));
  cv::Mat shown = DecodeJpeg(out, ScalingFactor{1, 1});
  ASSERT_EQ(shown.cols, 300);
  ASSERT_EQ(shown.rows, 225);
  cv::Vec3b left = shown.at<cv::Vec3b>(100, 40), right = shown.at<cv::Vec3b>(100, 260);
  EXPECT_GT(left[0], 180);
  EXPECT_LT(left[2], 60);
  EXPECT_GT(right[2], 180);
  EXPECT_LT(right[0], 60);
}

TEST(FrameRenderer, EveryDctScaleGivesTheExactTargetSize) {
  const std::string jpeg = EncodeJpeg(HalvesRgb(1001, 777), 90);
  for (int width : {64, 125, 126, 250, 251, 500, 501, 1000, 1001, 4000}) {
    cv::Mat shown = DecodeJpeg(RenderJpeg(jpeg, GreyscaleModel{}, Width(width)), ScalingFactor{1, 1});
    PixelSize expected = FitWithin({1001, 777}, width, 0);
    EXPECT_EQ(shown.cols, expected.width) << width;
    EXPECT_EQ(shown.rows, expected.height) << width;
  }
}

TEST(FrameRenderer, SixteenBitRampWithoutWindowSpansBlackToWhite) {
  cv::Mat shown = RenderForDisplay(Ramp16(512, 64, 4095), GreyscaleModel{}, Width(256));
  ASSERT_EQ(shown.type(), CV_8UC1);
  ASSERT_EQ(shown.cols, 256);
  EXPECT_LT(shown.at<uint8_t>(16, 0), 5);
  EXPECT_GT(shown.at<uint8_t>(16, 255), 250);
  EXPECT_NEAR(shown.at<uint8_t>(16, 128), 128, 4);
}

TEST(FrameRenderer, Monochrome1RampIsInverted) {
  GreyscaleModel model;
  model.monochrome1 = true;
  cv::Mat shown = RenderForDisplay(Ramp16(512, 64, 4095), model, Width(256));
  EXPECT_GT(shown.at<uint8_t>(16, 0), 250);
  EXPECT_LT(shown.at<uint8_t>(16, 255), 5);
}

TEST(FrameRenderer, FileWindowIsUsedWhenTheRequestHasNone) {
  GreyscaleModel model;
  model.windowCenter = 1024;
  model.windowWidth = 512;
  cv::Mat shown = RenderForDisplay(Ramp16(512, 64, 4095), model, Width(512));
  // Everything above 1280 is white: three quarters of the ramp.
  EXPECT_EQ(shown.at<uint8_t>(16, 200), 255);
  EXPECT_EQ(shown.at<uint8_t>(16, 90), 0);  // below 768
}

TEST(FrameRenderer, EightBitGreyWithoutWindowIsShownAsStored) {
  cv::Mat stored(10, 10, CV_8UC1, cv::Scalar(77));
  cv::Mat shown = RenderForDisplay(stored, GreyscaleModel{}, RenderRequest{});
  EXPECT_EQ(shown.at<uint8_t>(5, 5), 77);
}

TEST(FrameRenderer, GreyJpegKeepsOneChannel) {
  cv::Mat grey(480, 640, CV_8UC1, cv::Scalar(90));
  const std::string out = RenderJpeg(EncodeJpeg(grey, 90), GreyscaleModel{}, Width(160));
  EXPECT_TRUE(ReadJpegHeader(out).grey);
  EXPECT_EQ(ReadJpegHeader(out).size, (PixelSize{160, 120}));
}

TEST(FrameRenderer, NotAJpegIsAnError) {
  EXPECT_THROW(RenderJpeg("definitely not a jpeg", GreyscaleModel{}, Width(10)), std::runtime_error);
}
