// relais-capture --outbox and relais-capture inbox, through the real executable: a capture
// lands in the unit's outbox as one pending study with the request's priority, a second
// capture with --study-uid grows the same study, a failed capture leaves the outbox as it
// was, and the inbox shows the hub's answers with the patient and specialty of their study.
#include <gtest/gtest.h>

#include <sys/wait.h>
#include <unistd.h>

#include <nlohmann/json.hpp>

#include "CaptureFixture.h"
#include "DicomInspection.h"
#include "TestImages.h"
#include "outbox/Inbox.h"
#include "outbox/Outbox.h"

namespace relais::capture::test {
namespace {
namespace fs = std::filesystem;
using outbox::Priority;

class OutboxCapture : public ::testing::Test {
 protected:
  relais::test::TempDir dir{"relais-outbox-capture"};
  fs::path box = dir / "outbox";

  fs::path photo(const std::string& name, int orientation = 1) {
    ExifSpec exif;
    exif.orientation = orientation;
    const cv::Mat upright = uprightPattern(1024, 768);
    const fs::path path = dir / name;
    writeFile(path.string(), withSegmentAfterSoi(encodeJpeg(storedForOrientation(upright, orientation)), exifSegment(exif)));
    return path;
  }

  static std::string tool(const std::string& arguments) { return std::string(RELAIS_CAPTURE_TOOL) + " " + arguments; }

  std::string session(const std::string& priority) const {
    return " --patient-id PAT-0042 --patient-name DIALLO^Awa --specialty dermatology --unit VAN-07"
           " --question 'Pigmented lesion: melanoma?' --body-site left-forearm --priority " + priority +
           " --config " + quote((fs::path(RELAIS_SOURCE_DIR) / "config" / "capture").string()) +
           " --outbox " + quote(box.string());
  }

  // Runs a photo capture into the outbox; returns the JSON it printed (exit code checked).
  nlohmann::json capture(const std::vector<fs::path>& photos, const std::string& priority = "routine",
                         const std::string& extra = "") {
    std::string command = tool("photo" + session(priority) + " --json" + extra);
    for (const auto& p : photos) command += " " + quote(p.string());
    const CommandOutput run = runCommand(command);
    EXPECT_EQ(run.exitCode, 0) << run.output;
    return nlohmann::json::parse(run.output, nullptr, false);
  }

