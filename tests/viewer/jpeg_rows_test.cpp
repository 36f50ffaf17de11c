#include <gtest/gtest.h>

#include <opencv2/imgproc.hpp>

#include "rendering/BandWorkers.h"
#include "rendering/JpegCodec.h"
#include "rendering/JpegRows.h"
#include "PhotoLikePixels.h"

using namespace relais::rendering;
using relais::test::MaxDifference;

namespace {

// A photo-like JPEG (4:2:0 colour, or grey), without restart markers.
std::string Photo(int width, int height, bool grey) {
  BandWorkers serial(0);
  return EncodeJpeg(relais::test::PhotoLikePixels(width, height, grey, 7), 92, serial);
}

}  // namespace

TEST(JpegRows, BandsAreSizedSoThatTheBandThatSkipsFinishesWithTheOther) {
  // Skipping costs 0.8 of decoding: the second band reads 0.8·r then decodes 1-r; r = 1/1.2.
  const auto two = BalancedBandStarts(1500, 2, 0.8, 1.0, 16);
  ASSERT_EQ(two.size(), 2u);
  EXPECT_EQ(two[0], 0);
  EXPECT_NEAR(two[1], 1250, 16);
  EXPECT_EQ(two[1] % 16, 0);
  // Skipping for free: equal bands.
  const auto equal = BalancedBandStarts(1600, 4, 0.0, 1.0, 16);
  EXPECT_EQ(equal, (std::vector<int>{0, 400, 800, 1200}));
  // Too few rows for the step: one band.
  EXPECT_EQ(BalancedBandStarts(10, 2, 0.8, 1.0, 16).size(), 1u);
}

TEST(JpegRows, PhotosDecodedInBandsMatchAWholeDecode) {
  BandWorkers serial(0), helpers(1), many(3);
  for (const bool grey : {false, true}) {
    const std::string jpeg = Photo(2504, 1672, grey);  // 4.2 MP: decoded in bands
    for (const ScalingFactor f : {ScalingFactor{1, 1}, ScalingFactor{1, 2}}) {
      const cv::Mat whole = DecodeJpeg(jpeg, f, serial);
      EXPECT_EQ(MaxDifference(DecodeJpeg(jpeg, f, helpers), whole), 0) << grey << " " << f.num << "/" << f.denom;
      EXPECT_EQ(MaxDifference(DecodeJpeg(jpeg, f, many), whole), 0) << grey << " " << f.num << "/" << f.denom;
    }
  }
}

TEST(JpegRows, BandsStartingAnywhereDecodeLikeTheWholeImage) {
  const std::string jpeg = Photo(640, 480, false);
  BandWorkers serial(0);
  const cv::Mat whole = DecodeJpeg(jpeg, ScalingFactor{1, 1}, serial);
  const std::vector<int> starts{0, 203};  // inside an MCU row
  const auto stop = [](size_t) { return false; };
  cv::Mat rows(480, 640, CV_8UC3, cv::Scalar::all(0));
  DecodeJpegBand(jpeg, ScalingFactor{1, 1}, starts, 0, rows, stop);
  EXPECT_EQ(MaxDifference(rows.rowRange(0, 203), whole.rowRange(0, 203)), 0);
  EXPECT_EQ(cv::countNonZero(rows.rowRange(203, 480).reshape(1)), 0);  // stopped at the next band
  DecodeJpegBand(jpeg, ScalingFactor{1, 1}, starts, 1, rows, stop);
  EXPECT_EQ(MaxDifference(rows, whole), 0);
}

TEST(JpegRows, ABandReadsOnIntoTheNextWhenNobodyTookIt) {
  const std::string jpeg = Photo(640, 480, false);
  BandWorkers serial(0);
  const cv::Mat whole = DecodeJpeg(jpeg, ScalingFactor{1, 2}, serial);
  cv::Mat rows(240, 320, CV_8UC3, cv::Scalar::all(0));
  std::vector<size_t> asked;
  DecodeJpegBand(jpeg, ScalingFactor{1, 2}, {0, 64, 128}, 0, rows, [&asked](size_t next) {
    asked.push_back(next);
    return true;
  });
  EXPECT_EQ(asked, (std::vector<size_t>{1, 2}));
  EXPECT_EQ(MaxDifference(rows, whole), 0);
}

TEST(JpegRows, DamagedDataIsAnErrorNotGarbage) {
  std::string jpeg = Photo(640, 480, false);
  const auto stop = [](size_t) { return false; };
  cv::Mat out(480, 640, CV_8UC3);
  EXPECT_THROW(DecodeJpegBand(jpeg.substr(0, 300), ScalingFactor{1, 1}, {0}, 0, out, stop), std::runtime_error);
  cv::Mat wrongSize(240, 320, CV_8UC3);
  EXPECT_THROW(DecodeJpegBand(jpeg, ScalingFactor{1, 1}, {0}, 0, wrongSize, stop), std::runtime_error);
  cv::Mat grey(480, 640, CV_8UC1);
  EXPECT_THROW(DecodeJpegBand(jpeg, ScalingFactor{1, 1}, {0}, 0, grey, stop), std::runtime_error);
  EXPECT_THROW(DecodeJpegBand(jpeg, ScalingFactor{1, 1}, {0, 500}, 0, out, stop), std::runtime_error);
}
