// GET /relais/v1/instances/{id}/frames/{n}/rendered against a real Orthanc, on objects of
// every kind a unit or a third-party modality sends: 16-bit MONOCHROME2 and MONOCHROME1,
// RGB, PALETTE COLOR, a JPEG Baseline photo, RLE, big-endian, multi-frame.
#include <gtest/gtest.h>

#include <cmath>
#include <memory>
#include <thread>

#include <dcmtk/dcmdata/dcdeftag.h>
#include <dcmtk/dcmdata/dcfilefo.h>
#include <dcmtk/dcmdata/dcitem.h>
#include <dcmtk/dcmdata/dcmetinf.h>
#include <opencv2/imgcodecs.hpp>

#include "TestImages.h"
#include "harness/Files.h"
#include "harness/OrthancServer.h"
#include "harness/TestHub.h"
#include "rendering/JpegCodec.h"

using namespace relais::test;
using relais::rendering::DecodeJpeg;
using relais::rendering::ScalingFactor;

namespace {

class RenderedFrameRoute : public ::testing::Test {
 protected:
  static void SetUpTestSuite() { server_ = std::make_unique<OrthancServer>(HubOptions()); }
  static void TearDownTestSuite() { server_.reset(); }

  // Admin may both upload and render (every route is behind the plugin's role checks).
  HttpClient client() const { return ClientAs(*server_, "admin"); }

  // Stores the file and returns its Orthanc instance id.
  std::string upload(const std::filesystem::path& file) {
    auto answer = client().post("/instances", ReadFile(file), "application/dicom");
    EXPECT_EQ(answer.status, 200) << answer.body;
    return answer.json()["ID"].get<std::string>();
  }

  cv::Mat rendered(const std::string& id, const std::string& query, int frame = 0) {
    auto answer = client().get("/relais/v1/instances/" + id + "/frames/" + std::to_string(frame) + "/rendered" + query);
    EXPECT_EQ(answer.status, 200) << answer.body << server_->log().substr(0, 4000);
    EXPECT_EQ(answer.headers["content-type"], "image/jpeg");
    if (answer.status != 200) return cv::Mat();
    return DecodeJpeg(answer.body, ScalingFactor{1, 1});
  }

  static std::unique_ptr<OrthancServer> server_;
  TempDir dir_{"relais-render"};
};

std::unique_ptr<OrthancServer> RenderedFrameRoute::server_;

int Grey(const cv::Mat& m, int y, int x) {
  return m.channels() == 1 ? m.at<uint8_t>(y, x) : m.at<cv::Vec3b>(y, x)[1];
}

void ExpectRedLeftBlueRight(const cv::Mat& shown) {
  ASSERT_FALSE(shown.empty());
  ASSERT_EQ(shown.channels(), 3);
  const cv::Vec3b left = shown.at<cv::Vec3b>(shown.rows * 3 / 4, shown.cols / 8);
  const cv::Vec3b right = shown.at<cv::Vec3b>(shown.rows * 3 / 4, shown.cols * 7 / 8);
  EXPECT_GT(left[0], 180);
  EXPECT_LT(left[2], 70);
  EXPECT_GT(right[2], 180);
  EXPECT_LT(right[0], 70);
}

}  // namespace

TEST_F(RenderedFrameRoute, Grey16RampIsWindowedToItsRangeAndScaled) {
  WriteGrey16(dir_ / "mono2.dcm", GreyOptions{});
  cv::Mat shown = rendered(upload(dir_ / "mono2.dcm"), "?width=128");
  ASSERT_EQ(shown.cols, 128);
  ASSERT_EQ(shown.rows, 64);
  EXPECT_LT(Grey(shown, 32, 1), 10);
  EXPECT_GT(Grey(shown, 32, 126), 245);
}

TEST_F(RenderedFrameRoute, Monochrome1IsShownInvertedAsTheStandardSays) {
  GreyOptions options;
  options.monochrome1 = true;
  WriteGrey16(dir_ / "mono1.dcm", options);
  cv::Mat shown = rendered(upload(dir_ / "mono1.dcm"), "?width=128");
  ASSERT_FALSE(shown.empty());
  EXPECT_GT(Grey(shown, 32, 1), 245);
  EXPECT_LT(Grey(shown, 32, 126), 10);
}

