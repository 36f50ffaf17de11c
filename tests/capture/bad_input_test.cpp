// Unusable input is refused with an error naming the file and the problem, and leaves no
// DICOM file (complete or temporary) behind, even when other photos of the session were fine.
#include <gtest/gtest.h>

#include "CaptureFixture.h"
#include "DicomInspection.h"
#include "TestImages.h"
#include "relais/capture/CaptureError.h"

namespace relais::capture::test {
namespace {
namespace fs = std::filesystem;

class BadInput : public ::testing::Test {
 protected:
  relais::test::TempDir dir{"relais-bad-input"};
  fs::path out = dir / "out";
  Bytes good = encodeJpeg(uprightPattern(1024, 768));

  fs::path file(const std::string& name, const Bytes& bytes) {
    const fs::path path = dir / name;
    writeFile(path.string(), bytes);
    return path;
  }
  // The error message of a session made of a good photo followed by `bad`.
  std::string failure(const fs::path& bad, CaptureOptions options) {
    PhotoCaptureRequest request;
    request.options = std::move(options);
    request.photos = {file("good.jpg", good), bad};
    try {
      capturePhotos(request);
    } catch (const QualityRefused& e) {
      return std::string("quality refusal instead of an input error: ") + e.what();
    } catch (const CaptureError& e) {
      return e.what();
    }
    return "accepted";
  }
  std::string failure(const fs::path& bad) { return failure(bad, sampleOptions(out)); }
};

TEST_F(BadInput, EmptyFile) {
  const std::string why = failure(file("empty.jpg", {}));
  EXPECT_NE(why.find("photo 2 (empty.jpg): the file is empty"), std::string::npos) << why;
  EXPECT_TRUE(filesIn(out).empty());
}

TEST_F(BadInput, TruncatedJpeg) {
  const Bytes cut(good.begin(), good.begin() + static_cast<long>(good.size() * 6 / 10));
  const std::string why = failure(file("cut.jpg", cut));
  EXPECT_NE(why.find("photo 2 (cut.jpg): the JPEG is truncated"), std::string::npos) << why;
  EXPECT_TRUE(filesIn(out).empty());
}

TEST_F(BadInput, CorruptImageData) {
  Bytes corrupt = good;
  const std::size_t scan = corrupt.size() - scanData(corrupt).size();
  for (std::size_t i = scan + 700; i < scan + 1400; ++i) corrupt[i] = static_cast<std::uint8_t>((i * 37) & 0x7F);
  const std::string why = failure(file("corrupt.jpg", corrupt));
  EXPECT_NE(why.find("photo 2 (corrupt.jpg): "), std::string::npos) << why;
  EXPECT_NE(why.find("damaged"), std::string::npos) << why;
  EXPECT_TRUE(filesIn(out).empty());
}

TEST_F(BadInput, UnknownFormat) {
  const std::string text = "this is not an image\n";
  const std::string why = failure(file("notes.jpg", Bytes(text.begin(), text.end())));
  EXPECT_NE(why.find("photo 2 (notes.jpg): unknown image format"), std::string::npos) << why;
  EXPECT_TRUE(filesIn(out).empty());
}

TEST_F(BadInput, AbsurdDimensions) {
  Bytes huge = good;
  for (std::size_t i = 2; i + 8 < huge.size(); ++i) {
    if (huge[i] == 0xFF && huge[i + 1] == 0xC0) {  // SOF0: length(2) precision(1) height(2) width(2)
      huge[i + 5] = 0xFD; huge[i + 6] = 0xE8;  // 65000
      huge[i + 7] = 0xFD; huge[i + 8] = 0xE8;
      break;
    }
  }
  const std::string why = failure(file("huge.jpg", huge));
  EXPECT_NE(why.find("photo 2 (huge.jpg): absurd image dimensions 65000x65000"), std::string::npos) << why;
  EXPECT_TRUE(filesIn(out).empty());
}

TEST_F(BadInput, MissingFile) {
  const std::string why = failure(dir / "nowhere.jpg");
  EXPECT_NE(why.find("nowhere.jpg"), std::string::npos) << why;
  EXPECT_NE(why.find("no such file"), std::string::npos) << why;
  EXPECT_TRUE(filesIn(out).empty());
}

TEST_F(BadInput, MissingPatientId) {
  CaptureOptions options = sampleOptions(out);
  options.context.patient.id.clear();
  const std::string why = failure(file("ok.jpg", good), options);
  EXPECT_NE(why.find("missing patient ID"), std::string::npos) << why;
  EXPECT_TRUE(filesIn(out).empty());
}

TEST_F(BadInput, UnknownBodySiteListsTheKnownOnes) {
  CaptureOptions options = sampleOptions(out);
  options.context.request.bodySite = "elbowish";
  const std::string why = failure(file("ok.jpg", good), options);
  EXPECT_NE(why.find("unknown body site \"elbowish\""), std::string::npos) << why;
  EXPECT_NE(why.find("forearm"), std::string::npos) << why;
}

TEST_F(BadInput, CommandLineExitsNonZeroNamingTheFile) {
  const fs::path bad = file("empty.jpg", {});
  const CommandOutput run = runCommand(std::string(RELAIS_CAPTURE_TOOL) + " photo --patient-id P1 --config " +
                                       quote((fs::path(RELAIS_SOURCE_DIR) / "config" / "capture").string()) +
                                       " --out " + quote(out.string()) + " " + quote(bad.string()));
  EXPECT_EQ(run.exitCode, 1) << run.output;
  EXPECT_NE(run.output.find("empty.jpg"), std::string::npos) << run.output;
  EXPECT_TRUE(filesIn(out).empty());
  const CommandOutput noPatient = runCommand(std::string(RELAIS_CAPTURE_TOOL) + " photo --out " + quote(out.string()) +
                                             " " + quote(file("ok.jpg", good).string()));
  EXPECT_EQ(noPatient.exitCode, 1) << noPatient.output;
  EXPECT_NE(noPatient.output.find("missing patient ID"), std::string::npos) << noPatient.output;
}

TEST_F(BadInput, ClipFrameRateOutOfRangeIsAUsageError) {
  const fs::path frames = dir / "frames";
  fs::create_directories(frames);
  writeFile((frames / "0001.jpg").string(), good);
  writeFile((frames / "0002.jpg").string(), good);
  for (const char* fps : {"0", "-5", "1e9"}) {
    const CommandOutput run = runCommand(std::string(RELAIS_CAPTURE_TOOL) + " ultrasound --patient-id P1 --config " +
                                         quote((fs::path(RELAIS_SOURCE_DIR) / "config" / "capture").string()) +
                                         " --out " + quote(out.string()) + " --fps " + fps + " --clip " +
                                         quote(frames.string()));
    EXPECT_EQ(run.exitCode, 2) << fps << ": " << run.output;
    EXPECT_NE(run.output.find("--fps"), std::string::npos) << run.output;
    EXPECT_TRUE(filesIn(out).empty()) << fps;
  }
}

}  // namespace
}  // namespace relais::capture::test