  // Everything a capture could leave: study rows and files, staged and temporary files.
  std::string outboxSnapshot() {
    outbox::Outbox outbox(box);
    std::string text;
    for (const auto& s : outbox.studies()) {
      text += s.studyInstanceUid + " " + PriorityName(s.priority) + " " + std::to_string(s.pending) + "\n";
    }
    for (const auto& entry : fs::recursive_directory_iterator(box)) {
      const std::string name = entry.path().filename().string();
      if (entry.is_regular_file() && name.rfind("outbox.db", 0) != 0) text += fs::relative(entry.path(), box).string() + "\n";
    }
    return text;
  }
};

TEST_F(OutboxCapture, PhotosLandAsOnePendingStudyWithTheRequestsPriority) {
  const nlohmann::json result = capture({photo("IMG_1.jpg"), photo("IMG_2.jpg", 6)}, "urgent");
  ASSERT_TRUE(result.is_object());
  const std::string study = result.at("studyInstanceUid");
  EXPECT_EQ(result.at("outbox").at("priority"), "urgent");
  EXPECT_EQ(result.at("outbox").at("added"), 2);

  outbox::Outbox outbox(box);
  const auto status = outbox.study(study);
  ASSERT_TRUE(status);
  EXPECT_EQ(status->pending, 2);
  EXPECT_EQ(status->sent, 0);
  EXPECT_EQ(status->priority, Priority::Urgent);
  EXPECT_EQ(status->state(), "waiting");
  const auto pending = outbox.nextPending(10);
  ASSERT_EQ(pending.size(), 2u);
  for (const auto& instance : pending) {
    EXPECT_EQ(instance.studyInstanceUid, study);
    EXPECT_EQ(instance.sopClassUid, "1.2.840.10008.5.1.4.1.1.77.1.4");  // VL Photographic Image
    EXPECT_NE(dcmdump(instance.file).find("(0040,1003) SH [HIGH]"), std::string::npos);
  }
  // The files printed are the outbox's copies; nothing stays in the staging folder.
  ASSERT_EQ(result.at("files").size(), 2u);
  EXPECT_EQ(fs::path(result["files"][0].get<std::string>()), pending[0].file);
  EXPECT_TRUE(filesIn(box / "incoming").empty());
}

TEST_F(OutboxCapture, UrgentStudiesLeaveBeforeRoutineOnes) {
  const std::string routine = capture({photo("IMG_1.jpg")}, "routine").at("studyInstanceUid");
  const std::string urgent = capture({photo("IMG_2.jpg")}, "urgent").at("studyInstanceUid");
  outbox::Outbox outbox(box);
  EXPECT_EQ(outbox.study(routine)->priority, Priority::Routine);
  const auto pending = outbox.nextPending(10);
  ASSERT_EQ(pending.size(), 2u);
  EXPECT_EQ(pending[0].studyInstanceUid, urgent);
  EXPECT_EQ(pending[1].studyInstanceUid, routine);
}

TEST_F(OutboxCapture, ASecondCaptureWithTheStudyUidGrowsTheSameStudy) {
  const std::string study = capture({photo("IMG_1.jpg"), photo("IMG_2.jpg")}).at("studyInstanceUid");
  {
    // The first images went and the hub acknowledged the study, then asked for more.
    outbox::Outbox outbox(box);
    for (const auto& instance : outbox.nextPending(10)) outbox.markSent(instance.sopInstanceUid, "{}");
    outbox.recordManifestAck(study, "{\"case\": 12}");
    ASSERT_EQ(outbox.study(study)->state(), "sent");
  }
  const nlohmann::json more = capture({photo("IMG_3.jpg", 6)}, "routine", " --study-uid " + study);
  EXPECT_EQ(more.at("studyInstanceUid"), study);

  outbox::Outbox outbox(box);
  const auto status = outbox.study(study);
  ASSERT_TRUE(status);
  EXPECT_EQ(status->sent, 2);
  EXPECT_EQ(status->pending, 1);
  EXPECT_EQ(status->state(), "waiting");  // due again, with the full list once sent
  EXPECT_EQ(outbox.instances(study).size(), 3u);
  // The added image repeats the study's date and time, taken from the outbox's copy.
  const auto instances = outbox.instances(study);
  const std::string first = dcmdump(box / "studies" / study / (instances[0].sopInstanceUid + ".dcm"));
  const std::string added = dcmdump(box / "studies" / study / (instances[2].sopInstanceUid + ".dcm"));
  auto line = [](const std::string& dump, const std::string& tag) {
    const auto at = dump.find(tag);
    return at == std::string::npos ? std::string() : dump.substr(at, dump.find('\n', at) - at);
  };
  EXPECT_FALSE(line(first, "(0008,0020)").empty());
  EXPECT_EQ(line(added, "(0008,0020)"), line(first, "(0008,0020)"));
  EXPECT_EQ(line(added, "(0008,0030)"), line(first, "(0008,0030)"));
}

TEST_F(OutboxCapture, AFailedCaptureLeavesTheOutboxUnchanged) {
  const std::string study = capture({photo("IMG_1.jpg")}).at("studyInstanceUid");
  const std::string before = outboxSnapshot();
  Bytes corrupt = readAll(photo("IMG_bad.jpg"));
  const std::size_t scan = corrupt.size() - scanData(corrupt).size();
  for (std::size_t i = scan + 700; i < scan + 1400; ++i) corrupt[i] = static_cast<std::uint8_t>((i * 37) & 0x7F);
  writeFile((dir / "IMG_bad.jpg").string(), corrupt);

  for (const std::string& extra : {std::string(), " --study-uid " + study}) {
    std::string command = tool("photo" + session("urgent") + extra);
    command += " " + quote(photo("IMG_2.jpg").string()) + " " + quote((dir / "IMG_bad.jpg").string());
    const CommandOutput run = runCommand(command);
    EXPECT_EQ(run.exitCode, 1) << run.output;
    EXPECT_NE(run.output.find("photo 2 (IMG_bad.jpg)"), std::string::npos) << run.output;
    EXPECT_EQ(outboxSnapshot(), before);
  }
  outbox::Outbox outbox(box);
  EXPECT_EQ(outbox.study(study)->priority, Priority::Routine);  // the refused urgent capture changed nothing
}

TEST_F(OutboxCapture, WhatAKilledCaptureStagedIsClearedByTheNextOne) {
  // A capture killed after writing and before enqueueing: its process is gone, its staged
  // file was never enqueued. A live capture's staging folder must not be touched.
  const pid_t dead = fork();
  if (dead == 0) _exit(0);
  ASSERT_GT(dead, 0);
  waitpid(dead, nullptr, 0);
  const fs::path abandoned = box / "incoming" / std::to_string(dead);
  const fs::path live = box / "incoming" / std::to_string(getpid());
  for (const auto& folder : {abandoned, live}) {
    fs::create_directories(folder);
    writeFile((folder / "staged.dcm").string(), Bytes(128, 0));
  }
  const std::string study = capture({photo("IMG_1.jpg")}).at("studyInstanceUid");
  EXPECT_FALSE(fs::exists(abandoned));
  EXPECT_TRUE(fs::exists(live / "staged.dcm"));
  outbox::Outbox outbox(box);
  EXPECT_EQ(outbox.study(study)->pending, 1);
  EXPECT_EQ(outbox.studies().size(), 1u);
}

// What the inbox suggests to answer an information request: the study UID and the images,
// nothing else. The added image must carry the study's patient, request and unit.
TEST_F(OutboxCapture, AnImageAddedByStudyUidAloneKeepsThePatientAndTheRequest) {
  const std::string study = capture({photo("IMG_1.jpg")}, "urgent").at("studyInstanceUid");
  const std::string config = " --config " + quote((fs::path(RELAIS_SOURCE_DIR) / "config" / "capture").string());
  const CommandOutput run = runCommand(tool("ultrasound --outbox " + quote(box.string()) + config + " --study-uid " +
                                            study + " " + quote(photo("US_1.jpg").string())));
  ASSERT_EQ(run.exitCode, 0) << run.output;
  outbox::Outbox outbox(box);
  const auto instances = outbox.instances(study);
  ASSERT_EQ(instances.size(), 2u);
  EXPECT_EQ(outbox.study(study)->priority, Priority::Urgent);
  const fs::path added = box / "studies" / study / (instances[1].sopInstanceUid + ".dcm");
  std::string report;
  EXPECT_TRUE(dciodvfyErrors(added, &report).empty()) << report;
  const std::string dump = dcmdump(added);
  for (const char* expected : {"(0010,0010) PN [DIALLO^Awa]", "(0010,0020) LO [PAT-0042]", "(0008,1010) SH [VAN-07]",
                               "(0032,1060) LO [dermatology]", "(0040,1002) LO [Pigmented lesion: melanoma?]",
                               "(0040,1003) SH [HIGH]", "(0008,0104) LO [Forearm]", "(0008,0060) CS [US]"}) {
    EXPECT_NE(dump.find(expected), std::string::npos) << "missing " << expected;
  }
}

TEST_F(OutboxCapture, AnotherPatientAnUnknownStudyOrAMisspeltSpecialtyIsRefused) {
  const std::string study = capture({photo("IMG_1.jpg")}).at("studyInstanceUid");
  const std::string before = outboxSnapshot();
  const std::string config = " --config " + quote((fs::path(RELAIS_SOURCE_DIR) / "config" / "capture").string());
  const std::string into = " --outbox " + quote(box.string()) + config;
  const std::string image = " " + quote(photo("IMG_2.jpg").string());

  const CommandOutput other = runCommand(tool("photo" + into + " --study-uid " + study + " --patient-id PAT-0099" + image));
  EXPECT_EQ(other.exitCode, 1) << other.output;
  EXPECT_NE(other.output.find("patient ID \"PAT-0099\" was given, but study " + study + " on this unit has patient ID "
                              "\"PAT-0042\""),
            std::string::npos)
      << other.output;

  const CommandOutput unknown = runCommand(tool("xray" + into + " --study-uid 2.25.4242 --film" + image));
  EXPECT_EQ(unknown.exitCode, 1) << unknown.output;
  EXPECT_NE(unknown.output.find("study 2.25.4242 is unknown on this unit: the outbox holds no file of it"),
            std::string::npos)
      << unknown.output;

  const CommandOutput misspelt = runCommand(tool("photo" + into + " --patient-id PAT-7 --specialty dermatolgy" + image));
  EXPECT_EQ(misspelt.exitCode, 1) << misspelt.output;
  EXPECT_NE(misspelt.output.find("unknown specialty \"dermatolgy\": the hub knows dermatology, obstetrics-gynaecology"),
            std::string::npos)
      << misspelt.output;
  EXPECT_EQ(outboxSnapshot(), before);
}

TEST_F(OutboxCapture, WithoutOutOrOutboxItIsAUsageError) {
  const CommandOutput run = runCommand(tool("photo --patient-id P1 " + quote(photo("IMG_1.jpg").string())));
  EXPECT_EQ(run.exitCode, 2) << run.output;
  const CommandOutput both = runCommand(tool("photo" + session("routine") + " --out " + quote((dir / "out").string()) +
                                             " " + quote(photo("IMG_1.jpg").string())));
  EXPECT_EQ(both.exitCode, 2) << both.output;
}

class InboxCommand : public OutboxCapture {
 protected:
  std::string study;
  std::string pdfBytes = "%PDF-1.4\n% Relais test report\n";