TEST_F(RenderedFrameRoute, WindowComesFromTheRequestElseTheFile) {
  GreyOptions options;
  options.window = "1024\\512";
  WriteGrey16(dir_ / "windowed.dcm", options);
  const std::string id = upload(dir_ / "windowed.dcm");
  cv::Mat fileWindow = rendered(id, "");
  ASSERT_FALSE(fileWindow.empty());
  EXPECT_GT(Grey(fileWindow, 64, 128), 245);  // 2048 is above the file's window: white
  cv::Mat requestWindow = rendered(id, "?window-center=2048&window-width=4096");
  ASSERT_FALSE(requestWindow.empty());
  EXPECT_NEAR(Grey(requestWindow, 64, 128), 128, 10);
}

TEST_F(RenderedFrameRoute, RgbPaletteAndJpegPhotoKeepTheirColours) {
  WriteRgb(dir_ / "rgb.dcm", 200, 100);
  WritePalette(dir_ / "palette.dcm", 200, 100);
  WriteJpegPhoto(dir_ / "photo.dcm", 1600, 1200);
  ExpectRedLeftBlueRight(rendered(upload(dir_ / "rgb.dcm"), "?width=100"));
  ExpectRedLeftBlueRight(rendered(upload(dir_ / "photo.dcm"), "?width=400"));
  cv::Mat palette = rendered(upload(dir_ / "palette.dcm"), "?width=100");
  ASSERT_EQ(palette.channels(), 3);
  const cv::Vec3b left = palette.at<cv::Vec3b>(25, 10), right = palette.at<cv::Vec3b>(25, 90);
  EXPECT_GT(left[0], 200);   // index 10 -> red
  EXPECT_LT(left[1], 50);
  EXPECT_GT(right[1], 200);  // index 200 -> green
  EXPECT_LT(right[0], 50);
}

TEST_F(RenderedFrameRoute, JpegPhotoIsRenderedAtTheRequestedSize) {
  WriteJpegPhoto(dir_ / "photo.dcm", 1600, 1200);
  const std::string id = upload(dir_ / "photo.dcm");
  for (int width : {64, 200, 401, 1600}) {
    cv::Mat shown = rendered(id, "?width=" + std::to_string(width));
    EXPECT_EQ(shown.cols, width);
    EXPECT_EQ(shown.rows, static_cast<int>(std::lround(width * 0.75)));
  }
  cv::Mat boxed = rendered(id, "?width=1000&height=150");
  EXPECT_EQ(boxed.cols, 200);
  EXPECT_EQ(boxed.rows, 150);
}

TEST_F(RenderedFrameRoute, RleAndBigEndianRenderLikeTheOriginal) {
  // Each transcoded copy from its own object: dcmcrle and dcmconv keep the SOP Instance UID,
  // and Orthanc would take a copy for the instance it already holds (rendering it again).
  WriteGrey16(dir_ / "plain.dcm", GreyOptions{});
  WriteGrey16(dir_ / "plain-for-rle.dcm", GreyOptions{});
  WriteGrey16(dir_ / "plain-for-big.dcm", GreyOptions{});
  Transcode("dcmcrle", "", dir_ / "plain-for-rle.dcm", dir_ / "rle.dcm");
  Transcode("dcmconv", "+tb", dir_ / "plain-for-big.dcm", dir_ / "big.dcm");
  WriteRgb(dir_ / "rgb.dcm", 200, 100);
  Transcode("dcmcrle", "", dir_ / "rgb.dcm", dir_ / "rgb-rle.dcm");
  const std::string plainId = upload(dir_ / "plain.dcm"), rleId = upload(dir_ / "rle.dcm"),
                    bigId = upload(dir_ / "big.dcm");
  ASSERT_NE(plainId, rleId);
  ASSERT_NE(plainId, bigId);
  cv::Mat plain = rendered(plainId, "?width=128");
  cv::Mat rle = rendered(rleId, "?width=128");
  cv::Mat big = rendered(bigId, "?width=128");
  ASSERT_FALSE(plain.empty() || rle.empty() || big.empty());
  EXPECT_EQ(cv::norm(plain, rle, cv::NORM_INF), 0);
  EXPECT_EQ(cv::norm(plain, big, cv::NORM_INF), 0);
  ExpectRedLeftBlueRight(rendered(upload(dir_ / "rgb-rle.dcm"), "?width=100"));
}

