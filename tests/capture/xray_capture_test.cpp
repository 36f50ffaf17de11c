// DX For Presentation from 16-bit detector images; Secondary Capture DF from film photos.
#include <gtest/gtest.h>

#include <dcmtk/dcmdata/dcdeftag.h>
#include <dcmtk/dcmdata/dcfilefo.h>
#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>

#include "CaptureFixture.h"
#include "DicomInspection.h"
#include "TestImages.h"
#include "relais/capture/CaptureError.h"
#include "relais/capture/XrayBuilder.h"

namespace relais::capture::test {
namespace {
namespace fs = std::filesystem;

// A 12-bit chest-like picture: dark lungs, bright mediastinum and ribs, 0 outside the field.
cv::Mat detectorImage(int size = 1024) {
  cv::Mat image(size, size, CV_16UC1, cv::Scalar(0));
  cv::rectangle(image, cv::Rect(size / 16, size / 16, size * 7 / 8, size * 7 / 8), cv::Scalar(2600), cv::FILLED);
  cv::ellipse(image, cv::Point(size * 3 / 10, size / 2), cv::Size(size / 6, size / 3), 0, 0, 360, cv::Scalar(900), cv::FILLED);
  cv::ellipse(image, cv::Point(size * 7 / 10, size / 2), cv::Size(size / 6, size / 3), 0, 0, 360, cv::Scalar(950), cv::FILLED);
  for (int rib = 0; rib < 8; ++rib) {
    cv::line(image, cv::Point(size / 8, size / 5 + rib * size / 12), cv::Point(size * 7 / 8, size / 4 + rib * size / 12),
             cv::Scalar(3400), 6);
  }
  return image;
}

class XrayCapture : public ::testing::Test {
 protected:
  relais::test::TempDir dir{"relais-xray"};
  fs::path out = dir / "out";
  XrayCaptureRequest request() {
    XrayCaptureRequest r;
    r.options = sampleOptions(out);
    r.options.context.request.specialty = "radiology";
    r.options.context.request.bodySite = "chest";
    return r;
  }
};

TEST_F(XrayCapture, WindowComesFromTheHistogram) {
  cv::Mat ramp(100, 1000, CV_16UC1);
  for (int x = 0; x < 1000; ++x) ramp.col(x).setTo(1000 + x);
  const VoiWindow window = windowFromHistogram(ramp);
  EXPECT_NEAR(window.center, 1500, 10);
  EXPECT_NEAR(window.width, 990, 15);
}

TEST_F(XrayCapture, WithoutABodySiteDxAndFilmAreStillConformant) {
  const fs::path png = dir / "nosite.png";
  ASSERT_TRUE(cv::imwrite(png.string(), detectorImage()));
  XrayCaptureRequest r = request();
  r.options.context.request.bodySite.clear();
  r.detectorImages = {png};
  const CaptureResult result = captureXray(r);
  ASSERT_EQ(result.files.size(), 1u);
  std::string report;
  EXPECT_TRUE(dciodvfyErrors(result.files[0], &report).empty()) << report;
  const std::string dump = dcmdump(result.files[0]);
  EXPECT_NE(dump.find("(0020,0062) CS [U]"), std::string::npos) << dump;
  EXPECT_EQ(dump.find("(0020,0060)"), std::string::npos) << dump;
}

TEST_F(XrayCapture, SixteenBitPngAndTiffBecomeDxForPresentation) {
  const cv::Mat image = detectorImage();
  const fs::path png = dir / "chest.png", tiff = dir / "chest.tif";
  ASSERT_TRUE(cv::imwrite(png.string(), image));
  ASSERT_TRUE(cv::imwrite(tiff.string(), image));
  XrayCaptureRequest r = request();
  r.detectorImages = {png, tiff};
  const CaptureResult result = captureXray(r);
  ASSERT_EQ(result.files.size(), 2u);
  for (const auto& file : result.files) {
    std::string report;
    EXPECT_TRUE(dciodvfyErrors(file, &report).empty()) << report;
    const std::string dump = dcmdump(file);
    for (const char* expected : {"=DigitalXRayImageStorageForPresentation", "(0008,0060) CS [DX]",
                                 "(0008,0068) CS [FOR PRESENTATION]", "(0028,0101) US 12", "(0028,1050) DS [",
                                 "(0020,0062) CS [U]", "(0008,0100) SH [51185008]", "(0032,1060) LO [radiology]"}) {
      EXPECT_NE(dump.find(expected), std::string::npos) << "missing " << expected << "\n" << dump;
    }
    const StoredValues stored = storedValues(file);
    EXPECT_EQ(stored.transferSyntax, "1.2.840.10008.1.2.4.80") << "grey images travel JPEG-LS lossless";
    ASSERT_EQ(stored.values.type(), CV_16UC1);
    EXPECT_EQ(cv::norm(stored.values, image, cv::NORM_INF), 0) << "detector values must be kept exactly";
    EXPECT_NE(dump.find("(0028,2110) CS [00]"), std::string::npos) << dump;
    DcmFileFormat format;
    ASSERT_TRUE(format.loadFile(file.c_str()).good());
    Float64 center = 0, width = 0;
    format.getDataset()->findAndGetFloat64(DCM_WindowCenter, center);
    format.getDataset()->findAndGetFloat64(DCM_WindowWidth, width);
    EXPECT_GT(center - width / 2, -1);   // the window starts at the dark end...
    EXPECT_LT(center + width / 2, 3500);  // ...and ends at the ribs
    EXPECT_GT(width, 2500);
  }
}

// A 2048x2048 12-bit detector image (8.4 MB of pixels) with noise like a real one's: JPEG-LS
// keeps every value and sends well under the native size.
TEST_F(XrayCapture, LargeDetectorImageIsStoredLosslesslyInFewerBytes) {
  cv::Mat image = detectorImage(2048);
  cv::Mat noise(image.size(), CV_16SC1);
  cv::randn(noise, 0, 20);
  cv::Mat noisy;
  image.convertTo(noisy, CV_32S);
  noise.convertTo(noise, CV_32S);
  noisy += noise;
  noisy.setTo(0, noisy < 0);
  noisy.convertTo(image, CV_16U);
  const fs::path png = dir / "large.png";
  ASSERT_TRUE(cv::imwrite(png.string(), image));
  XrayCaptureRequest r = request();
  r.detectorImages = {png};
  const CaptureResult result = captureXray(r);
  ASSERT_EQ(result.files.size(), 1u);
  const auto bytes = fs::file_size(result.files[0]);
  EXPECT_LT(bytes, image.total() * 2 * 6 / 10) << "a 12-bit DX should shrink to less than 60 % losslessly";
  std::string report;
  EXPECT_TRUE(dciodvfyErrors(result.files[0], &report).empty()) << report;
  const StoredValues stored = storedValues(result.files[0]);
  EXPECT_EQ(stored.transferSyntax, "1.2.840.10008.1.2.4.80");
  EXPECT_EQ(cv::norm(stored.values, image, cv::NORM_INF), 0);
  EXPECT_NE(dcmdump(result.files[0]).find("(0028,2110) CS [00]"), std::string::npos);
}

TEST_F(XrayCapture, EightBitImageIsNotADetectorImage) {
  const fs::path png = dir / "photo.png";
  ASSERT_TRUE(cv::imwrite(png.string(), uprightPattern(1024, 1024)));
  XrayCaptureRequest r = request();
  r.detectorImages = {png};
  try {
    captureXray(r);
    FAIL() << "accepted an 8-bit image as a detector image";
  } catch (const CaptureError& e) {
    EXPECT_NE(std::string(e.what()).find("X-ray 1 (photo.png): "), std::string::npos) << e.what();
    EXPECT_NE(std::string(e.what()).find("--film"), std::string::npos) << e.what();
  }
  EXPECT_TRUE(filesIn(out).empty());
}

TEST_F(XrayCapture, FilmPhotoBecomesGrayscaleSecondaryCaptureDf) {
  cv::Mat film8;
  detectorImage(1600).convertTo(film8, CV_8U, 255.0 / 4095.0);
  cv::Mat film;
  cv::cvtColor(film8, film, cv::COLOR_GRAY2BGR);
  film = film(cv::Rect(0, 200, 1600, 1200)).clone();
  const fs::path jpg = dir / "film.jpg";
  ExifSpec exif;
  exif.orientation = 3;
  writeFile(jpg.string(), withSegmentAfterSoi(encodeJpeg(storedForOrientation(film, 3)), exifSegment(exif)));
  XrayCaptureRequest r = request();
  r.films = {jpg};
  const CaptureResult result = captureXray(r);
  ASSERT_EQ(result.files.size(), 1u);
  std::string report;
  EXPECT_TRUE(dciodvfyErrors(result.files[0], &report).empty()) << report;
  const std::string dump = dcmdump(result.files[0]);
  for (const char* expected : {"=SecondaryCaptureImageStorage", "(0008,0064) CS [DF]", "(0028,0004) CS [MONOCHROME2]",
                               "(0028,0002) US 1", "(0028,2110) CS [01]", "EXIF orientation 3 applied"}) {
    EXPECT_NE(dump.find(expected), std::string::npos) << "missing " << expected << "\n" << dump;
  }
  EXPECT_EQ(storedValues(result.files[0]).transferSyntax, "1.2.840.10008.1.2.4.80");
  cv::Mat decoded = decodeWithDcmtk(result.files[0]);
  cv::Mat expected;
  cv::cvtColor(film, expected, cv::COLOR_BGR2GRAY);
  cv::cvtColor(decoded, decoded, cv::COLOR_BGR2GRAY);
  EXPECT_LT(cv::norm(decoded, expected, cv::NORM_L1) / expected.total(), 4.0) << "film stored upside down?";
}

}  // namespace
}  // namespace relais::capture::test
