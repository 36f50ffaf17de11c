#include <gtest/gtest.h>

#include "rendering/VoiWindow.h"

using namespace relais::rendering;

TEST(VoiWindow, RequestWinsOverFileWhichWinsOverRange) {
  GreyscaleModel model;
  model.windowCenter = 100;
  model.windowWidth = 50;
  RenderRequest request;
  Window w = ChooseWindow(request, model, 0, 4095);
  EXPECT_DOUBLE_EQ(w.center, 100);
  EXPECT_DOUBLE_EQ(w.width, 50);
  request.windowCenter = 7;
  request.windowWidth = 9;
  w = ChooseWindow(request, model, 0, 4095);
  EXPECT_DOUBLE_EQ(w.center, 7);
  EXPECT_DOUBLE_EQ(w.width, 9);
}

TEST(VoiWindow, RangeWindowMapsMinToBlackAndMaxToWhite) {
  Window w = ChooseWindow(RenderRequest{}, GreyscaleModel{}, 0, 4095);
  EXPECT_DOUBLE_EQ(LinearVoi(0, w), 0);
  EXPECT_DOUBLE_EQ(LinearVoi(4095, w), 255);
  EXPECT_NEAR(LinearVoi(2047.5, w), 127.5, 0.1);
}

TEST(VoiWindow, LinearFunctionFollowsPs33) {
  // PS3.3 C.11.2.1.2.1 example: center 2048, width 4096 spans 0..4095.
  Window w{2048, 4096};
  EXPECT_DOUBLE_EQ(LinearVoi(-1, w), 0);
  EXPECT_DOUBLE_EQ(LinearVoi(5000, w), 255);
  EXPECT_NEAR(LinearVoi(2047.5, w), 127.5, 1e-9);
}

TEST(VoiWindow, ApplyWindowAgreesWithTheLinearFunction) {
  cv::Mat stored(1, 5, CV_16UC1);
  const uint16_t values[5] = {0, 1000, 2000, 3000, 4095};
  for (int i = 0; i < 5; ++i) stored.at<uint16_t>(0, i) = values[i];
  GreyscaleModel model;
  Window w{2000, 2001};
  cv::Mat grey = ApplyWindow(stored, model, w);
  ASSERT_EQ(grey.type(), CV_8UC1);
  for (int i = 0; i < 5; ++i) EXPECT_NEAR(grey.at<uint8_t>(0, i), LinearVoi(values[i], w), 1.0) << values[i];
}

TEST(VoiWindow, RescaleIsAppliedBeforeTheWindow) {
  // CT-like: stored 0..4095, intercept -1024: a lung window in Hounsfield units.
  cv::Mat stored(1, 2, CV_16UC1);
  stored.at<uint16_t>(0, 0) = 24;    // -1000 HU
  stored.at<uint16_t>(0, 1) = 1024;  // 0 HU
  GreyscaleModel model;
  model.rescaleIntercept = -1024;
  cv::Mat grey = ApplyWindow(stored, model, Window{-600, 1500});
  EXPECT_NEAR(grey.at<uint8_t>(0, 0), LinearVoi(-1000, Window{-600, 1500}), 1.0);
  EXPECT_NEAR(grey.at<uint8_t>(0, 1), LinearVoi(0, Window{-600, 1500}), 1.0);
}

TEST(VoiWindow, Monochrome1IsShownInverted) {
  cv::Mat stored(1, 2, CV_16UC1);
  stored.at<uint16_t>(0, 0) = 0;
  stored.at<uint16_t>(0, 1) = 4095;
  GreyscaleModel model;
  model.monochrome1 = true;
  cv::Mat grey = ApplyWindow(stored, model, Window{2048, 4096});
  EXPECT_EQ(grey.at<uint8_t>(0, 0), 255);  // lowest value is white in MONOCHROME1
  EXPECT_EQ(grey.at<uint8_t>(0, 1), 0);
}

TEST(VoiWindow, SignedValuesWindowCorrectly) {
  cv::Mat stored(1, 3, CV_16SC1);
  stored.at<int16_t>(0, 0) = -2000;
  stored.at<int16_t>(0, 1) = 0;
  stored.at<int16_t>(0, 2) = 2000;
  cv::Mat grey = ApplyWindow(stored, GreyscaleModel{}, Window{0.5, 4001});
  EXPECT_EQ(grey.at<uint8_t>(0, 0), 0);
  EXPECT_NEAR(grey.at<uint8_t>(0, 1), 128, 1);
  EXPECT_EQ(grey.at<uint8_t>(0, 2), 255);
}
