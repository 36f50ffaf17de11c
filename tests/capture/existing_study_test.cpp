// Images added to a study (an information request answered with more pictures) keep the
// study's patient, request and unit, read from one of its files; a flag that names another
// patient is refused naming both IDs; a study the unit does not hold is refused; a misspelt
// specialty is refused with the list of known ones.
#include <gtest/gtest.h>

#include <opencv2/imgcodecs.hpp>

#include "CaptureFixture.h"
#include "DicomInspection.h"
#include "TestImages.h"
#include "relais/capture/CaptureError.h"

namespace relais::capture::test {
namespace {
namespace fs = std::filesystem;

class AddedImages : public ::testing::Test {
 protected:
  relais::test::TempDir dir{"relais-added-images"};
  fs::path out = dir / "out";

  fs::path photo(const std::string& name) {
    const fs::path path = dir / name;
    writeFile(path.string(), encodeJpeg(uprightPattern(1024, 768)));
    return path;
  }

  // The first session: the nurse's full request.
  CaptureResult firstSession(const std::string& question = "") {
    PhotoCaptureRequest request;
    request.options = sampleOptions(out);
    if (!question.empty()) request.options.context.request.question = question;
    request.photos = {photo("first.jpg")};
    return capturePhotos(request);
  }

  // A later session that names only the study (what the inbox's suggested command gives).
  CaptureOptions studyOnly(const std::string& uid) {
    CaptureOptions options;
    options.outputFolder = out;
    options.configFolder = fs::path(RELAIS_SOURCE_DIR) / "config" / "capture";
    options.studyUid = uid;
    return options;
  }

  static std::string line(const std::string& dump, const std::string& tag) {
    const auto at = dump.find(tag);
    return at == std::string::npos ? std::string() : dump.substr(at, dump.find('\n', at) - at);
  }
};

TEST_F(AddedImages, CarryTheStudysPatientRequestUnitAndBodySite) {
  const CaptureResult first = firstSession();
  UltrasoundCaptureRequest later;  // another command, the same rule
  later.options = studyOnly(first.studyInstanceUid);
  later.options.context.operatorName = "KONE^Mariam";
  later.stills = {photo("still.jpg")};
  const CaptureResult added = captureUltrasound(later);
  ASSERT_EQ(added.files.size(), 1u);
  EXPECT_EQ(added.context.request.priority, "urgent");
  std::string report;
  EXPECT_TRUE(dciodvfyErrors(added.files[0], &report).empty()) << report;
  const std::string a = dcmdump(first.files[0]), b = dcmdump(added.files[0]);
  for (const char* tag : {"(0010,0010)", "(0010,0020)", "(0010,0021)", "(0010,0030)", "(0010,0040)", "(0010,21b0)",
                          "(0032,1060)", "(0040,1002)", "(0040,1003)", "(0008,0080)", "(0008,1010)", "(0008,1030)",
                          "(0008,0100)", "(0008,0104)", "(0018,0015)", "(0020,0062)", "(0008,0020)", "(0008,0030)"}) {
    EXPECT_FALSE(line(a, tag).empty()) << tag << " missing from the first image";
    EXPECT_EQ(line(b, tag), line(a, tag)) << tag;
  }
  EXPECT_NE(b.find("(0010,0010) PN [DIALLO^Awa]"), std::string::npos);
  EXPECT_NE(b.find("(0008,1010) SH [VAN-07]"), std::string::npos);
  EXPECT_NE(b.find("(0008,1070) PN [KONE^Mariam]"), std::string::npos) << "the nurse of this session";
}

TEST_F(AddedImages, ALongQuestionComesBackWhole) {
  const std::string question(90, 'q');
  const CaptureResult first = firstSession(question);
  PhotoCaptureRequest later;
  later.options = studyOnly(first.studyInstanceUid);
  later.options.context.request.question = question;  // the same, given again: no conflict
  later.photos = {photo("later.jpg")};
  const CaptureResult added = capturePhotos(later);
  EXPECT_EQ(added.context.request.question, question);
  EXPECT_EQ(added.context.request.history, "No previous skin cancer.");
  EXPECT_EQ(line(dcmdump(added.files[0]), "(0010,21b0)"), line(dcmdump(first.files[0]), "(0010,21b0)"));
}

TEST_F(AddedImages, AnotherPatientIdIsRefusedNamingBothIds) {
  const CaptureResult first = firstSession();
  XrayCaptureRequest later;
  later.options = studyOnly(first.studyInstanceUid);
  later.options.context.patient.id = "PAT-0043";
  const fs::path film = photo("film.jpg");
  later.films = {film};
  const auto before = filesIn(out);
  try {
    captureXray(later);
    FAIL() << "an image of PAT-0043 was added to a study of PAT-0042";
  } catch (const CaptureError& e) {
    const std::string why = e.what();
    EXPECT_NE(why.find("\"PAT-0043\""), std::string::npos) << why;
    EXPECT_NE(why.find("\"PAT-0042\""), std::string::npos) << why;
    EXPECT_NE(why.find(first.studyInstanceUid), std::string::npos) << why;
  }
  EXPECT_EQ(filesIn(out), before);
}

TEST_F(AddedImages, AnotherSpecialtyOrNameIsRefusedToo) {
  const CaptureResult first = firstSession();
  for (const auto& [field, value] : {std::pair<std::string, std::string>{"specialty", "radiology"},
                                     std::pair<std::string, std::string>{"patient name", "DIALLO^Aminata"}}) {
    PhotoCaptureRequest later;
    later.options = studyOnly(first.studyInstanceUid);
    (field == "specialty" ? later.options.context.request.specialty : later.options.context.patient.name) = value;
    later.photos = {photo("later.jpg")};
    try {
      capturePhotos(later);
      FAIL() << field << " " << value << " accepted";
    } catch (const CaptureError& e) {
      EXPECT_NE(std::string(e.what()).find(field + " \"" + value + "\" was given"), std::string::npos) << e.what();
    }
  }
}

TEST_F(AddedImages, AStudyTheUnitDoesNotHoldIsUnknown) {
  PhotoCaptureRequest later;
  later.options = studyOnly("2.25.1234");
  later.photos = {photo("later.jpg")};
  try {
    capturePhotos(later);
    FAIL() << "added to a study nobody knows";
  } catch (const CaptureError& e) {
    EXPECT_NE(std::string(e.what()).find("study 2.25.1234 is unknown on this unit"), std::string::npos) << e.what();
  }
  later.options.studyMustBeKnown = true;  // --outbox: even with a patient ID
  later.options.context.patient.id = "PAT-0042";
  EXPECT_THROW(capturePhotos(later), CaptureError);
  EXPECT_TRUE(filesIn(out).empty());
}

TEST_F(AddedImages, AMisspeltSpecialtyIsRefusedWithTheKnownOnes) {
  PhotoCaptureRequest request;
  request.options = sampleOptions(out);
  request.options.context.request.specialty = "dermatolgy";
  request.photos = {photo("first.jpg")};
  try {
    capturePhotos(request);
    FAIL() << "a misspelt specialty would go to triage";
  } catch (const CaptureError& e) {
    const std::string why = e.what();
    EXPECT_NE(why.find("unknown specialty \"dermatolgy\""), std::string::npos) << why;
    for (const char* known : {"dermatology", "obstetrics-gynaecology", "radiology", "paediatrics"}) {
      EXPECT_NE(why.find(known), std::string::npos) << why;
    }
  }
  EXPECT_TRUE(filesIn(out).empty());
}

}  // namespace
}  // namespace relais::capture::test
