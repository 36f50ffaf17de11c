// The way back against a scripted hub: answers are fetched with their documents, stored,
// then acknowledged; a lost acknowledgement is repeated on the next pull, nothing fetched twice.
#include "outbox/AnswerPuller.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <fstream>
#include <sstream>

#include "FakeHub.h"
#include "harness/Files.h"
#include "harness/TempDir.h"
#include "outbox/InboxView.h"
#include "outbox/Outbox.h"
#include "outbox/OutboxError.h"

using namespace relais::outbox;
using relais::test::FakeHub;
using relais::test::ReadFile;
using relais::test::TempDir;

namespace {

const char* kInbox = R"([
  {"id": 7, "caseId": 12, "kind": "report", "studyInstanceUid": "1.2.3", "createdAt": "2026-11-25T10:00:00Z",
   "message": "Report ready"},
  {"id": 8, "caseId": 13, "kind": "info-request", "studyInstanceUid": "1.2.4", "createdAt": "2026-11-25T10:05:00Z",
   "message": "Please photograph the lesion closer, with a ruler"}])";

int Count(const std::vector<std::string>& lines, const std::string& line) {
  return static_cast<int>(std::count(lines.begin(), lines.end(), line));
}

}  // namespace

TEST(AnswerPuller, StoresEachAnswerWithItsDocumentsThenAcknowledgesIt) {
  FakeHub hub(FakeHub::Behaviour::Scripted);
  hub.script("GET /relais/v1/inbox", {200, kInbox, "application/json"});
  hub.script("GET /relais/v1/cases/12/report", {200, R"({"diagnosis": "seborrhoeic keratosis", "followUp": "none"})", "application/json"});
  hub.script("GET /relais/v1/cases/12/report.pdf", {200, "%PDF-1.4 fake", "application/pdf"});
  hub.script("POST /relais/v1/inbox/7/ack", {200, "{}", "application/json"});
  hub.script("POST /relais/v1/inbox/8/ack", {503, "{}", "application/json"});
  TempDir dir;
  Inbox inbox(dir / "outbox");
  HubConnection connection(HubSettings{hub.url(), "unit07", "unit07-pass", "", std::chrono::seconds(5)});

  PullResult first = PullAnswers(connection, inbox);
  EXPECT_EQ(first.received, 2);
  EXPECT_EQ(first.acknowledged, 1);
  EXPECT_NE(first.problem.find("answer 8"), std::string::npos) << first.problem;
  auto report = inbox.item("7");
  ASSERT_TRUE(report);
  EXPECT_TRUE(report->acknowledged);
  EXPECT_EQ(report->caseId, 12);
  EXPECT_EQ(ReadFile(report->folder / "report.pdf"), "%PDF-1.4 fake");
  EXPECT_TRUE(std::filesystem::exists(report->folder / "report.json"));
  EXPECT_TRUE(std::filesystem::exists(report->folder / "item.json"));
  EXPECT_FALSE(inbox.item("8")->acknowledged);

  // The hub is well again: only the missing acknowledgement is sent, nothing fetched twice.
  hub.script("POST /relais/v1/inbox/8/ack", {200, "{}", "application/json"});
  PullResult second = PullAnswers(connection, inbox);
  EXPECT_EQ(second.received, 0);
  EXPECT_EQ(second.acknowledged, 1);
  EXPECT_TRUE(second.problem.empty()) << second.problem;
  EXPECT_TRUE(inbox.item("8")->acknowledged);
  const auto lines = hub.requestLines();
  EXPECT_EQ(Count(lines, "GET /relais/v1/cases/12/report.pdf"), 1);
  EXPECT_EQ(Count(lines, "POST /relais/v1/inbox/7/ack"), 1);
  EXPECT_EQ(Count(lines, "POST /relais/v1/inbox/8/ack"), 2);

  std::ostringstream list;
  Outbox outbox(dir / "outbox");
  PrintInbox(inbox, outbox, list);
  EXPECT_NE(list.str().find("Please photograph the lesion closer"), std::string::npos) << list.str();
  EXPECT_NE(list.str().find("Report ready"), std::string::npos) << list.str();
  std::ostringstream opened;
  EXPECT_TRUE(OpenAnswer(inbox, "7", opened, false));
  EXPECT_NE(opened.str().find("diagnosis: seborrhoeic keratosis"), std::string::npos) << opened.str();
  EXPECT_NE(opened.str().find("report.pdf"), std::string::npos) << opened.str();
  EXPECT_TRUE(inbox.item("7")->opened);
  std::ostringstream missing;
  EXPECT_FALSE(OpenAnswer(inbox, "99", missing, false));
}

TEST(AnswerPuller, AReportWhoseDocumentsCannotBeFetchedIsNeitherStoredNorAcknowledged) {
  FakeHub hub(FakeHub::Behaviour::Scripted);
  hub.script("GET /relais/v1/inbox", {200, kInbox, "application/json"});
  hub.script("POST /relais/v1/inbox/8/ack", {200, "{}", "application/json"});
  TempDir dir;
  Inbox inbox(dir / "outbox");
  HubConnection connection(HubSettings{hub.url(), "unit07", "unit07-pass", "", std::chrono::seconds(5)});
  PullResult r = PullAnswers(connection, inbox);
  EXPECT_EQ(r.received, 1);
  EXPECT_FALSE(inbox.has("7"));
  EXPECT_NE(r.problem.find("case 12"), std::string::npos) << r.problem;
  EXPECT_EQ(Count(hub.requestLines(), "POST /relais/v1/inbox/7/ack"), 0);
}

