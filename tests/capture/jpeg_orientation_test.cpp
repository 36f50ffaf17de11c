// The DCT-domain turn of orientJpeg against libjpeg-turbo's own lossless transform
// (tjTransform with TJXOPT_PERFECT, what relais-capture used before): for every EXIF
// orientation, chroma sampling and a progressive input, the stored JPEG must be the very same
// bytes, and geometry that cannot be turned perfectly must fall back to re-encoding.
#include <gtest/gtest.h>
#include <turbojpeg.h>

#include <stdexcept>

#include "relais/capture/CaptureError.h"

#include "DctTransform.h"  // capture/src: the decode shared by the gate and the turn
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

// libjpeg-turbo's transform of the same input, application segments removed as relais stores it.
Bytes referenceTransform(const Bytes& jpeg, int orientation) {
  static const int operations[9] = {0, TJXOP_NONE, TJXOP_HFLIP, TJXOP_ROT180, TJXOP_VFLIP,
                                    TJXOP_TRANSPOSE, TJXOP_ROT90, TJXOP_TRANSVERSE, TJXOP_ROT270};
  tjhandle handle = tjInitTransform();
  tjtransform transform{};
  transform.op = operations[orientation];
  transform.options = TJXOPT_PERFECT | TJXOPT_COPYNONE;
  unsigned char* buffer = nullptr;
  unsigned long size = 0;
  const int rc = tjTransform(handle, jpeg.data(), jpeg.size(), 1, &buffer, &size, &transform, 0);
  if (rc != 0) throw std::runtime_error(tjGetErrorStr2(handle));
  Bytes out(buffer, buffer + size);
  tjFree(buffer);
  tjDestroy(handle);
  return stripMetadata(out);
}

struct Case {
  const char* name;
  int subsampling;
  bool progressive;
};

TEST(JpegOrientation, EveryOrientationIsTheSameBytesAsLibjpegTurbosLosslessTransform) {
  const cv::Mat picture = uprightPattern(336, 208);  // multiple of 16: every turn is perfect
  for (const Case& c : {Case{"4:2:0", TJSAMP_420, false}, Case{"4:2:2", TJSAMP_422, false}, Case{"4:4:4", TJSAMP_444, false},
                        Case{"4:4:0", TJSAMP_440, false}, Case{"gray", TJSAMP_GRAY, false},
                        Case{"4:2:0 progressive", TJSAMP_420, true}}) {
    const Bytes plain = encode(picture, c.subsampling, c.progressive);
    for (int orientation = 1; orientation <= 8; ++orientation) {
      if (orientation == 1 && !c.progressive) continue;  // baseline upright: passthrough, nothing to compare
      ExifSpec exif;
      exif.orientation = orientation;
      const Bytes jpeg = withSegmentAfterSoi(plain, exifSegment(exif));
      const OrientedJpeg turned = orientJpeg(jpeg, inspectJpeg(jpeg));
      EXPECT_EQ(turned.method, OrientationMethod::Lossless) << c.name << " orientation " << orientation;
      EXPECT_TRUE(turned.jpeg == referenceTransform(jpeg, orientation)) << c.name << " orientation " << orientation;
      EXPECT_TRUE(stripMetadata(turned.jpeg) == turned.jpeg) << "application segments in the output";
    }
  }
}

TEST(JpegOrientation, EdgesThatAreNotWholeBlocksAreTurnedLosslesslyOnlyWhereNoBlockIsLost) {
  // 4:2:0, 1000 x 750: neither dimension is a multiple of the 16-pixel MCU. The transpose
  // mirrors no axis and stays lossless; every other turn would cut the partial edge blocks.
  const Bytes plain = encode(uprightPattern(1000, 750), TJSAMP_420, false);
  for (int orientation = 2; orientation <= 8; ++orientation) {
    ExifSpec exif;
    exif.orientation = orientation;
    const Bytes jpeg = withSegmentAfterSoi(plain, exifSegment(exif));
    const OrientedJpeg turned = orientJpeg(jpeg, inspectJpeg(jpeg));
    if (orientation == 5) {
      EXPECT_EQ(turned.method, OrientationMethod::Lossless);
      EXPECT_TRUE(turned.jpeg == referenceTransform(jpeg, orientation));
    } else {
      EXPECT_EQ(turned.method, OrientationMethod::Reencoded) << "orientation " << orientation;
    }
    const JpegInfo info = inspectJpeg(turned.jpeg);
    EXPECT_EQ(info.width, orientation >= 5 ? 750 : 1000) << "orientation " << orientation;
    EXPECT_EQ(info.height, orientation >= 5 ? 1000 : 750) << "orientation " << orientation;
  }
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
    const Bytes reference = referenceTransform(rotated, 6);
    for (int num = 2; num <= 8; ++num) {
      ASSERT_TRUE(sharesDecode(num, 8));
      JpegCoefficients decoded(rotated, num, 8);
      const cv::Mat gray = referenceReducedGray(rotated, num, 8);
      ASSERT_EQ(decoded.reducedGray().size(), gray.size()) << c.name << " " << num << "/8";
      EXPECT_EQ(cv::countNonZero(decoded.reducedGray() != gray), 0) << c.name << " " << num << "/8";
      // And the turn from that same decode is still libjpeg-turbo's.
      EXPECT_TRUE(decoded.reoriented(6) == reference) << c.name << " " << num << "/8";
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
