#include <gtest/gtest.h>

#include <turbojpeg.h>

#include <opencv2/core.hpp>

#include "rendering/BandWorkers.h"
#include "rendering/JpegBands.h"
#include "rendering/JpegCodec.h"

using namespace relais::rendering;

namespace {

cv::Mat Noise(int rows, int columns, int type, unsigned seed) {
  cv::Mat image(rows, columns, type);
  cv::RNG(seed).fill(image, cv::RNG::UNIFORM, 0, 256);
  return image;
}

size_t CountMarker(const std::string& jpeg, unsigned char marker) {
  size_t n = 0;
  for (size_t i = 0; i + 1 < jpeg.size(); ++i) {
    if (static_cast<unsigned char>(jpeg[i]) == 0xFF && static_cast<unsigned char>(jpeg[i + 1]) == marker) ++n;
  }
  return n;
}

cv::Mat Decoded(const std::string& jpeg) { return DecodeJpeg(jpeg, ScalingFactor{1, 1}); }

bool SamePixels(const cv::Mat& a, const cv::Mat& b) {
  return a.size() == b.size() && a.type() == b.type() && cv::norm(a, b, cv::NORM_INF) == 0;
}

}  // namespace

TEST(JpegBands, LaysOutWholeMcuRowsWithinARestartInterval) {
  const BandLayout colour = LayOutBands(480, 640, 16, 2);
  EXPECT_EQ(colour.bandRows, 240);
  EXPECT_EQ(colour.bands, 2);
  EXPECT_EQ(colour.restartInterval, 600u);  // 15 MCU rows of 40

  const BandLayout odd = LayOutBands(479, 641, 16, 2);  // 30 x 41 MCUs, the last ones partial
  EXPECT_EQ(odd.bandRows, 240);
  EXPECT_EQ(odd.bands, 2);
  EXPECT_EQ(odd.restartInterval, 15u * 41u);

  // 1000 MCUs per row: a band may hold 65 MCU rows at most, so 188 rows need 3 bands.
  const BandLayout wide = LayOutBands(3000, 16000, 16, 2);
  EXPECT_EQ(wide.bandRows, 65 * 16);
  EXPECT_EQ(wide.bands, 3);
  EXPECT_EQ(wide.restartInterval, 65000u);

  EXPECT_EQ(LayOutBands(100, 100, 8, 1).bands, 1);
}

TEST(JpegBands, ColourInBandsDecodesToTheWholeEncodingsPixels) {
  BandWorkers serial(0), helpers(1);
  for (const cv::Size size : {cv::Size(640, 480), cv::Size(641, 479), cv::Size(1279, 1023)}) {
    const cv::Mat image = Noise(size.height, size.width, CV_8UC3, 7);
    const std::string whole = EncodeJpeg(image, 90, serial);
    const std::string banded = EncodeJpeg(image, 90, helpers);
    EXPECT_EQ(CountMarker(whole, 0xDD), 0u);
    EXPECT_EQ(CountMarker(banded, 0xDD), 1u) << size;  // restart interval defined once
    EXPECT_EQ(CountMarker(banded, 0xD0), 1u) << size;  // two bands: one restart between them
    EXPECT_TRUE(SamePixels(Decoded(banded), Decoded(whole))) << size;
    EXPECT_EQ(Decoded(banded).size(), size);
  }
}

TEST(JpegBands, GreyInManyBandsDecodesToTheWholeEncodingsPixels) {
  BandWorkers serial(0), helpers(5);  // six bands: markers RST0 to RST4
  const cv::Mat image = Noise(1001, 333, CV_8UC1, 11);
  const std::string banded = EncodeJpeg(image, 75, helpers);
  for (unsigned char rst = 0xD0; rst <= 0xD4; ++rst) EXPECT_EQ(CountMarker(banded, rst), 1u);
  EXPECT_TRUE(SamePixels(Decoded(banded), Decoded(EncodeJpeg(image, 75, serial))));
}

TEST(JpegBands, SmallImagesAreEncodedWhole) {
  BandWorkers helpers(1);
  for (const cv::Size size : {cv::Size(256, 192), cv::Size(400, 300)}) {
    const std::string jpeg = EncodeJpeg(Noise(size.height, size.width, CV_8UC3, 3), 90, helpers);
    EXPECT_EQ(CountMarker(jpeg, 0xDD), 0u) << size;
  }
}

TEST(JpegBands, RefusesBandsItCannotJoin) {
  BandWorkers serial(0);
  const std::string a = EncodeJpeg(Noise(64, 64, CV_8UC3, 1), 90, serial);
  const std::string otherQuality = EncodeJpeg(Noise(64, 64, CV_8UC3, 2), 50, serial);
  EXPECT_FALSE(JoinJpegBands({a, otherQuality}, 128, 16));  // different quantisation tables
  EXPECT_FALSE(JoinJpegBands({a, "not a jpeg"}, 128, 16));
  EXPECT_FALSE(JoinJpegBands({}, 128, 16));
  EXPECT_FALSE(JoinJpegBands({a, a}, 70000, 16));  // taller than a JPEG can say

  // A progressive JPEG has several scans: bands of it cannot be joined.
  tjhandle c = tjInitCompress();
  const cv::Mat image = Noise(64, 64, CV_8UC3, 4);
  unsigned char* buffer = nullptr;
  unsigned long size = 0;
  ASSERT_EQ(tjCompress2(c, image.data, 64, static_cast<int>(image.step), 64, TJPF_RGB, &buffer, &size, TJSAMP_420,
                        90, TJFLAG_PROGRESSIVE),
            0);
  const std::string progressive(reinterpret_cast<const char*>(buffer), size);
  tjFree(buffer);
  tjDestroy(c);
  EXPECT_FALSE(JoinJpegBands({progressive, progressive}, 128, 16));

  const auto joined = JoinJpegBands({a, a}, 128, 16);  // the same band twice: a valid JPEG
  ASSERT_TRUE(joined);
  EXPECT_EQ(Decoded(*joined).size(), cv::Size(64, 128));
}
