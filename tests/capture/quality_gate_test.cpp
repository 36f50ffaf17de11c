// The quality gate refuses blurred, burnt-out and too small photos with a reason a nurse
// understands, writes nothing then, and records an explicit override in the DICOM.
#include <gtest/gtest.h>

#include <opencv2/imgproc.hpp>

#include "CaptureFixture.h"
#include "DicomInspection.h"
#include "TestImages.h"
#include "relais/capture/CaptureError.h"

namespace relais::capture::test {
namespace {
namespace fs = std::filesystem;

class QualityGateTest : public ::testing::Test {
 protected:
  relais::test::TempDir dir{"relais-quality"};
  fs::path out = dir / "out";

  fs::path jpeg(const std::string& name, const cv::Mat& image) {
    const fs::path path = dir / name;
    writeFile(path.string(), encodeJpeg(image));
    return path;
  }
  static cv::Mat blurred() {
    cv::Mat image = uprightPattern(1024, 768);
    cv::GaussianBlur(image, image, cv::Size(0, 0), 8);
    return image;
  }
  static cv::Mat overExposed() {
    cv::Mat image(768, 1024, CV_8UC3, cv::Scalar(255, 255, 255));
    uprightPattern(300, 200).copyTo(image(cv::Rect(0, 0, 300, 200)));
    return image;
  }
  PhotoCaptureRequest request(const std::vector<fs::path>& photos, bool accept = false) {
    PhotoCaptureRequest r;
    r.options = sampleOptions(out);
    r.options.acceptQualityWarnings = accept;
    r.photos = photos;
    return r;
  }
  std::string refusal(const PhotoCaptureRequest& r) {
    try {
      capturePhotos(r);
    } catch (const QualityRefused& e) {
      return e.what();
    }
    return "not refused";
  }
};

TEST_F(QualityGateTest, SharpnessSeparatesSharpFromBlurredAtTheAnalysisSize) {
  const QualityThresholds none;
  const cv::Mat sharp = analysisImage(uprightPattern(2048, 1536));
  const cv::Mat soft = analysisImage(blurred());
  EXPECT_EQ(std::max(sharp.cols, sharp.rows), kAnalysisEdge);
  const double sharpScore = assessQuality(sharp, 2048, 1536, none).sharpness;
  const double softScore = assessQuality(soft, 1024, 768, none).sharpness;
  EXPECT_GT(sharpScore, 200);
  EXPECT_LT(softScore, 20);
}

TEST_F(QualityGateTest, BlurredPhotoIsRefusedWithItsReasonAndNothingIsWritten) {
  const std::string why = refusal(request({jpeg("sharp.jpg", uprightPattern(1024, 768)), jpeg("IMG_blur.jpg", blurred())}));
  EXPECT_NE(why.find("photo 2 (IMG_blur.jpg) is blurred"), std::string::npos) << why;
  EXPECT_NE(why.find("hold the phone still"), std::string::npos) << why;
  EXPECT_TRUE(filesIn(out).empty()) << "a refused session must leave no file, not even the good photo";
}

TEST_F(QualityGateTest, OverExposedPhotoIsRefusedWithItsReason) {
  const std::string why = refusal(request({jpeg("IMG_white.jpg", overExposed())}));
  EXPECT_NE(why.find("photo 1 (IMG_white.jpg) is over-exposed"), std::string::npos) << why;
  EXPECT_NE(why.find("direct sunlight"), std::string::npos) << why;
  EXPECT_EQ(why.find("blurred"), std::string::npos) << "no sharpness verdict on a burnt-out picture: " << why;
  EXPECT_TRUE(filesIn(out).empty());
}

TEST_F(QualityGateTest, DarkAndTinyPhotosAreRefused) {
  cv::Mat dark = uprightPattern(1024, 768) / 8;
  EXPECT_NE(refusal(request({jpeg("dark.jpg", dark)})).find("is too dark"), std::string::npos);
  EXPECT_NE(refusal(request({jpeg("tiny.jpg", uprightPattern(640, 480))})).find("photo 1 (tiny.jpg) is too small: "),
            std::string::npos);
}

TEST_F(QualityGateTest, OverrideStoresThePhotoAndRecordsTheAcceptedWarnings) {
  const CaptureResult result = capturePhotos(request({jpeg("IMG_blur.jpg", blurred())}, true));
  ASSERT_EQ(result.files.size(), 1u);
  const std::string dump = dcmdump(result.files[0]);
  EXPECT_NE(dump.find("(0020,4000) LT [Quality warnings accepted by the operator"), std::string::npos) << dump;
  EXPECT_NE(dump.find("is blurred [sharpness"), std::string::npos) << dump;
  std::string report;
  EXPECT_TRUE(dciodvfyErrors(result.files[0], &report).empty()) << report;
}

TEST_F(QualityGateTest, CommandLineRefusesWithExitCode3AndTheReason) {
  const fs::path photo = jpeg("IMG_blur.jpg", blurred());
  const std::string base = std::string(RELAIS_CAPTURE_TOOL) + " photo --patient-id P1 --config " +
                           quote((fs::path(RELAIS_SOURCE_DIR) / "config" / "capture").string()) + " --out " +
                           quote(out.string()) + " " + quote(photo.string());
  const CommandOutput refused = runCommand(base);
  EXPECT_EQ(refused.exitCode, 3) << refused.output;
  EXPECT_NE(refused.output.find("photo 1 (IMG_blur.jpg) is blurred"), std::string::npos) << refused.output;
  EXPECT_TRUE(filesIn(out).empty());
  const CommandOutput accepted = runCommand(base + " --accept-quality-warnings --json");
  EXPECT_EQ(accepted.exitCode, 0) << accepted.output;
  EXPECT_EQ(filesIn(out).size(), 1u);
  EXPECT_NE(accepted.output.find("\"studyInstanceUid\""), std::string::npos) << accepted.output;
}

}  // namespace
}  // namespace relais::capture::test
