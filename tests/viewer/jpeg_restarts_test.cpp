#include <gtest/gtest.h>

#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

#include <jpeglib.h>
#include <opencv2/imgproc.hpp>

#include "rendering/BandWorkers.h"
#include "rendering/JpegCodec.h"
#include "rendering/JpegRestarts.h"
#include "PhotoLikePixels.h"

using namespace relais::rendering;
using relais::test::MaxDifference;
using relais::test::PhotoLikePixels;

namespace {

struct Encoding {
  int hSampling = 2, vSampling = 2;  // of the luma against the chroma: 4:2:0
  int restartRows = 1;               // restart_in_rows; 0: use restartMcus
  int restartMcus = 0;
  bool progressive = false;
};

// With libjpeg itself: TurboJPEG cannot write restart markers.
std::string EncodeWithRestarts(const cv::Mat& pixels, const Encoding& how) {
  jpeg_compress_struct cinfo;
  jpeg_error_mgr errors;
  cinfo.err = jpeg_std_error(&errors);
  jpeg_create_compress(&cinfo);
  unsigned char* buffer = nullptr;
  unsigned long size = 0;
  jpeg_mem_dest(&cinfo, &buffer, &size);
  cinfo.image_width = static_cast<JDIMENSION>(pixels.cols);
  cinfo.image_height = static_cast<JDIMENSION>(pixels.rows);
  cinfo.input_components = pixels.channels();
  cinfo.in_color_space = pixels.channels() == 1 ? JCS_GRAYSCALE : JCS_RGB;
  jpeg_set_defaults(&cinfo);
  jpeg_set_quality(&cinfo, 90, TRUE);
  if (pixels.channels() == 3) {
    cinfo.comp_info[0].h_samp_factor = how.hSampling;
    cinfo.comp_info[0].v_samp_factor = how.vSampling;
  }
  cinfo.restart_in_rows = how.restartRows;
  cinfo.restart_interval = static_cast<unsigned>(how.restartMcus);
  if (how.progressive) jpeg_simple_progression(&cinfo);
  jpeg_start_compress(&cinfo, TRUE);
  while (cinfo.next_scanline < cinfo.image_height) {
    JSAMPROW row = const_cast<unsigned char*>(pixels.ptr(static_cast<int>(cinfo.next_scanline)));
    jpeg_write_scanlines(&cinfo, &row, 1);
  }
  jpeg_finish_compress(&cinfo);
  jpeg_destroy_compress(&cinfo);
  std::string jpeg(reinterpret_cast<const char*>(buffer), size);
  std::free(buffer);
  return jpeg;
}

// Every band of `starts` decoded on this thread, in reverse order (no band may depend on
// another having run).
cv::Mat DecodeBands(const std::string& jpeg, const RestartLayout& layout, ScalingFactor f,
                    const std::vector<int>& starts, bool grey) {
  cv::Mat out(ScaledSide(layout.height, f), ScaledSide(layout.width, f), grey ? CV_8UC1 : CV_8UC3,
              cv::Scalar::all(0));
  for (size_t band = starts.size(); band-- > 0;) {
    DecodeRestartBand(jpeg, layout, f, starts[band], band + 1 < starts.size() ? starts[band + 1] : layout.mcuRows, out);
  }
  return out;
}

const ScalingFactor kScales[] = {{1, 1}, {1, 2}, {1, 4}, {1, 8}};

}  // namespace

TEST(JpegRestarts, FindsOneEntryPerMcuRowInAPhotoWithAMarkerPerRow) {
  const std::string jpeg = EncodeWithRestarts(PhotoLikePixels(1001, 777, false, 1), Encoding{});
  const auto layout = FindRestartLayout(jpeg);
  ASSERT_TRUE(layout);
  EXPECT_EQ(layout->mcuWidth, 16);
  EXPECT_EQ(layout->mcuHeight, 16);
  EXPECT_EQ(layout->mcuColumns, 63);  // ceil(1001 / 16)
  EXPECT_EQ(layout->mcuRows, 49);     // ceil(777 / 16)
  EXPECT_EQ(layout->interval, 63);
  EXPECT_EQ(layout->entryStep, 1);
  EXPECT_EQ(layout->segmentStarts.size(), 49u);
  // Each segment after the first follows a restart marker, numbered 0 to 7 in turn.
  for (size_t k = 1; k < layout->segmentStarts.size(); ++k) {
    EXPECT_EQ(static_cast<unsigned char>(jpeg[layout->segmentStarts[k] - 2]), 0xFF);
    EXPECT_EQ(static_cast<unsigned char>(jpeg[layout->segmentStarts[k] - 1]), 0xD0 + (k - 1) % 8);
  }
  EXPECT_EQ(jpeg.substr(layout->entropyEnd, 2), "\xFF\xD9");
}

TEST(JpegRestarts, NothingToCutWithoutMarkersInAProgressiveOrADamagedJpeg) {
  const cv::Mat pixels = PhotoLikePixels(640, 480, false, 2);
  EXPECT_FALSE(FindRestartLayout(EncodeWithRestarts(pixels, Encoding{2, 2, 0, 0, false})));
  EXPECT_FALSE(FindRestartLayout(EncodeWithRestarts(pixels, Encoding{2, 2, 1, 0, true})));
  std::string jpeg = EncodeWithRestarts(pixels, Encoding{});
  const auto layout = FindRestartLayout(jpeg);
  ASSERT_TRUE(layout);
  std::string missing = jpeg;  // RST3 lost in transit
  missing.erase(layout->segmentStarts[4] - 2, 2);
  EXPECT_FALSE(FindRestartLayout(missing));
  EXPECT_FALSE(FindRestartLayout(jpeg.substr(0, layout->entropyStart - 3)));  // cut in its headers
  EXPECT_FALSE(FindRestartLayout("not a JPEG"));
  EXPECT_FALSE(FindRestartLayout(""));
}