TEST(AnswerPuller, AHubWithoutTheRouteOrLinkIsAProblemNotACrash) {
  FakeHub hub(FakeHub::Behaviour::Scripted);
  TempDir dir;
  Inbox inbox(dir / "outbox");
  HubConnection connection(HubSettings{hub.url(), "", "", "", std::chrono::seconds(5)});
  EXPECT_NE(PullAnswers(connection, inbox).problem.find("HTTP 404"), std::string::npos);
  HubConnection nowhere(HubSettings{"http://127.0.0.1:1", "", "", "", std::chrono::seconds(2)});
  EXPECT_NE(PullAnswers(nowhere, inbox).problem.find("cannot reach the hub"), std::string::npos);
}

TEST(Inbox, RefusesAnIdThatIsNotASafeName) {
  TempDir dir;
  Inbox inbox(dir / "outbox");
  EXPECT_THROW(inbox.receive(nlohmann::json{{"id", "../../x"}, {"kind", "report"}}, {}), OutboxError);
  EXPECT_TRUE(inbox.items().empty());
}

TEST(AnswerPuller, ACutDownloadOfTheReportContinuesFromTheBytesItHas) {
  FakeHub hub(FakeHub::Behaviour::Scripted);
  std::string pdf = "%PDF-1.4 ";
  for (int i = 0; i < 200000; ++i) pdf += static_cast<char>('a' + i % 26);
  hub.script("GET /relais/v1/inbox", {200, kInbox, "application/json"});
  hub.script("GET /relais/v1/cases/12/report", {200, R"({"diagnosis": "naevus"})", "application/json"});
  // The first two answers are cut after 70,000 bytes each.
  hub.scriptRanged("GET /relais/v1/cases/12/report.pdf", pdf, "\"report-12\"", 2, 70000);
  hub.script("POST /relais/v1/inbox/7/ack", {200, "{}", "application/json"});
  hub.script("POST /relais/v1/inbox/8/ack", {200, "{}", "application/json"});
  TempDir dir;
  Inbox inbox(dir / "outbox");
  HubConnection connection(HubSettings{hub.url(), "unit07", "unit07-pass", "", std::chrono::seconds(5)});

  PullResult pulled = PullAnswers(connection, inbox);
  EXPECT_EQ(pulled.received, 2) << pulled.problem;
  auto report = inbox.item("7");
  ASSERT_TRUE(report);
  EXPECT_EQ(ReadFile(report->folder / "report.pdf"), pdf);
  std::vector<std::string> pdfRanges;
  const auto lines = hub.requestLines();
  const auto ranges = hub.ranges();
  for (size_t i = 0; i < lines.size(); ++i) {
    if (lines[i] == "GET /relais/v1/cases/12/report.pdf") pdfRanges.push_back(ranges[i]);
  }
  // Each answer continued from the bytes already there (whole chunks of what came).
  ASSERT_EQ(pdfRanges.size(), 3u) << testing::PrintToString(ranges) << testing::PrintToString(lines);
  EXPECT_EQ(pdfRanges[0], "");
  const auto from = [](const std::string& r) { return r.rfind("bytes=", 0) == 0 ? std::atoll(r.c_str() + 6) : -1; };
  EXPECT_GT(from(pdfRanges[1]), 40000) << testing::PrintToString(ranges) << testing::PrintToString(lines);
  EXPECT_LE(from(pdfRanges[1]), 70000) << pdfRanges[1];
  EXPECT_GT(from(pdfRanges[2]), from(pdfRanges[1]) + 40000) << pdfRanges[2];
  EXPECT_FALSE(std::filesystem::exists(dir / "outbox" / "downloads"  / "case-12-report.pdf.part"));
}

TEST(AnswerPuller, AReportThatChangedIsDownloadedWhole) {
  FakeHub hub(FakeHub::Behaviour::Scripted);
  hub.script("GET /relais/v1/inbox", {200, kInbox, "application/json"});
  hub.script("GET /relais/v1/cases/12/report", {200, R"({"diagnosis": "naevus"})", "application/json"});
  hub.scriptRanged("GET /relais/v1/cases/12/report.pdf", "%PDF-1.4 amended report", "\"report-12-v2\"");
  hub.script("POST /relais/v1/inbox/7/ack", {200, "{}", "application/json"});
  hub.script("POST /relais/v1/inbox/8/ack", {200, "{}", "application/json"});
  TempDir dir;
  Inbox inbox(dir / "outbox");
  // Bytes of an older version, from a pull cut earlier.
  std::filesystem::create_directories(dir / "outbox" / "downloads");
  std::ofstream(dir / "outbox" / "downloads" / "case-12-report.pdf.part") << "%PDF-1.4 first";
  std::ofstream(dir / "outbox" / "downloads" / "case-12-report.pdf.part.etag") << "\"report-12-v1\"\n";
  HubConnection connection(HubSettings{hub.url(), "unit07", "unit07-pass", "", std::chrono::seconds(5)});
  PullResult pulled = PullAnswers(connection, inbox);
  EXPECT_EQ(pulled.received, 2) << pulled.problem;
  EXPECT_EQ(ReadFile(inbox.item("7")->folder / "report.pdf"), "%PDF-1.4 amended report");
}