  void SetUp() override {
    study = capture({photo("IMG_1.jpg")}).at("studyInstanceUid");
    outbox::Inbox inbox(box);
    inbox.receive({{"id", 7}, {"caseId", 12}, {"kind", "report"}, {"studyInstanceUid", study},
                   {"createdAt", "2026-11-25T10:00:00Z"}, {"message", "Report by Dr KONE: Dermatology"}},
                  {{"report.json", R"({"values": {"diagnosis": "seborrhoeic keratosis"}, "signedAt": "2026-11-25T10:00:00Z",
                                       "author": {"login": "derm1", "name": "Dr KONE", "organization": "CHU"},
                                       "sr": {"orthancId": "d350b60c", "sopClassUid": "1.2.840.10008.5.1.4.1.1.88.33"},
                                       "links": {"pdf": "/relais/v1/cases/12/report.pdf?version=1"}})"},
                   {"report.pdf", pdfBytes}});
    inbox.receive({{"id", 8}, {"caseId", 12}, {"kind", "info-request"}, {"studyInstanceUid", study},
                   {"createdAt", "2026-11-25T11:00:00Z"}, {"message", "Please photograph the lesion closer, with a ruler"}},
                  {});
    inbox.receive({{"id", 9}, {"caseId", 40}, {"kind", "report"}, {"studyInstanceUid", "1.2.3.4"},
                   {"createdAt", "2026-11-25T12:00:00Z"}, {"message", "Report"}},
                  {{"report.pdf", pdfBytes}});
  }