// relais-capture stores grey images JPEG-LS lossless (DCMTK's dcmjpls, as dcmcjpls does).
// The plugin reads only native and JPEG Baseline frames itself: a JPEG-LS DX goes through
// Orthanc's own decoder, and must show exactly what the uncompressed original shows.
TEST_F(RenderedFrameRoute, JpegLsLosslessDxRendersLikeTheUncompressedOriginal) {
  // Two objects with the same pixels and their own SOP Instance UIDs (dcmcjpls keeps the UID
  // of a lossless copy, which Orthanc would take for the same instance).
  WriteGrey16(dir_ / "dx.dcm", GreyOptions{});
  WriteGrey16(dir_ / "dx-native.dcm", GreyOptions{});
  Transcode("dcmcjpls", "", dir_ / "dx-native.dcm", dir_ / "dx-jls.dcm");
  const std::string plainId = upload(dir_ / "dx.dcm"), jlsId = upload(dir_ / "dx-jls.dcm");
  ASSERT_NE(plainId, jlsId);
  EXPECT_EQ(client().get("/instances/" + jlsId + "/metadata/TransferSyntax").body, "1.2.840.10008.1.2.4.80");
  for (const char* query : {"?width=128", "?width=256", "?width=128&window-center=2048&window-width=1024"}) {
    cv::Mat plain = rendered(plainId, query);
    cv::Mat jls = rendered(jlsId, query);
    ASSERT_FALSE(plain.empty() || jls.empty()) << query;
    EXPECT_EQ(cv::norm(plain, jls, cv::NORM_INF), 0) << query;
  }
}

// The same through relais-capture itself: a detector image captured as a DX (JPEG-LS) shows
// exactly what a native DX of the same detector values shows, at the same window.
TEST_F(RenderedFrameRoute, ADxCapturedByRelaisCaptureRendersLikeItsDetectorValues) {
  cv::Mat values(512, 512, CV_16UC1);
  for (int x = 0; x < values.cols; ++x) values.col(x).setTo(x * 8);
  ASSERT_TRUE(cv::imwrite((dir_ / "detector.png").string(), values));
  std::string output;
  ASSERT_EQ(RunCommand(std::string(RELAIS_CAPTURE_TOOL) + " xray --patient-id P1 --specialty radiology " +
                           "--accept-quality-warnings --config '" RELAIS_SOURCE_DIR "/config/capture' --out '" +
                           (dir_ / "captured").string() + "' '" + (dir_ / "detector.png").string() + "'",
                       &output),
            0)
      << output;
  std::filesystem::path captured;
  for (const auto& entry : std::filesystem::directory_iterator(dir_ / "captured")) captured = entry.path();
  WriteGrey16(dir_ / "native.dcm", values, GreyOptions{});
  const std::string capturedId = upload(captured), nativeId = upload(dir_ / "native.dcm");
  EXPECT_EQ(client().get("/instances/" + capturedId + "/metadata/TransferSyntax").body, "1.2.840.10008.1.2.4.80");
  const char* query = "?width=256&window-center=2048&window-width=4096";
  cv::Mat fromCapture = rendered(capturedId, query), fromNative = rendered(nativeId, query);
  ASSERT_FALSE(fromCapture.empty() || fromNative.empty());
  EXPECT_EQ(cv::norm(fromCapture, fromNative, cv::NORM_INF), 0);
}

