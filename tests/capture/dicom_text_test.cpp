// Text from a camera's EXIF or the command line as a DICOM value (DicomText.h): valid UTF-8
// (Specific Character Set ISO_IR 192), no control characters, one value, within the VR's
// length; and whole objects built from such text pass dciodvfy.
#include <gtest/gtest.h>

#include "CaptureFixture.h"
#include "DicomInspection.h"
#include "TestImages.h"
#include "relais/capture/DicomText.h"

namespace relais::capture::test {
namespace {
namespace fs = std::filesystem;

TEST(DicomText, ControlCharactersBecomeSpacesExceptLineBreaksInFreeText) {
  EXPECT_EQ(dicomText("Canon\x01" "EOS\x7f" "5D", "LO"), "Canon EOS 5D");
  EXPECT_EQ(dicomText("\x1b[31mRed\x1b[0m", "LO"), "[31mRed [0m");
  EXPECT_EQ(dicomText("line one\r\nline\ttwo\x02", "LT"), "line one\r\nline\ttwo");
  EXPECT_EQ(dicomText("a\nb", "SH"), "a b");
  // C1 controls (U+0080..U+009F), whether UTF-8 encoded or stray bytes.
  EXPECT_EQ(dicomText("X\xc2\x9bY", "LO"), "X Y");
  EXPECT_EQ(dicomText("X\x9bY", "LO"), "X Y");
}

TEST(DicomText, BytesThatAreNotUtf8AreReadAsLatin1) {
  EXPECT_EQ(dicomText("Caf\xe9", "LO"), "Caf\xc3\xa9");
  EXPECT_EQ(dicomText("Caf\xc3\xa9", "LO"), "Caf\xc3\xa9");  // already UTF-8: kept
  EXPECT_EQ(dicomText("\xc3", "LO"), "\xc3\x83");            // truncated sequence
  EXPECT_EQ(dicomText("\xed\xa0\x80", "LO"), "\xc3\xad\xc2\xa0");  // a surrogate is not UTF-8: Latin-1, C1 to space
  EXPECT_EQ(dicomText("\xc0\xaf", "LO"), "\xc3\x80\xc2\xaf");  // overlong "/" is not UTF-8
}

TEST(DicomText, OneValueWithinTheVrsLength) {
  EXPECT_EQ(dicomText("Model A\\B", "LO"), "Model A/B");
  EXPECT_EQ(dicomText("a\\b", "LT"), "a\\b");
  EXPECT_EQ(dicomText(std::string(100, 'x'), "LO").size(), 64u);
  EXPECT_EQ(dicomText(std::string(100, 'x'), "SH").size(), 16u);
  EXPECT_EQ(dicomText("  padded  ", "LO"), "padded");
  // Cut on a character boundary: 63 ASCII bytes then a 2-byte character would end at 65.
  const std::string cut = dicomText(std::string(63, 'a') + "\xc3\xa9", "LO");
  EXPECT_EQ(cut, std::string(63, 'a'));
  bool wasCut = false;
  EXPECT_EQ(dicomTextMarkingCut(std::string(70, 'q'), "LO", &wasCut), std::string(61, 'q') + "...");
  EXPECT_TRUE(wasCut);
  EXPECT_EQ(dicomTextMarkingCut("short", "LO", &wasCut), "short");
  EXPECT_FALSE(wasCut);
  // PN: 64 bytes per component group, separators kept.
  EXPECT_EQ(dicomText("DIALLO^Awa", "PN"), "DIALLO^Awa");
  EXPECT_EQ(dicomText(std::string(70, 'A') + "=" + "B", "PN"), std::string(64, 'A') + "=B");
}

// A camera whose EXIF Make and Model carry control bytes and Latin-1, and a nurse's typing
// with a stray control character: the object still passes dciodvfy, the text readable.
TEST(DicomText, ExifAndTypedTextWithControlBytesGiveAConformantObject) {
  relais::test::TempDir dir{"relais-dicom-text"};
  ExifSpec exif;
  exif.make = "Soci\xe9t\xe9\x01Optique\x1f";
  exif.model = "Mod\xe8le\x07X\\2\x7f";
  const fs::path photo = dir / "exif.jpg";
  writeFile(photo.string(), withSegmentAfterSoi(encodeJpeg(uprightPattern(1024, 768)), exifSegment(exif)));
  PhotoCaptureRequest request;
  request.options = sampleOptions(dir / "out");
  request.options.context.patient.name = "DIALLO\x08^Awa";
  request.options.context.institution = "Centre de sant\xe9\x0b Kayes";
  request.options.context.request.question = "L\xe9sion\x1b ?";
  request.options.context.operatorName = "TRAORE^Fatou\x7f";
  request.photos = {photo};
  const CaptureResult result = capturePhotos(request);
  ASSERT_EQ(result.files.size(), 1u);
  std::string report;
  EXPECT_TRUE(dciodvfyErrors(result.files[0], &report).empty()) << report;
  const std::string dump = dcmdump(result.files[0]);
  for (const char* expected : {"(0008,0070) LO [Soci\xc3\xa9t\xc3\xa9 Optique]", "(0008,1090) LO [Mod\xc3\xa8le X/2]",
                               "(0010,0010) PN [DIALLO ^Awa]", "(0008,0080) LO [Centre de sant\xc3\xa9  Kayes]",
                               "(0040,1002) LO [L\xc3\xa9sion  ?]", "(0008,0005) CS [ISO_IR 192]"}) {
    EXPECT_NE(dump.find(expected), std::string::npos) << "missing " << expected << "\n" << dump.substr(0, 3000);
  }
}

}  // namespace
}  // namespace relais::capture::test