  nlohmann::json list() {
    const CommandOutput run = runCommand(tool("inbox --json --outbox " + quote(box.string())));
    EXPECT_EQ(run.exitCode, 0) << run.output;
    nlohmann::json items = nlohmann::json::parse(run.output, nullptr, false);
    EXPECT_TRUE(items.is_array()) << run.output;
    return items;
  }
  static nlohmann::json byId(const nlohmann::json& items, const std::string& id) {
    for (const auto& item : items) {
      if (item.at("id") == id) return item;
    }
    return nullptr;
  }
};

TEST_F(InboxCommand, ListsTheAnswersWithCasePatientSpecialtyAndState) {
  const nlohmann::json items = list();
  ASSERT_EQ(items.size(), 3u);
  const nlohmann::json report = byId(items, "7");
  ASSERT_TRUE(report.is_object());
  EXPECT_EQ(report.at("caseId"), 12);
  EXPECT_EQ(report.at("kind"), "report");
  EXPECT_EQ(report.at("patient"), "DIALLO Awa (PAT-0042)");
  EXPECT_EQ(report.at("specialty"), "dermatology");
  EXPECT_EQ(report.at("state"), "new");
  EXPECT_EQ(byId(items, "8").at("state"), "new");
  EXPECT_EQ(byId(items, "9").at("patient"), "");  // a study this unit did not send

  const CommandOutput table = runCommand(tool("inbox --outbox " + quote(box.string())));
  EXPECT_EQ(table.exitCode, 0) << table.output;
  for (const char* expected : {"PATIENT", "SPECIALTY", "STATE", "DIALLO Awa (PAT-0042)", "dermatology",
                               "Please photograph the lesion closer", "info-request"}) {
    EXPECT_NE(table.output.find(expected), std::string::npos) << expected << "\n" << table.output;
  }
}

TEST_F(InboxCommand, OpensAReportWithItsPdfAndAnInformationRequestWithItsText) {
  const CommandOutput report = runCommand(tool("inbox open 7 --outbox " + quote(box.string())));
  EXPECT_EQ(report.exitCode, 0) << report.output;
  EXPECT_NE(report.output.find("\n  diagnosis: seborrhoeic keratosis\n"), std::string::npos) << report.output;
  EXPECT_NE(report.output.find("Signed by: Dr KONE, 2026-11-25T10:00:00Z"), std::string::npos) << report.output;
  for (const char* bookkeeping : {"sopClassUid", "orthancId", "links", "login"}) {
    EXPECT_EQ(report.output.find(bookkeeping), std::string::npos) << bookkeeping << "\n" << report.output;
  }
  const std::string marker = "PDF to print: ";
  const auto at = report.output.find(marker);
  ASSERT_NE(at, std::string::npos) << report.output;
  const fs::path pdf = report.output.substr(at + marker.size(), report.output.find('\n', at) - at - marker.size());
  const Bytes stored = readAll(pdf);
  EXPECT_EQ(std::string(stored.begin(), stored.end()), pdfBytes);
  EXPECT_EQ(byId(list(), "7").at("state"), "read");

  const CommandOutput request = runCommand(tool("inbox open 8 --outbox " + quote(box.string())));
  EXPECT_EQ(request.exitCode, 0) << request.output;
  EXPECT_NE(request.output.find("Please photograph the lesion closer, with a ruler"), std::string::npos) << request.output;
  EXPECT_NE(request.output.find("--study-uid " + study), std::string::npos) << request.output;
  EXPECT_EQ(byId(list(), "8").at("state"), "to answer");

  // Answering = capturing more images into the same study.
  capture({photo("IMG_2.jpg")}, "routine", " --study-uid " + study);
  EXPECT_EQ(byId(list(), "8").at("state"), "answered");
}

// The command the nurse is shown to answer a request captures the same kind of images as the
// study: an ultrasound study is answered with `relais-capture ultrasound`.
TEST_F(InboxCommand, AnInformationRequestNamesTheCaptureCommandOfItsStudy) {
  const CommandOutput photoAnswer = runCommand(tool("inbox open 8 --outbox " + quote(box.string())));
  EXPECT_NE(photoAnswer.output.find("relais-capture photo --outbox"), std::string::npos) << photoAnswer.output;
  // The suggested command, run as the nurse would type it (nothing more), adds to the study.
  const std::size_t at = photoAnswer.output.find("relais-capture photo --outbox <outbox> --study-uid " + study);
  ASSERT_NE(at, std::string::npos) << photoAnswer.output;
  std::string suggested = photoAnswer.output.substr(at, photoAnswer.output.find('\n', at) - at);
  suggested.replace(0, std::string("relais-capture").size(), RELAIS_CAPTURE_TOOL);
  suggested.replace(suggested.find("<outbox>"), 8, quote(box.string()));
  suggested.replace(suggested.find("<photos>"), 8, quote(photo("IMG_9.jpg").string()));
  const CommandOutput answered = runCommand(suggested);
  EXPECT_EQ(answered.exitCode, 0) << suggested << "\n" << answered.output;
  EXPECT_EQ(outbox::Outbox(box).instances(study).size(), 2u);

  const CommandOutput us = runCommand(tool("ultrasound" + session("routine") + " --json " + quote(photo("US_1.jpg").string())));
  ASSERT_EQ(us.exitCode, 0) << us.output;
  const std::string usStudy = nlohmann::json::parse(us.output).at("studyInstanceUid");
  outbox::Inbox(box).receive({{"id", 10}, {"caseId", 13}, {"kind", "info-request"}, {"studyInstanceUid", usStudy},
                              {"createdAt", "2026-11-25T13:00:00Z"}, {"message", "Please send the biometry"}},
                             {});
  const CommandOutput usAnswer = runCommand(tool("inbox open 10 --outbox " + quote(box.string())));
  EXPECT_EQ(usAnswer.exitCode, 0) << usAnswer.output;
  EXPECT_NE(usAnswer.output.find("relais-capture ultrasound --outbox <outbox> --study-uid " + usStudy), std::string::npos)
      << usAnswer.output;
}

TEST_F(InboxCommand, FindsTheOutboxThroughTheForwarderConfiguration) {
  const fs::path config = dir / "forward.json";
  writeFile(config.string(), [] {
    const std::string text = R"({"outbox": "outbox", "transport": "http", "hub": {"url": "https://hub.invalid",
                                 "passwordFile": "/nonexistent/unit.password"}})";
    return Bytes(text.begin(), text.end());
  }());
  const CommandOutput run = runCommand(tool("inbox -c " + quote(config.string())));
  EXPECT_EQ(run.exitCode, 0) << run.output;
  EXPECT_NE(run.output.find("DIALLO Awa (PAT-0042)"), std::string::npos) << run.output;
}

TEST_F(InboxCommand, UnknownAnswerOrMissingOutboxAreErrors) {
  const CommandOutput unknown = runCommand(tool("inbox open 99 --outbox " + quote(box.string())));
  EXPECT_EQ(unknown.exitCode, 1) << unknown.output;
  EXPECT_NE(unknown.output.find("no answer 99"), std::string::npos) << unknown.output;
  const CommandOutput nowhere = runCommand(tool("inbox --outbox " + quote((dir / "elsewhere").string())));
  EXPECT_EQ(nowhere.exitCode, 2) << nowhere.output;
  EXPECT_NE(nowhere.output.find("not a unit outbox"), std::string::npos) << nowhere.output;
  EXPECT_FALSE(fs::exists(dir / "elsewhere"));
}

}  // namespace
}  // namespace relais::capture::test