TEST_F(RenderedFrameRoute, EachFrameOfAClipIsItsOwn) {
  WriteRgb(dir_ / "clip.dcm", 160, 120, 5);
  const std::string id = upload(dir_ / "clip.dcm");
  for (int k : {0, 2, 4}) {
    cv::Mat shown = rendered(id, "?width=160", k);
    ASSERT_FALSE(shown.empty());
    EXPECT_NEAR(shown.at<cv::Vec3b>(5, 40)[1], 40 * k, 12) << "frame " << k;
  }
  EXPECT_EQ(client().get("/relais/v1/instances/" + id + "/frames/5/rendered").status, 404);
}

TEST_F(RenderedFrameRoute, AnswersCarryCachingHeadersAndRevalidate) {
  WriteJpegPhoto(dir_ / "photo.dcm", 800, 600);
  const std::string id = upload(dir_ / "photo.dcm");
  const std::string path = "/relais/v1/instances/" + id + "/frames/0/rendered?width=256";
  auto first = client().get(path);
  ASSERT_EQ(first.status, 200);
  const std::string etag = first.headers["etag"];
  ASSERT_FALSE(etag.empty());
  EXPECT_NE(first.headers["cache-control"].find("max-age"), std::string::npos);
  auto second = client().get(path);
  EXPECT_EQ(second.body, first.body);
  EXPECT_EQ(second.headers["etag"], etag);
  auto revalidated = client().get(path, {{"If-None-Match", etag}});
  EXPECT_EQ(revalidated.status, 304);
  EXPECT_TRUE(revalidated.body.empty());
  auto other = client().get("/relais/v1/instances/" + id + "/frames/0/rendered?width=128");
  EXPECT_NE(other.headers["etag"], etag);
}

// Browsers offer gzip with every request; a JPEG gains nothing from it and the hub would
// spend milliseconds per frame on it. JSON answers are still compressed.
TEST_F(RenderedFrameRoute, FramesGoOutUncompressedEvenWhenGzipIsOffered) {
  WriteJpegPhoto(dir_ / "photo.dcm", 800, 600);
  const std::string id = upload(dir_ / "photo.dcm");
  const std::string path = "/relais/v1/instances/" + id + "/frames/0/rendered?width=256";
  const auto plain = client().get(path);
  const auto offered = client().get(path, {{"Accept-Encoding", "gzip, deflate"}});
  ASSERT_EQ(offered.status, 200);
  EXPECT_EQ(offered.headers.count("content-encoding"), 0u);
  EXPECT_EQ(offered.headers.at("content-type"), "image/jpeg");
  EXPECT_EQ(offered.headers.at("etag"), plain.headers.at("etag"));
  EXPECT_EQ(offered.body, plain.body);
  const auto facts = client().get("/relais/v1/instances/" + id + "/rendering", {{"Accept-Encoding", "gzip"}});
  ASSERT_EQ(facts.status, 200);
  EXPECT_EQ(facts.headers.at("content-encoding"), "gzip");
}

TEST_F(RenderedFrameRoute, BadRequestsAreRefusedWithAReason) {
  WriteRgb(dir_ / "rgb.dcm", 20, 10);
  const std::string id = upload(dir_ / "rgb.dcm");
  auto badWidth = client().get("/relais/v1/instances/" + id + "/frames/0/rendered?width=wide");
  EXPECT_EQ(badWidth.status, 400);
  EXPECT_NE(badWidth.body.find("width"), std::string::npos) << badWidth.body;
  EXPECT_EQ(client().get("/relais/v1/instances/" + id + "/frames/x/rendered").status, 400);
  EXPECT_EQ(client().get("/relais/v1/instances/" + id + "/frames/1/rendered").status, 404);
  auto unknown = client().get("/relais/v1/instances/00000000-00000000-00000000-00000000-00000000/frames/0/rendered");
  EXPECT_EQ(unknown.status, 404);
  EXPECT_EQ(client().get("/relais/v1/instances/not-an-id/frames/0/rendered").status, 404);
  // Nothing stored was harmed.
  EXPECT_EQ(client().get("/instances/" + id).status, 200);
}

