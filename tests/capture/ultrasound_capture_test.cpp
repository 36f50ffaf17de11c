// US Image from screen grabs and US Multi-frame Image from a video file or numbered frames.
#include <gtest/gtest.h>

#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>
#include <opencv2/videoio.hpp>

#include "CaptureFixture.h"
#include "DicomInspection.h"
#include "JpegReference.h"
#include "TestImages.h"
#include "relais/capture/CaptureError.h"

namespace relais::capture::test {
namespace {
namespace fs = std::filesystem;

// A dark sector with speckle and a bright reflector whose column tells the frame index.
cv::Mat ultrasoundFrame(int index, int width = 640, int height = 480) {
  cv::Mat frame(height, width, CV_8UC3, cv::Scalar(0, 0, 0));
  cv::RNG rng(static_cast<std::uint64_t>(index) + 1);
  cv::Mat speckle(height / 2, width / 2, CV_8UC1);
  rng.fill(speckle, cv::RNG::UNIFORM, 20, 120);
  cv::Mat speckleBgr;
  cv::cvtColor(speckle, speckleBgr, cv::COLOR_GRAY2BGR);
  speckleBgr.copyTo(frame(cv::Rect(width / 4, height / 4, width / 2, height / 2)));
  cv::rectangle(frame, cv::Rect(40 + index * 20, 60, 12, 300), cv::Scalar(240, 240, 240), cv::FILLED);
  cv::putText(frame, "ID PAT-0042", cv::Point(10, 30), cv::FONT_HERSHEY_SIMPLEX, 0.8, cv::Scalar(255, 255, 255), 2);
  return frame;
}

// Left edge of the reflector in a decoded frame (first brightest column between rows 100 and 300).
int reflectorColumn(const cv::Mat& bgr) {
  cv::Mat gray;
  cv::cvtColor(bgr, gray, cv::COLOR_BGR2GRAY);
  cv::Mat band = gray(cv::Rect(0, 100, gray.cols, 200));
  cv::Mat columns;
  cv::reduce(band, columns, 0, cv::REDUCE_AVG, CV_32F);
  cv::Point best;
  cv::minMaxLoc(columns, nullptr, nullptr, nullptr, &best);
  return best.x;
}

class UltrasoundCapture : public ::testing::Test {
 protected:
  relais::test::TempDir dir{"relais-us"};
  fs::path out = dir / "out";
  UltrasoundCaptureRequest request() {
    UltrasoundCaptureRequest r;
    r.options = sampleOptions(out);
    r.options.context.request.specialty = "obstetrics-gynaecology";
    r.options.context.request.bodySite = "uterus";
    return r;
  }
};

TEST_F(UltrasoundCapture, ScreenGrabsBecomeConformantUsImagesWithBurnedInAnnotation) {
  const fs::path png = dir / "grab.png";
  ASSERT_TRUE(cv::imwrite(png.string(), ultrasoundFrame(3)));
  const fs::path jpg = dir / "grab.jpg";
  writeFile(jpg.string(), encodeJpeg(ultrasoundFrame(4)));
  UltrasoundCaptureRequest r = request();
  r.stills = {png, jpg};
  const CaptureResult result = captureUltrasound(r);
  ASSERT_EQ(result.files.size(), 2u);
  for (const auto& file : result.files) {
    std::string report;
    EXPECT_TRUE(dciodvfyErrors(file, &report).empty()) << report;
    const std::string dump = dcmdump(file);
    EXPECT_NE(dump.find("=UltrasoundImageStorage"), std::string::npos) << dump;
    EXPECT_NE(dump.find("(0008,0060) CS [US]"), std::string::npos);
    EXPECT_NE(dump.find("(0028,0301) CS [YES]"), std::string::npos);
    EXPECT_NE(dump.find("\\OB\\0001]"), std::string::npos) << dump;
    EXPECT_NE(dump.find("(0032,1060) LO [obstetrics-gynaecology]"), std::string::npos);
  }
  // The JPEG still keeps its pixels and, like a photo, restarts every MCU row for the hub.
  const Bytes stored = firstFragment(result.files[1]);
  EXPECT_EQ(differingPixels(decodeExactly(stored), decodeExactly(readAll(jpg))), 0);
  const RestartLayout layout = restartLayout(stored);
  EXPECT_EQ(layout.interval, layout.mcusPerRow());
  EXPECT_EQ(layout.markers, layout.mcuRows() - 1);
  EXPECT_NE(dcmdump(result.files[1]).find("restart markers every MCU row"), std::string::npos);
}

TEST_F(UltrasoundCapture, VideoClipBecomesMultiframeWithTimingAndJpegFrames) {
  const fs::path video = dir / "clip.avi";
  {
    cv::VideoWriter writer(video.string(), cv::VideoWriter::fourcc('M', 'J', 'P', 'G'), 10, cv::Size(640, 480));
    ASSERT_TRUE(writer.isOpened());
    for (int i = 0; i < 12; ++i) writer.write(ultrasoundFrame(i));
  }
  UltrasoundCaptureRequest r = request();
  r.clips = {video};
  const CaptureResult result = captureUltrasound(r);
  ASSERT_EQ(result.files.size(), 1u);
  std::string report;
  EXPECT_TRUE(dciodvfyErrors(result.files[0], &report).empty()) << report;
  const std::string dump = dcmdump(result.files[0]);
  EXPECT_NE(dump.find("=UltrasoundMultiframeImageStorage"), std::string::npos) << dump;
  EXPECT_NE(dump.find("(0028,0008) IS [12]"), std::string::npos) << dump;
  EXPECT_NE(dump.find("(0018,1063) DS [100]"), std::string::npos) << dump;
  EXPECT_NE(dump.find("(0028,0009) AT (0018,1063)"), std::string::npos) << dump;
  EXPECT_NE(dump.find("(0002,0010) UI =JPEGBaseline"), std::string::npos);
  EXPECT_NE(dump.find("(0028,0301) CS [YES]"), std::string::npos);
  for (int frame : {0, 7, 11}) {
    EXPECT_NEAR(reflectorColumn(decodeWithDcmtk(result.files[0], static_cast<unsigned long>(frame))), 40 + frame * 20, 4)
        << "frame " << frame;
  }
}

TEST_F(UltrasoundCapture, NumberedFramesUseTheGivenRateAndAnnotationCanBeDeclaredAbsent) {
  const fs::path folder = dir / "frames";
  fs::create_directories(folder);
  for (int i = 0; i < 6; ++i) {
    char name[32];
    std::snprintf(name, sizeof name, "frame%03d.png", i);
    ASSERT_TRUE(cv::imwrite((folder / name).string(), ultrasoundFrame(i)));
  }
  UltrasoundCaptureRequest r = request();
  r.clips = {folder};
  r.settings.framesPerSecond = 5;
  r.settings.burnedInAnnotation = false;
  const CaptureResult result = captureUltrasound(r);
  const std::string dump = dcmdump(result.files[0]);
  EXPECT_NE(dump.find("(0028,0008) IS [6]"), std::string::npos) << dump;
  EXPECT_NE(dump.find("(0018,1063) DS [200]"), std::string::npos) << dump;
  EXPECT_NE(dump.find("(0028,0301) CS [NO]"), std::string::npos);
  EXPECT_NEAR(reflectorColumn(decodeWithDcmtk(result.files[0], 5)), 40 + 5 * 20, 4);
  std::string report;
  EXPECT_TRUE(dciodvfyErrors(result.files[0], &report).empty()) << report;
}

TEST_F(UltrasoundCapture, CorruptVideoIsRefusedNamingTheClip) {
  const fs::path video = dir / "broken.avi";
  writeFile(video.string(), Bytes(5000, 0x42));
  UltrasoundCaptureRequest r = request();
  r.clips = {video};
  try {
    captureUltrasound(r);
    FAIL() << "accepted a corrupt video";
  } catch (const CaptureError& e) {
    EXPECT_NE(std::string(e.what()).find("ultrasound clip 1 (broken.avi)"), std::string::npos) << e.what();
  }
  EXPECT_TRUE(filesIn(out).empty());
}

}  // namespace
}  // namespace relais::capture::test