TEST(JpegRestarts, BandsDecodeToExactlyTheWholeDecodingAtEveryScale) {
  struct Kind {
    const char* name;
    bool grey;
    Encoding how;
  };
  const Kind kinds[] = {
      {"4:2:0", false, Encoding{2, 2, 1}},          {"4:2:2", false, Encoding{2, 1, 1}},
      {"4:4:4", false, Encoding{1, 1, 1}},          {"grey", true, Encoding{1, 1, 1}},
      {"4:2:0, a marker every 3 rows", false, Encoding{2, 2, 3}},
      // 63 MCUs a row, a marker every 9 MCUs: an entry every row in 7, at the 9th marker.
      {"4:2:0, markers inside rows", false, Encoding{2, 2, 0, 9}},
  };
  BandWorkers serial(0);
  for (const Kind& kind : kinds) {
    const cv::Mat pixels = PhotoLikePixels(1001, 777, kind.grey, 3);
    const std::string jpeg = EncodeWithRestarts(pixels, kind.how);
    const auto layout = FindRestartLayout(jpeg);
    ASSERT_TRUE(layout) << kind.name;
    std::vector<int> starts{0};
    for (int row = layout->entryStep; row < layout->mcuRows; row += layout->entryStep) starts.push_back(row);
    for (const ScalingFactor f : kScales) {
      // The reference: TurboJPEG, the whole image in one pass, as the renderer does alone.
      const cv::Mat whole = DecodeJpeg(jpeg, f, serial);
      EXPECT_EQ(MaxDifference(DecodeBands(jpeg, *layout, f, starts, kind.grey), whole), 0)
          << kind.name << " at " << f.num << "/" << f.denom << ", bands every " << layout->entryStep << " rows";
      EXPECT_EQ(MaxDifference(DecodeBands(jpeg, *layout, f, RestartBandStarts(*layout, 2), kind.grey), whole), 0)
          << kind.name << " at " << f.num << "/" << f.denom << ", two bands";
    }
  }
}

TEST(JpegRestarts, BandsAreEqualAndStartAtEntryRows) {
  const std::string jpeg = EncodeWithRestarts(PhotoLikePixels(1001, 777, false, 4), Encoding{2, 2, 0, 9});
  const auto layout = FindRestartLayout(jpeg);
  ASSERT_TRUE(layout);
  ASSERT_EQ(layout->entryStep, 1);  // 63 = 7 x 9: every row begins at a marker
  EXPECT_EQ(RestartBandStarts(*layout, 2), (std::vector<int>{0, 25}));  // 49 rows
  EXPECT_EQ(RestartBandStarts(*layout, 4), (std::vector<int>{0, 12, 25, 37}));
  EXPECT_EQ(RestartBandStarts(*layout, 1), (std::vector<int>{0}));
  // Entry rows too sparse for the overlap: one band.
  const auto sparse = FindRestartLayout(EncodeWithRestarts(PhotoLikePixels(1001, 777, false, 4), Encoding{2, 2, 8}));
  ASSERT_TRUE(sparse);
  EXPECT_EQ(RestartBandStarts(*sparse, 2), (std::vector<int>{0}));
}

TEST(JpegRestarts, APhotoWithMarkersIsDecodedInBandsOnTheWorkersLikeAWholeDecode) {
  BandWorkers serial(0), helpers(1), many(3);
  for (const bool grey : {false, true}) {
    const std::string jpeg = EncodeWithRestarts(PhotoLikePixels(1600, 1200, grey, 5), Encoding{});
    for (const ScalingFactor f : kScales) {
      const cv::Mat whole = DecodeJpeg(jpeg, f, serial);
      EXPECT_EQ(MaxDifference(DecodeJpeg(jpeg, f, helpers), whole), 0) << grey << " " << f.num << "/" << f.denom;
      EXPECT_EQ(MaxDifference(DecodeJpeg(jpeg, f, many), whole), 0) << grey << " " << f.num << "/" << f.denom;
    }
  }
}

TEST(JpegRestarts, ADamagedBandIsRefusedSoThatTheWholeDecodingTakesOver) {
  const cv::Mat pixels = PhotoLikePixels(1600, 1200, false, 6);
  std::string jpeg = EncodeWithRestarts(pixels, Encoding{});
  auto layout = FindRestartLayout(jpeg);
  ASSERT_TRUE(layout);
  // Half of row 40's data lost: its decoder meets the next marker early. The band holding the
  // row fails, the other does not.
  const size_t middle = (layout->segmentStarts[40] + layout->segmentStarts[41]) / 2;
  jpeg.erase(middle, layout->segmentStarts[41] - 2 - middle);
  layout = FindRestartLayout(jpeg);
  ASSERT_TRUE(layout);  // every marker still there, in order
  cv::Mat out(1200, 1600, CV_8UC3);
  EXPECT_THROW(DecodeRestartBand(jpeg, *layout, ScalingFactor{1, 1}, 38, 75, out), std::runtime_error);
  EXPECT_NO_THROW(DecodeRestartBand(jpeg, *layout, ScalingFactor{1, 1}, 0, 37, out));
  EXPECT_THROW(DecodeRestartBand(jpeg, *layout, ScalingFactor{1, 1}, 0, 80, out), std::runtime_error);  // > rows
  // Through DecodeJpeg: still an image of the right size (TurboJPEG's whole decoding, warnings and all).
  BandWorkers helpers(1);
  const cv::Mat decoded = DecodeJpeg(jpeg, ScalingFactor{1, 2}, helpers);
  EXPECT_EQ(decoded.size(), cv::Size(800, 600));
}