TEST_F(RenderedFrameRoute, FactsTellTheViewerSizeFramesTimingAndWindow) {
  GreyOptions options;
  WriteGrey16(dir_ / "ramp.dcm", options);  // no window in the file: min..max of the frame
  auto ramp = client().get("/relais/v1/instances/" + upload(dir_ / "ramp.dcm") + "/rendering");
  ASSERT_EQ(ramp.status, 200) << ramp.body;
  auto facts = ramp.json();
  EXPECT_EQ(facts["columns"], 256);
  EXPECT_EQ(facts["rows"], 128);
  EXPECT_EQ(facts["frames"], 1);
  EXPECT_EQ(facts["grey"], true);
  EXPECT_NEAR(facts["window"]["center"].get<double>(), 2048, 1);
  EXPECT_NEAR(facts["window"]["width"].get<double>(), 4096, 1);

  options.window = "1000\\500";
  WriteGrey16(dir_ / "windowed.dcm", options);
  facts = client().get("/relais/v1/instances/" + upload(dir_ / "windowed.dcm") + "/rendering").json();
  EXPECT_EQ(facts["window"]["center"], 1000);
  EXPECT_EQ(facts["window"]["width"], 500);

  WriteRgb(dir_ / "clip.dcm", 64, 48, 6);
  facts = client().get("/relais/v1/instances/" + upload(dir_ / "clip.dcm") + "/rendering").json();
  EXPECT_EQ(facts["frames"], 6);
  EXPECT_EQ(facts["frameTimeMs"], 40);
  EXPECT_EQ(facts["grey"], false);
  EXPECT_TRUE(facts["window"].is_null());
  EXPECT_EQ(client().get("/relais/v1/instances/00000000-00000000-00000000-00000000-00000000/rendering").status, 404);
}

// The calibration for the viewer's measurements, the same whether the route walks the stored
// file itself (little endian) or asks Orthanc for its tags (big endian, not walked here).
TEST_F(RenderedFrameRoute, FactsCarryThePixelCalibration) {
  WriteRgb(dir_ / "us.dcm", 64, 48);
  DcmFileFormat f;
  ASSERT_TRUE(f.loadFile((dir_ / "us.dcm").c_str()).good());
  ASSERT_TRUE(f.loadAllDataIntoMemory().good());
  DcmItem* region = nullptr;
  ASSERT_TRUE(f.getDataset()->findOrCreateSequenceItem(DCM_SequenceOfUltrasoundRegions, region, -2).good());
  region->putAndInsertUint32(DCM_RegionLocationMinX0, 2);
  region->putAndInsertUint32(DCM_RegionLocationMinY0, 3);
  region->putAndInsertUint32(DCM_RegionLocationMaxX1, 60);
  region->putAndInsertUint32(DCM_RegionLocationMaxY1, 44);
  region->putAndInsertUint16(DCM_PhysicalUnitsXDirection, 3);
  region->putAndInsertUint16(DCM_PhysicalUnitsYDirection, 3);
  region->putAndInsertFloat64(DCM_PhysicalDeltaX, 0.02);
  region->putAndInsertFloat64(DCM_PhysicalDeltaY, 0.025);
  ASSERT_TRUE(f.saveFile((dir_ / "us-region.dcm").c_str(), EXS_LittleEndianExplicit).good());
  // Another instance for Orthanc, or it would keep the first one.
  const std::string uid = NewDicomUid();
  f.getDataset()->putAndInsertString(DCM_SOPInstanceUID, uid.c_str());
  f.getMetaInfo()->putAndInsertString(DCM_MediaStorageSOPInstanceUID, uid.c_str());
  ASSERT_TRUE(f.saveFile((dir_ / "us-big.dcm").c_str(), EXS_BigEndianExplicit).good());
  const nlohmann::json expected = {{"x0", 2}, {"y0", 3}, {"x1", 60}, {"y1", 44}, {"mmPerPixelX", 0.2}, {"mmPerPixelY", 0.25}};
  for (const char* name : {"us-region.dcm", "us-big.dcm"}) {
    auto answer = client().get("/relais/v1/instances/" + upload(dir_ / name) + "/rendering");
    ASSERT_EQ(answer.status, 200) << answer.body;
    const auto facts = answer.json();
    ASSERT_EQ(facts["ultrasoundRegions"].size(), 1u) << name << ": " << answer.body;
    for (const auto& [key, value] : expected.items()) {
      EXPECT_NEAR(facts["ultrasoundRegions"][0][key].get<double>(), value.get<double>(), 1e-9) << name << " " << key;
    }
    EXPECT_EQ(facts["pixelSpacing"]["source"], "UltrasoundRegion") << name;
  }

  GreyOptions options;
  WriteGrey16(dir_ / "dx.dcm", options);
  DcmFileFormat dx;
  ASSERT_TRUE(dx.loadFile((dir_ / "dx.dcm").c_str()).good());
  ASSERT_TRUE(dx.loadAllDataIntoMemory().good());
  dx.getDataset()->putAndInsertString(DCM_PixelSpacing, "0.143\\0.15");
  const std::string dxUid = NewDicomUid();
  dx.getDataset()->putAndInsertString(DCM_SOPInstanceUID, dxUid.c_str());
  dx.getMetaInfo()->putAndInsertString(DCM_MediaStorageSOPInstanceUID, dxUid.c_str());
  ASSERT_TRUE(dx.saveFile((dir_ / "dx-spacing.dcm").c_str(), EXS_LittleEndianExplicit).good());
  auto facts = client().get("/relais/v1/instances/" + upload(dir_ / "dx-spacing.dcm") + "/rendering").json();
  EXPECT_EQ(facts["pixelSpacing"], (nlohmann::json{{"row", 0.143}, {"column", 0.15}, {"source", "PixelSpacing"}}));
  EXPECT_TRUE(facts["ultrasoundRegions"].empty());
  facts = client().get("/relais/v1/instances/" + upload(dir_ / "dx.dcm") + "/rendering").json();
  EXPECT_TRUE(facts["pixelSpacing"].is_null());
}

