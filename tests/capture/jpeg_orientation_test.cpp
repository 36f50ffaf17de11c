// The DCT-domain re-code of orientJpeg against libjpeg-turbo's own lossless transform
// (tjTransform with TJXOPT_PERFECT, what relais-capture used before): for every EXIF
// orientation, chroma sampling and a progressive input, the stored JPEG must hold the very same
// coefficients and quantisation tables, decode to the same pixels, and restart at every MCU
// row (what the hub's banded decoding needs); geometry that cannot be turned perfectly must
// fall back to re-encoding, with restarts too.
#include <gtest/gtest.h>
#include <turbojpeg.h>

#include <opencv2/imgproc.hpp>

#include <stdexcept>
#include <vector>

#include "relais/capture/CaptureError.h"

#include "DctTransform.h"  // capture/src: the decode shared by the gate and the turn
#include "../viewer/PhotoLikePixels.h"
#include "JpegReference.h"
#include "LibJpeg.h"       // capture/src: libjpeg handles that throw
#include "TestImages.h"
#include "relais/capture/JpegOrientation.h"
#include "relais/capture/QualityGate.h"

namespace relais::capture::test {
namespace {

Bytes encode(const cv::Mat& bgr, int subsampling, bool progressive) {
  tjhandle handle = tjInitCompress();
  unsigned char* buffer = nullptr;
  unsigned long size = 0;
  const cv::Mat input = bgr.isContinuous() ? bgr : bgr.clone();
  const int rc = tjCompress2(handle, input.data, input.cols, 0, input.rows, TJPF_BGR, &buffer, &size, subsampling, 90,
                             progressive ? TJFLAG_PROGRESSIVE : 0);
  if (rc != 0) throw std::runtime_error(tjGetErrorStr2(handle));
  Bytes out(buffer, buffer + size);
  tjFree(buffer);
  tjDestroy(handle);
  return out;
}

// Every DCT coefficient of every component (the whole MCU-padded arrays, as coded) and the
// quantisation table of each component, as libjpeg reads them.
struct Coefficients {
  std::vector<int> dimensions;
  std::vector<JCOEF> values;
  std::vector<UINT16> tables;
  bool operator==(const Coefficients& o) const {
    return dimensions == o.dimensions && values == o.values && tables == o.tables;
  }
};

Coefficients coefficientsOf(const Bytes& jpeg) {
  JpegDecompressor reader;
  jpeg_decompress_struct& info = reader.info;
  jpeg_mem_src(&info, jpeg.data(), static_cast<unsigned long>(jpeg.size()));
  jpeg_read_header(&info, TRUE);
  jvirt_barray_ptr* arrays = jpeg_read_coefficients(&info);
  Coefficients out;
  out.dimensions = {static_cast<int>(info.image_width), static_cast<int>(info.image_height), info.num_components};
  for (int c = 0; c < info.num_components; ++c) {
    const jpeg_component_info& comp = info.comp_info[c];
    const JDIMENSION width = (comp.width_in_blocks + comp.h_samp_factor - 1) / comp.h_samp_factor * comp.h_samp_factor;
    const JDIMENSION height = (comp.height_in_blocks + comp.v_samp_factor - 1) / comp.v_samp_factor * comp.v_samp_factor;
    out.dimensions.insert(out.dimensions.end(), {comp.h_samp_factor, comp.v_samp_factor});
    for (JDIMENSION y = 0; y < height; ++y) {
      JBLOCKROW row = (*info.mem->access_virt_barray)(reinterpret_cast<j_common_ptr>(&info), arrays[c], y, 1, FALSE)[0];
      for (JDIMENSION x = 0; x < width; ++x) out.values.insert(out.values.end(), row[x], row[x] + DCTSIZE2);
    }
    const JQUANT_TBL* table = info.quant_tbl_ptrs[comp.quant_tbl_no];
    out.tables.insert(out.tables.end(), table->quantval, table->quantval + DCTSIZE2);
  }
  jpeg_finish_decompress(&info);
  return out;
}

// The same coefficients re-coded with an arbitrary restart interval (in MCUs, 0: none).
Bytes withRestartInterval(const Bytes& jpeg, unsigned interval) {
  JpegDecompressor reader;
  jpeg_mem_src(&reader.info, jpeg.data(), static_cast<unsigned long>(jpeg.size()));
  jpeg_read_header(&reader.info, TRUE);
  jvirt_barray_ptr* arrays = jpeg_read_coefficients(&reader.info);
  Bytes out;
  JpegCompressor writer(out, jpeg.size() * 2);
  jpeg_copy_critical_parameters(&reader.info, &writer.info);
  writer.info.restart_interval = interval;
  jpeg_write_coefficients(&writer.info, arrays);
  jpeg_finish_compress(&writer.info);
  return out;
}

// What the hub's banded decoding needs: one scan, a restart interval of one MCU row, and so
// one restart marker between each two rows.
void expectRestartEveryMcuRow(const Bytes& jpeg, const std::string& what) {
  const RestartLayout layout = restartLayout(jpeg);
  EXPECT_EQ(layout.scans, 1) << what;
  EXPECT_EQ(layout.interval, layout.mcusPerRow()) << what;
  EXPECT_EQ(layout.markers, layout.mcuRows() - 1) << what;
}

struct Case {
  const char* name;
  int subsampling;
  bool progressive;
};

TEST(JpegOrientation, EveryOrientationHasLibjpegTurbosLosslessCoefficientsAndARestartEveryMcuRow) {
  const cv::Mat picture = uprightPattern(336, 208);  // multiple of 16: every turn is perfect
  for (const Case& c : {Case{"4:2:0", TJSAMP_420, false}, Case{"4:2:2", TJSAMP_422, false}, Case{"4:4:4", TJSAMP_444, false},
                        Case{"4:4:0", TJSAMP_440, false}, Case{"gray", TJSAMP_GRAY, false},
                        Case{"4:2:0 progressive", TJSAMP_420, true}}) {
    const Bytes plain = encode(picture, c.subsampling, c.progressive);
    for (int orientation = 1; orientation <= 8; ++orientation) {
      const std::string what = std::string(c.name) + " orientation " + std::to_string(orientation);
      ExifSpec exif;
      exif.orientation = orientation;
      const Bytes jpeg = withSegmentAfterSoi(plain, exifSegment(exif));
      const OrientedJpeg turned = orientJpeg(jpeg, inspectJpeg(jpeg));
      EXPECT_EQ(turned.method, OrientationMethod::Lossless) << what;
      const Bytes reference = referenceTransform(jpeg, orientation);
      EXPECT_TRUE(coefficientsOf(turned.jpeg) == coefficientsOf(reference)) << what;
      EXPECT_EQ(differingPixels(decodeExactly(turned.jpeg), decodeExactly(reference)), 0) << what;
      expectRestartEveryMcuRow(turned.jpeg, what);
      EXPECT_TRUE(stripMetadata(turned.jpeg) == turned.jpeg) << "application segments in the output";
    }
  }
}

TEST(JpegOrientation, AnUprightJpegIsRecodedToThePixelWithRowRestartsAtOddSizesToo) {
  // Neither size a multiple of the MCU: the last MCU column and row are partial.
  for (const Case& c : {Case{"4:2:0", TJSAMP_420, false}, Case{"4:4:4", TJSAMP_444, false},
                        Case{"gray", TJSAMP_GRAY, false}, Case{"4:2:0 progressive", TJSAMP_420, true}}) {
    for (const cv::Size size : {cv::Size(1000, 750), cv::Size(1001, 601), cv::Size(17, 9)}) {
      const std::string what = std::string(c.name) + " " + std::to_string(size.width) + "x" + std::to_string(size.height);
      const Bytes camera = withSegmentAfterSoi(encode(uprightPattern(size.width, size.height), c.subsampling, c.progressive),
                                               exifSegment({}));
      const OrientedJpeg stored = orientJpeg(camera, inspectJpeg(camera));
      EXPECT_EQ(stored.method, OrientationMethod::Lossless) << what;
      EXPECT_EQ(differingPixels(decodeExactly(stored.jpeg), decodeExactly(camera)), 0) << what;
      EXPECT_TRUE(coefficientsOf(stored.jpeg) == coefficientsOf(camera)) << what;
      expectRestartEveryMcuRow(stored.jpeg, what);
      const RestartLayout layout = restartLayout(stored.jpeg);
      const int mcu = c.subsampling == TJSAMP_420 ? 16 : 8;
      EXPECT_EQ(layout.interval, (size.width + mcu - 1) / mcu) << what;
      EXPECT_EQ(layout.markers, (size.height + mcu - 1) / mcu - 1) << what;
      EXPECT_NE(stored.description.find("re-coded losslessly"), std::string::npos) << stored.description;
      EXPECT_NE(stored.description.find("restart markers every MCU row"), std::string::npos) << stored.description;
    }
  }
}

TEST(JpegOrientation, OnlyAJpegThatAlreadyRestartsEveryMcuRowIsKeptAsItIs) {
  const Bytes plain = encode(uprightPattern(1000, 750), TJSAMP_420, false);  // 63 MCUs a row
  const Bytes rowRestarts = withRestartInterval(plain, 63);
  const JpegInfo info = inspectJpeg(rowRestarts);
  EXPECT_EQ(info.restartInterval, 63);
  EXPECT_EQ(orientJpeg(rowRestarts, info).method, OrientationMethod::Passthrough);
  for (const unsigned interval : {1u, 62u, 64u, 126u}) {
    const Bytes other = withRestartInterval(plain, interval);
    const OrientedJpeg stored = orientJpeg(other, inspectJpeg(other));
    EXPECT_EQ(stored.method, OrientationMethod::Lossless) << "interval " << interval;
    expectRestartEveryMcuRow(stored.jpeg, "from interval " + std::to_string(interval));
    EXPECT_EQ(differingPixels(decodeExactly(stored.jpeg), decodeExactly(plain)), 0) << "interval " << interval;
  }
  // A turn still turns a JPEG that restarts every row.
  ExifSpec exif;
  exif.orientation = 5;
  const Bytes turned = withSegmentAfterSoi(rowRestarts, exifSegment(exif));
  EXPECT_EQ(orientJpeg(turned, inspectJpeg(turned)).method, OrientationMethod::Lossless);
}

// A re-encoded turn quantizes with the camera's own tables: the same tables, at most 15 %
// more than the camera's bytes (a fixed quality 95 doubled them), and a second generation
// within `lossDb` of the camera's own PSNR (the turn moves the 8x8 grid when a side is not a
// multiple of 8, so the second quantization does not repeat the first's).
void expectCloseToTheCamerasJpeg(const OrientedJpeg& turned, const Bytes& camera, const cv::Mat& picture,
                                 int orientation, double lossDb, const std::string& what) {
  EXPECT_EQ(coefficientsOf(turned.jpeg).tables, coefficientsOf(camera).tables) << what;
  const double ratio = static_cast<double>(turned.jpeg.size()) / static_cast<double>(stripMetadata(camera).size());
  EXPECT_LT(ratio, 1.15) << what << ": " << turned.jpeg.size() << " bytes for the camera's " << camera.size();
  const cv::Mat decodedCamera = decodeExactly(camera);
  cv::Mat truth = picture;
  if (decodedCamera.channels() == 1 && picture.channels() == 3) cv::cvtColor(picture, truth, cv::COLOR_BGR2GRAY);
  const double first = cv::PSNR(decodedCamera, truth);
  const double second = cv::PSNR(decodeExactly(turned.jpeg), orientPixels(truth, orientation));
  EXPECT_GT(second, first - lossDb) << what << ": the camera's JPEG " << first << " dB, the re-encode " << second << " dB";
  EXPECT_NE(turned.description.find("the camera's own quantization tables"), std::string::npos) << turned.description;
}

TEST(JpegOrientation, EdgesThatAreNotWholeBlocksAreTurnedLosslesslyOnlyWhereNoBlockIsLost) {
  // 4:2:0, 1000 x 750: neither dimension is a multiple of the 16-pixel MCU. The transpose
  // mirrors no axis and stays lossless; every other turn would cut the partial edge blocks.
  const cv::Mat picture = uprightPattern(1000, 750);
  const Bytes plain = encode(picture, TJSAMP_420, false);
  for (int orientation = 2; orientation <= 8; ++orientation) {
    const std::string what = "orientation " + std::to_string(orientation);
    ExifSpec exif;
    exif.orientation = orientation;
    const Bytes jpeg = withSegmentAfterSoi(plain, exifSegment(exif));
    const OrientedJpeg turned = orientJpeg(jpeg, inspectJpeg(jpeg));
    if (orientation == 5) {
      EXPECT_EQ(turned.method, OrientationMethod::Lossless);
      EXPECT_TRUE(coefficientsOf(turned.jpeg) == coefficientsOf(referenceTransform(jpeg, orientation)));
    } else {
      EXPECT_EQ(turned.method, OrientationMethod::Reencoded) << what;
      // A 4-pixel checkerboard is the worst case for a moved grid.
      expectCloseToTheCamerasJpeg(turned, plain, picture, orientation, 7, what);
      EXPECT_NE(turned.description.find("restart markers every MCU row"), std::string::npos) << turned.description;
    }
    expectRestartEveryMcuRow(turned.jpeg, what);
    const JpegInfo info = inspectJpeg(turned.jpeg);
    EXPECT_EQ(info.width, orientation >= 5 ? 750 : 1000) << what;
    EXPECT_EQ(info.height, orientation >= 5 ? 1000 : 750) << what;
  }
}

Bytes encodeAt(const cv::Mat& bgr, int subsampling, int quality) {
  tjhandle handle = tjInitCompress();
  unsigned char* buffer = nullptr;
  unsigned long size = 0;
  const bool gray = subsampling == TJSAMP_GRAY;
  cv::Mat input = bgr;
  if (gray) cv::cvtColor(bgr, input, cv::COLOR_BGR2GRAY);
  const int rc = tjCompress2(handle, input.data, input.cols, 0, input.rows, gray ? TJPF_GRAY : TJPF_BGR, &buffer, &size,
                             subsampling, quality, TJFLAG_ACCURATEDCT);
  if (rc != 0) throw std::runtime_error(tjGetErrorStr2(handle));
  Bytes out(buffer, buffer + size);
  tjFree(buffer);
  tjDestroy(handle);
  return out;
}

TEST(JpegOrientation, ReencodedTurnsKeepTheCamerasQualityAndSizeForEverySamplingAndOrientation) {
  // Odd sizes: no turn but the identity is lossless for 4:2:0 and 4:2:2. Pixels with a
  // photo's shading and grain.
  const cv::Mat picture = relais::test::PhotoLikePixels(1001, 749, false, 17);
  int reencoded = 0;
  for (const Case& c : {Case{"4:2:0 q75", TJSAMP_420, false}, Case{"4:2:2 q85", TJSAMP_422, false},
                        Case{"4:4:4 q80", TJSAMP_444, false}, Case{"gray q90", TJSAMP_GRAY, false}}) {
    const int quality = c.subsampling == TJSAMP_420 ? 75 : c.subsampling == TJSAMP_422 ? 85 : c.subsampling == TJSAMP_444 ? 80 : 90;
    const Bytes plain = encodeAt(picture, c.subsampling, quality);
    for (int orientation = 2; orientation <= 8; ++orientation) {
      const std::string what = std::string(c.name) + ", orientation " + std::to_string(orientation);
      ExifSpec exif;
      exif.orientation = orientation;
      const Bytes jpeg = withSegmentAfterSoi(plain, exifSegment(exif));
      const OrientedJpeg turned = orientJpeg(jpeg, inspectJpeg(jpeg));
      expectRestartEveryMcuRow(turned.jpeg, what);
      if (turned.method != OrientationMethod::Reencoded) continue;
      ++reencoded;
      expectCloseToTheCamerasJpeg(turned, plain, picture, orientation, 3, what);
      EXPECT_NE(turned.description.find("about JPEG quality " + std::to_string(quality)), std::string::npos)
          << what << ": " << turned.description;
      const JpegInfo original = inspectJpeg(plain), stored = inspectJpeg(turned.jpeg);
      // The chroma keeps its resolution along each image axis: 4:2:2 turned a quarter is 4:4:0.
      EXPECT_EQ(orientation >= 5 ? stored.mcuHeight : stored.mcuWidth, original.mcuWidth) << what;
      EXPECT_EQ(orientation >= 5 ? stored.mcuWidth : stored.mcuHeight, original.mcuHeight) << what;
    }
  }
  EXPECT_GE(reencoded, 20);
}

cv::Mat referenceReducedGray(const Bytes& jpeg, int num, int denom) {
  tjhandle handle = tjInitDecompress();
  int width = 0, height = 0, subsampling = 0, colourspace = 0;
  tjDecompressHeader3(handle, jpeg.data(), jpeg.size(), &width, &height, &subsampling, &colourspace);
  const tjscalingfactor scale{num, denom};
  cv::Mat gray(TJSCALED(height, scale), TJSCALED(width, scale), CV_8UC1);
  const int rc = tjDecompress2(handle, jpeg.data(), jpeg.size(), gray.data, gray.cols, 0, gray.rows, TJPF_GRAY,
                               TJFLAG_STOPONWARNING | TJFLAG_FASTDCT);
  tjDestroy(handle);
  if (rc != 0) throw std::runtime_error("reference decode failed");
  return gray;
}

TEST(JpegOrientation, TheGatesReducedImageFromTheTurnsDecodeIsTheGatesOwnDecodePixelForPixel) {
  const cv::Mat picture = uprightPattern(640, 480);
  for (const Case& c : {Case{"4:2:0", TJSAMP_420, false}, Case{"4:4:4", TJSAMP_444, false}, Case{"gray", TJSAMP_GRAY, false},
                        Case{"4:2:0 progressive", TJSAMP_420, true}}) {
    const Bytes jpeg = encode(picture, c.subsampling, c.progressive);
    ExifSpec exif;
    exif.orientation = 6;
    const Bytes rotated = withSegmentAfterSoi(jpeg, exifSegment(exif));
    const Coefficients reference = coefficientsOf(referenceTransform(rotated, 6));
    for (int num = 2; num <= 8; ++num) {
      ASSERT_TRUE(sharesDecode(num, 8));
      JpegCoefficients decoded(rotated, num, 8);
      const cv::Mat gray = referenceReducedGray(rotated, num, 8);
      ASSERT_EQ(decoded.reducedGray().size(), gray.size()) << c.name << " " << num << "/8";
      EXPECT_EQ(cv::countNonZero(decoded.reducedGray() != gray), 0) << c.name << " " << num << "/8";
      // And the turn from that same decode still has libjpeg-turbo's coefficients.
      const Bytes turned = decoded.reoriented(6);
      EXPECT_TRUE(coefficientsOf(turned) == reference) << c.name << " " << num << "/8";
      expectRestartEveryMcuRow(turned, std::string(c.name) + " " + std::to_string(num) + "/8");
    }
    EXPECT_FALSE(sharesDecode(1, 8));  // libjpeg keeps no AC coefficient for a 1/8 output
  }
}

TEST(JpegOrientation, DamagedImageDataAreRefusedByTheSharedDecode) {
  Bytes jpeg = encode(uprightPattern(640, 480), TJSAMP_420, false);
  const std::size_t scan = jpeg.size() - scanData(jpeg).size();
  for (std::size_t i = scan + 700; i < scan + 1400; ++i) jpeg[i] = static_cast<std::uint8_t>((i * 37) & 0x7F);
  try {
    JpegCoefficients decoded(jpeg, 3, 8);
    FAIL() << "damaged data accepted";
  } catch (const CaptureError& e) {
    EXPECT_NE(std::string(e.what()).find("damaged"), std::string::npos) << e.what();
  }
}

}  // namespace
}  // namespace relais::capture::test
