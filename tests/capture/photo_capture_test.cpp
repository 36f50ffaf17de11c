// VL Photographic and Dermoscopic Photography objects from generated camera JPEGs and PNGs.
#include <gtest/gtest.h>

#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>

#include "CaptureFixture.h"
#include "DicomInspection.h"
#include "JpegReference.h"
#include "TestImages.h"
#include "relais/capture/CaptureError.h"
#include "relais/capture/JpegOrientation.h"

namespace relais::capture::test {
namespace {
namespace fs = std::filesystem;

class PhotoCapture : public ::testing::Test {
 protected:
  relais::test::TempDir dir{"relais-capture"};
  fs::path out = dir / "out";

  fs::path cameraJpeg(const std::string& name, const ExifSpec& exif, int width = 1024, int height = 768) {
    const cv::Mat upright = uprightPattern(width, height);
    const Bytes jpeg = withSegmentAfterSoi(encodeJpeg(storedForOrientation(upright, exif.orientation)), exifSegment(exif));
    const fs::path path = dir / name;
    writeFile(path.string(), jpeg);
    return path;
  }

  CaptureResult capture(const std::vector<fs::path>& photos, bool dermoscopy = false, bool accept = false) {
    PhotoCaptureRequest request;
    request.options = sampleOptions(out);
    request.options.acceptQualityWarnings = accept;
    request.photos = photos;
    request.dermoscopy = dermoscopy;
    return capturePhotos(request);
  }
};

TEST_F(PhotoCapture, WithoutABodySiteEveryKindIsStillConformantWithLateralityLeftOpen) {
  for (const bool dermoscopy : {false, true}) {
    PhotoCaptureRequest request;
    request.options = sampleOptions(out / (dermoscopy ? "dms" : "vl"));
    request.options.context.request.bodySite.clear();
    request.photos = {cameraJpeg(dermoscopy ? "dms.jpg" : "vl.jpg", {})};
    request.dermoscopy = dermoscopy;
    const CaptureResult result = capturePhotos(request);
    ASSERT_EQ(result.files.size(), 1u);
    std::string report;
    EXPECT_TRUE(dciodvfyErrors(result.files[0], &report).empty()) << report;
    const std::string dump = dcmdump(result.files[0]);
    EXPECT_NE(dump.find("(0020,0060) CS (no value available)"), std::string::npos) << dump;
    EXPECT_EQ(dump.find("AnatomicRegionSequence"), std::string::npos);
  }
}

TEST_F(PhotoCapture, CameraJpegIsConformantVlPhotographicWithRequestAttributes) {
  const CaptureResult result = capture({cameraJpeg("IMG_0001.jpg", {})});
  ASSERT_EQ(result.files.size(), 1u);
  std::string report;
  EXPECT_TRUE(dciodvfyErrors(result.files[0], &report).empty()) << report;
  const std::string dump = dcmdump(result.files[0]);
  for (const char* expected :
       {"(0008,0016) UI =VLPhotographicImageStorage", "(0008,0060) CS [XC]", "(0010,0020) LO [PAT-0042]",
        "(0010,0021) LO [CS-KAYES]", "(0010,0010) PN [DIALLO^Awa]", "(0008,1010) SH [VAN-07]",
        "(0008,0080) LO [Mobile unit 7 Kayes]", "(0008,1070) PN [TRAORE^Fatou]",
        "(0032,1060) LO [dermatology]", "(0040,1002) LO [Pigmented lesion growing for 3 months: melanoma?]",
        "(0040,1003) SH [HIGH]", "(0010,21b0) LT [No previous skin cancer.]", "(0008,0100) SH [14975008]",
        "(0008,0102) SH [SCT]", "(0008,0100) SH [7771000]", "(0020,0062) CS [L]", "(0008,0070) LO [TestCam]",
        "(0008,1090) LO [TC-1]", "(0008,002a) DT [20261120143507]", "(0028,2110) CS [01]",
        "(0028,2114) CS [ISO_10918_1]", "(0002,0010) UI =JPEGBaseline", "(0028,0004) CS [YBR_FULL_422]",
        "(0020,000d) UI [" }) {
    EXPECT_NE(dump.find(expected), std::string::npos) << "missing " << expected << "\n" << dump;
  }
  EXPECT_NE(dump.find(result.studyInstanceUid), std::string::npos);
}

TEST_F(PhotoCapture, AnUprightCameraJpegKeepsItsPixelsAndGainsARestartEveryMcuRowForTheHub) {
  const fs::path input = cameraJpeg("IMG_0002.jpg", {});  // 1024x768, 4:2:0: 64 x 48 MCUs
  const CaptureResult result = capture({input});
  const Bytes stored = firstFragment(result.files[0]);
  EXPECT_EQ(differingPixels(decodeExactly(stored), decodeExactly(readAll(input))), 0);
  const RestartLayout layout = restartLayout(stored);
  EXPECT_EQ(layout.interval, 64);
  EXPECT_EQ(layout.markers, 47);
  EXPECT_FALSE(contains(stored, Bytes{0xFF, 0xE1})) << "EXIF still in the stored JPEG";
  const std::string dump = dcmdump(result.files[0]);
  EXPECT_NE(dump.find("(0008,0008) CS [ORIGINAL\\PRIMARY]"), std::string::npos) << "no pixel value changed";
  EXPECT_NE(dump.find("re-coded losslessly as baseline JPEG with restart markers every MCU row"), std::string::npos)
      << dump;
  EXPECT_EQ(dump.find("EXIF orientation"), std::string::npos) << "nothing was turned";
  // One lossy step, the camera's: a lossless re-code adds no second method or ratio.
  EXPECT_NE(dump.find("(0028,2110) CS [01]"), std::string::npos);
  EXPECT_NE(dump.find("(0028,2114) CS [ISO_10918_1]"), std::string::npos) << dump;
  EXPECT_EQ(dump.find("ISO_10918_1\\"), std::string::npos) << dump;
  std::string report;
  EXPECT_TRUE(dciodvfyErrors(result.files[0], &report).empty()) << report;
}

TEST_F(PhotoCapture, ATurnedCameraJpegHasTheTurnedPixelsAndARestartEveryMcuRow) {
  ExifSpec exif;
  exif.orientation = 6;
  const fs::path input = cameraJpeg("IMG_0003.jpg", exif);  // stored 768x1024, upright 1024x768
  const CaptureResult result = capture({input});
  const Bytes stored = firstFragment(result.files[0]);
  // A perfect turn: exactly the pixels of libjpeg-turbo's lossless turn (what was stored
  // before the restarts), and the camera's decoded pixels turned within 2 levels: the inverse
  // DCT and the chroma upsampling round along rows first, so decoding does not commute with
  // a turn to the last bit.
  const Bytes camera = readAll(input);
  const cv::Mat pixels = decodeExactly(stored);
  EXPECT_EQ(differingPixels(pixels, decodeExactly(referenceTransform(camera, 6))), 0);
  const cv::Mat turnedAfter = orientPixels(decodeExactly(camera), 6);
  ASSERT_EQ(pixels.size(), turnedAfter.size());
  EXPECT_LE(cv::norm(pixels, turnedAfter, cv::NORM_INF), 2.0);
  const RestartLayout layout = restartLayout(stored);
  EXPECT_EQ(layout.interval, 64);
  EXPECT_EQ(layout.markers, 47);
  const std::string dump = dcmdump(result.files[0]);
  EXPECT_NE(dump.find("EXIF orientation 6 applied in the JPEG DCT domain, re-coded losslessly"), std::string::npos)
      << dump;
  EXPECT_NE(dump.find("(0028,2114) CS [ISO_10918_1]"), std::string::npos) << dump;
  std::string report;
  EXPECT_TRUE(dciodvfyErrors(result.files[0], &report).empty()) << report;
}

TEST_F(PhotoCapture, AnUprightGrayJpegOfOddSizeGainsARestartEveryMcuRow) {
  cv::Mat gray;
  cv::cvtColor(uprightPattern(1001, 601), gray, cv::COLOR_BGR2GRAY);
  std::vector<std::uint8_t> encoded;
  ASSERT_TRUE(cv::imencode(".jpg", gray, encoded));
  const Bytes camera = withSegmentAfterSoi(Bytes(encoded.begin(), encoded.end()), exifSegment({}));
  const fs::path input = dir / "gray.jpg";
  writeFile(input.string(), camera);
  const CaptureResult result = capture({input});
  const Bytes stored = firstFragment(result.files[0]);
  EXPECT_EQ(differingPixels(decodeExactly(stored), decodeExactly(camera)), 0);
  const RestartLayout layout = restartLayout(stored);
  EXPECT_EQ(layout.interval, 126);  // ceil(1001 / 8): one 8x8 block per MCU
  EXPECT_EQ(layout.markers, 75);    // ceil(601 / 8) - 1
  const std::string dump = dcmdump(result.files[0]);
  EXPECT_NE(dump.find("(0028,0004) CS [MONOCHROME2]"), std::string::npos) << dump;
  std::string report;
  EXPECT_TRUE(dciodvfyErrors(result.files[0], &report).empty()) << report;
}

TEST_F(PhotoCapture, ACameraJpegThatAlreadyRestartsEveryMcuRowIsStoredAsItCame) {
  // The JPEG relais-capture stored is itself such a JPEG: captured again, it passes through.
  const CaptureResult first = capture({cameraJpeg("IMG_0004.jpg", {})});
  const Bytes rowRestarts = firstFragment(first.files[0]);
  const fs::path input = dir / "again.jpg";
  writeFile(input.string(), withSegmentAfterSoi(rowRestarts, exifSegment({})));
  PhotoCaptureRequest again;
  again.options = sampleOptions(out / "again");
  again.photos = {input};
  const CaptureResult result = capturePhotos(again);
  EXPECT_EQ(scanData(firstFragment(result.files[0])), scanData(rowRestarts));
  const std::string dump = dcmdump(result.files[0]);
  EXPECT_EQ(dump.find("(0008,2111)"), std::string::npos) << "kept as it came: no derivation to tell";
  std::string report;
  EXPECT_TRUE(dciodvfyErrors(result.files[0], &report).empty()) << report;
}

TEST_F(PhotoCapture, GpsAndExifNeverReachTheOutput) {
  ExifSpec exif;
  exif.gps = true;
  exif.orientation = 6;
  const fs::path rotated = cameraJpeg("IMG_GPS_6.jpg", exif);
  exif.orientation = 1;
  const fs::path straight = cameraJpeg("IMG_GPS_1.jpg", exif);
  ASSERT_TRUE(contains(readAll(straight), gpsLatitudeBlob()));
  const CaptureResult result = capture({rotated, straight});
  ASSERT_EQ(result.files.size(), 2u);
  const Bytes exifHeader{'E', 'x', 'i', 'f', 0, 0};
  for (const auto& file : result.files) {
    const Bytes bytes = readAll(file);
    EXPECT_FALSE(contains(bytes, gpsLatitudeBlob())) << file;
    EXPECT_FALSE(contains(bytes, exifHeader)) << file;
    EXPECT_FALSE(contains(bytes, Bytes{0xFF, 0xE1})) << file << " still holds an APP1 marker";
  }
}

TEST_F(PhotoCapture, EveryExifOrientationEndsUpright) {
  const cv::Mat upright = uprightPattern(1024, 768);
  for (int orientation = 1; orientation <= 8; ++orientation) {
    SCOPED_TRACE("orientation " + std::to_string(orientation));
    ExifSpec exif;
    exif.orientation = orientation;
    const fs::path folder = out / std::to_string(orientation);
    PhotoCaptureRequest request;
    request.options = sampleOptions(folder);
    request.photos = {cameraJpeg("o" + std::to_string(orientation) + ".jpg", exif)};
    const CaptureResult result = capturePhotos(request);
    std::string why;
    EXPECT_TRUE(looksUpright(decodeWithDcmtk(result.files[0]), upright, &why)) << why;
    std::string report;
    EXPECT_TRUE(dciodvfyErrors(result.files[0], &report).empty()) << report;
    const std::string dump = dcmdump(result.files[0]);
    if (orientation > 1) {
      EXPECT_NE(dump.find("losslessly"), std::string::npos) << "1024x768 is MCU-aligned: no re-encode expected";
    }
  }
}

TEST_F(PhotoCapture, UnalignedRotationFallsBackToAReencodeThatIsRecorded) {
  const cv::Mat upright = uprightPattern(1000, 750);  // not a multiple of the 16-pixel MCU
  ExifSpec exif;
  exif.orientation = 6;
  const CaptureResult result = capture({cameraJpeg("odd.jpg", exif, 1000, 750)});
  std::string why;
  EXPECT_TRUE(looksUpright(decodeWithDcmtk(result.files[0]), upright, &why)) << why;
  const std::string dump = dcmdump(result.files[0]);
  EXPECT_NE(dump.find("re-encoding with the camera's own quantization tables"), std::string::npos);
  // About the camera's bytes, not twice them as a re-encode at quality 95 gave.
  const double ratio = static_cast<double>(firstFragment(result.files[0]).size()) /
                       static_cast<double>(fs::file_size(dir / "odd.jpg"));
  EXPECT_LT(ratio, 1.15);
  EXPECT_NE(dump.find("(0008,0008) CS [DERIVED\\PRIMARY]"), std::string::npos);
  EXPECT_NE(dump.find("(0028,2114) CS [ISO_10918_1\\ISO_10918_1]"), std::string::npos);
  std::string report;
  EXPECT_TRUE(dciodvfyErrors(result.files[0], &report).empty()) << report;
}

TEST_F(PhotoCapture, OddSizedPhotosInEveryOrientationAreStoredUprightAtAboutTheirOwnSize) {
  const cv::Mat upright = uprightPattern(1001, 749);
  std::vector<fs::path> photos;
  for (int orientation = 2; orientation <= 8; ++orientation) {
    ExifSpec exif;
    exif.orientation = orientation;
    photos.push_back(cameraJpeg("odd-" + std::to_string(orientation) + ".jpg", exif, 1001, 749));
  }
  const CaptureResult result = capture(photos);
  ASSERT_EQ(result.files.size(), photos.size());
  for (std::size_t i = 0; i < photos.size(); ++i) {
    const std::string what = photos[i].filename().string();
    std::string why;
    EXPECT_TRUE(looksUpright(decodeWithDcmtk(result.files[i]), upright, &why)) << what << ": " << why;
    std::string report;
    EXPECT_TRUE(dciodvfyErrors(result.files[i], &report).empty()) << what << ": " << report;
    const std::string dump = dcmdump(result.files[i]);
    EXPECT_NE(dump.find("(0028,2110) CS [01]"), std::string::npos) << what;
    const double ratio = static_cast<double>(firstFragment(result.files[i]).size()) /
                         static_cast<double>(fs::file_size(photos[i]));
    EXPECT_LT(ratio, 1.15) << what;
  }
}

TEST_F(PhotoCapture, RgbCodedJpegIsLabelledRgbAndDecodesToTheRightColours) {
  const cv::Mat upright = uprightPattern(1024, 768);
  const fs::path input = dir / "rgb.jpg";
  writeFile(input.string(), encodeRgbJpeg(upright));
  const CaptureResult result = capture({input});
  const std::string dump = dcmdump(result.files[0]);
  EXPECT_NE(dump.find("(0028,0004) CS [RGB]"), std::string::npos) << dump;
  EXPECT_NE(dump.find("(0028,2110) CS [01]"), std::string::npos) << "it was JPEG-compressed once";
  std::string why;
  EXPECT_TRUE(looksUpright(decodeWithDcmtk(result.files[0]), upright, &why)) << why;
  std::string report;
  EXPECT_TRUE(dciodvfyErrors(result.files[0], &report).empty()) << report;
}

TEST_F(PhotoCapture, PngPhotoIsStoredLosslessly) {
  const cv::Mat upright = uprightPattern(1024, 768);
  const fs::path input = dir / "photo.png";
  ASSERT_TRUE(cv::imwrite(input.string(), upright));
  const CaptureResult result = capture({input});
  const cv::Mat decoded = decodeWithDcmtk(result.files[0]);
  EXPECT_EQ(cv::norm(decoded, upright, cv::NORM_INF), 0.0);
  std::string report;
  EXPECT_TRUE(dciodvfyErrors(result.files[0], &report).empty()) << report;
  EXPECT_NE(dcmdump(result.files[0]).find("(0028,2110) CS [00]"), std::string::npos);
}

TEST_F(PhotoCapture, DermatoscopeImageIsConformantDermoscopicPhotography) {
  const CaptureResult result = capture({cameraJpeg("derm.jpg", {})}, true);
  std::string report;
  EXPECT_TRUE(dciodvfyErrors(result.files[0], &report).empty()) << report;
  const std::string dump = dcmdump(result.files[0]);
  EXPECT_NE(dump.find("(0008,0060) CS [DMS]"), std::string::npos);
  EXPECT_TRUE(dump.find("1.2.840.10008.5.1.4.1.1.77.1.7") != std::string::npos ||
              dump.find("=DermoscopicPhotographyImageStorage") != std::string::npos)
      << dump;
}

TEST_F(PhotoCapture, OnePhotoSessionIsOneStudyAndOneSeries) {
  const CaptureResult result = capture({cameraJpeg("a.jpg", {}), cameraJpeg("b.jpg", {}), cameraJpeg("c.jpg", {})});
  ASSERT_EQ(result.files.size(), 3u);
  for (const auto& file : result.files) {
    EXPECT_NE(dcmdump(file).find("(0020,000d) UI [" + result.studyInstanceUid + "]"), std::string::npos);
  }
  EXPECT_EQ(result.studyInstanceUid.rfind("2.25.", 0), 0u);
}

TEST_F(PhotoCapture, ImagesAddedToAStudyRepeatItsStudyAttributes) {
  const CaptureResult first = capture({cameraJpeg("first.jpg", {})});
  PhotoCaptureRequest later;
  later.options = sampleOptions(out);
  later.options.studyUid = first.studyInstanceUid;
  later.photos = {cameraJpeg("later.jpg", {})};
  later.dermoscopy = true;
  const CaptureResult second = capturePhotos(later);
  EXPECT_EQ(second.studyInstanceUid, first.studyInstanceUid);
  auto studyTime = [](const std::string& dump) {
    const std::size_t at = dump.find("(0008,0030) TM [");
    return at == std::string::npos ? std::string() : dump.substr(at, 24);
  };
  const std::string a = dcmdump(first.files[0]), b = dcmdump(second.files[0]);
  EXPECT_FALSE(studyTime(a).empty());
  EXPECT_EQ(studyTime(a), studyTime(b));
  // The new series comes after the study's first, with a number of its own.
  EXPECT_NE(a.find("(0020,0011) IS [1]"), std::string::npos) << a;
  EXPECT_NE(b.find("(0020,0011) IS [2]"), std::string::npos) << b;
}

}  // namespace
}  // namespace relais::capture::test