TEST(RenderedFrameRouteJpeg2000, DecodedThroughTheGdcmPluginLikeTheUncompressedOriginal) {
  const std::filesystem::path gdcm = "/usr/share/orthanc/plugins/libOrthancGdcm.so";
  ASSERT_TRUE(std::filesystem::exists(gdcm)) << "Debian's orthanc-gdcm is part of scripts/setup.sh";
  OrthancServerOptions options = HubOptions();
  options.config["Plugins"] = nlohmann::json::array({RELAIS_PLUGIN_PATH, gdcm.string()});
  OrthancServer orthanc(options);
  TempDir dir("relais-j2k");
  WriteGrey16(dir / "plain.dcm", GreyOptions{});
  WriteJpeg2000Grey16(dir / "j2k.dcm", GreyOptions{});
  auto http = ClientAs(orthanc, "admin");
  auto upload = [&](const std::filesystem::path& p) { return http.post("/instances", ReadFile(p), "application/dicom").json()["ID"].get<std::string>(); };
  auto render = [&](const std::string& id) {
    auto answer = http.get("/relais/v1/instances/" + id + "/frames/0/rendered?width=128");
    EXPECT_EQ(answer.status, 200) << answer.body;
    return answer.status == 200 ? DecodeJpeg(answer.body, ScalingFactor{1, 1}) : cv::Mat();
  };
  cv::Mat plain = render(upload(dir / "plain.dcm"));
  cv::Mat j2k = render(upload(dir / "j2k.dcm"));
  ASSERT_FALSE(plain.empty() || j2k.empty());
  EXPECT_LE(cv::norm(plain, j2k, cv::NORM_INF), 8);
}

// A large photo is decoded and its answer encoded in bands on the plugin's helper threads,
// and OpenCV's loops run on them too: Orthanc must still stop cleanly (the workers and
// OpenCV's borrowed backend are torn down before the plugin's code is unloaded).
TEST(RenderedFrameRouteBands, LargePhotosRenderInBandsAndOrthancStillStopsCleanly) {
  OrthancServer orthanc(HubOptions());
  TempDir dir("relais-bands");
  WriteJpegPhoto(dir / "photo.dcm", 2600, 1800);  // 4.7 MP: decoded in two bands at half scale
  auto http = ClientAs(orthanc, "admin");
  const std::string id =
      http.post("/instances", ReadFile(dir / "photo.dcm"), "application/dicom").json()["ID"].get<std::string>();
  auto answer = http.get("/relais/v1/instances/" + id + "/frames/0/rendered?width=1300");
  ASSERT_EQ(answer.status, 200) << answer.body;
  const cv::Mat shown = DecodeJpeg(answer.body, ScalingFactor{1, 1});
  EXPECT_EQ(shown.size(), cv::Size(1300, 900));
  ExpectRedLeftBlueRight(shown);
  if (std::thread::hardware_concurrency() > 1) {
    // Encoded in bands: the restart interval marker (DRI) that joins them.
    EXPECT_NE(answer.body.find(std::string("\xFF\xDD\x00\x04", 4)), std::string::npos);
  }
  EXPECT_EQ(orthanc.stop(20), 0) << orthanc.log().substr(0, 4000);
}

TEST_F(RenderedFrameRoute, OnlyThoseWhoMaySeeTheCaseSeeItsFrames) {
  WriteRgb(dir_ / "nocase.dcm", 20, 10);
  const std::string id = upload(dir_ / "nocase.dcm");
  const std::string path = "/relais/v1/instances/" + id + "/frames/0/rendered";
  EXPECT_EQ(client().get(path).status, 200);                       // admin
  EXPECT_EQ(ClientAs(*server_, "coord").get(path).status, 200);    // coordinator: every case
  auto derm = ClientAs(*server_, "derm1").get(path);               // a study with no case of theirs
  EXPECT_EQ(derm.status, 403) << derm.body;
  EXPECT_EQ(ClientAs(*server_, "derm1").get("/relais/v1/instances/" + id + "/rendering").status, 403);
  EXPECT_EQ(ClientAs(*server_, "nurse07").get(path).status, 403);  // not a viewer role
  EXPECT_EQ(server_->client().get(path).status, 401);              // anonymous
}

// With StorageCompression, Orthanc's files are not readable in place and every frame goes
// through Orthanc's REST API; a hub reading the stored files itself must answer the same bytes.
TEST_F(RenderedFrameRoute, StoredFilesReadInPlaceRenderLikeOrthancsCopies) {
  OrthancServerOptions options = HubOptions();
  options.config["StorageCompression"] = true;
  OrthancServer compressed(options);
  HttpClient viaOrthanc = ClientAs(compressed, "admin");

  GreyOptions grey;
  grey.width = 1500;  // shrunk by more than half: read in strips here, whole through Orthanc
  grey.height = 1100;
  grey.window = "2048\\4096";
  WriteGrey16(dir_ / "grey.dcm", grey);
  WriteRgb(dir_ / "clip.dcm", 320, 240, 3);
  WriteJpegPhoto(dir_ / "photo.dcm", 800, 600);
  const struct {
    const char* file;
    int frame;
    const char* query;
  } cases[] = {{"grey.dcm", 0, "?width=500"},
               // the same block average kept, other window and width
               {"grey.dcm", 0, "?width=480&window-center=1000&window-width=800"},
               {"grey.dcm", 0, "?width=1200&window-center=1000&window-width=800"},
               {"clip.dcm", 2, "?width=200"}, {"photo.dcm", 0, "?width=300"}};
  for (const auto& c : cases) {
    const std::string bytes = ReadFile(dir_ / c.file);
    const std::string inPlace = client().post("/instances", bytes, "application/dicom").json()["ID"];
    const auto stored = viaOrthanc.post("/instances", bytes, "application/dicom");
    ASSERT_EQ(stored.status, 200);
    const std::string path = "/frames/" + std::to_string(c.frame) + "/rendered" + c.query;
    const auto a = client().get("/relais/v1/instances/" + inPlace + path);
    const auto b = viaOrthanc.get("/relais/v1/instances/" + stored.json()["ID"].get<std::string>() + path);
    ASSERT_EQ(a.status, 200) << c.file << a.body;
    ASSERT_EQ(b.status, 200) << c.file << b.body;
    EXPECT_EQ(a.body, b.body) << c.file << c.query;
  }
}
