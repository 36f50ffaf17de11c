// The whole report loop against a real Orthanc, driven only from outside as the people and
// programs involved would: a nurse of unit VAN-07 captures a photo with relais-capture and sends
// it with relais-forward (account unit07, instances then manifest), the hub routes it, the
// dermatologist claims it over REST; an invalid report changes nothing; a valid one puts a
// Comprehensive SR and an Encapsulated PDF in the study and moves the case to reported;
// `relais-forward pull` brings it into the unit's inbox and acknowledges it (delivered); DCMTK's
// storescp, standing in for the hospital PACS, receives the study with its report; an amendment
// keeps both versions linked and reaches the unit the same way.
#include <gtest/gtest.h>

#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>
#include <thread>


#include "harness/Files.h"
#include "harness/FreePort.h"
#include "harness/HubCases.h"
#include "harness/TestHub.h"
#include "integration/ForwardSetup.h"
#include "integration/ReportSetup.h"
#include "outbox/Inbox.h"

extern char** environ;

using namespace relais::test;
using nlohmann::json;

namespace {

// DCMTK's storescp in the background, storing into a folder, standing in for a hospital PACS.
class StoreScp {
 public:
  explicit StoreScp(const std::filesystem::path& folder, uint16_t port) : folder_(folder), port_(port) {
    std::filesystem::create_directories(folder);
  }
  ~StoreScp() { stop(); }
  void start() {
    std::vector<std::string> args = {"storescp", "--aetitle", "HOSPITALPACS", "--output-directory", folder_.string(),
                                     std::to_string(port_)};
    std::vector<char*> argv;
    for (auto& a : args) argv.push_back(a.data());
    argv.push_back(nullptr);
    if (posix_spawnp(&pid_, "storescp", nullptr, nullptr, argv.data(), environ) != 0) pid_ = -1;
  }
  void stop() {
    if (pid_ <= 0) return;
    kill(pid_, SIGTERM);
    waitpid(pid_, nullptr, 0);
    pid_ = -1;
  }
  // SOP Instance UIDs received so far (storescp names files <modality>.<SOP Instance UID>).
  std::set<std::string> received() const {
    std::set<std::string> uids;
    for (const auto& entry : std::filesystem::directory_iterator(folder_)) {
      const std::string name = entry.path().filename().string();
      auto dot = name.find('.');
      if (dot != std::string::npos) uids.insert(name.substr(dot + 1));
    }
    return uids;
  }

 private:
  std::filesystem::path folder_;
  uint16_t port_;
  pid_t pid_ = -1;
};

template <typename Predicate>
bool WaitFor(Predicate done, int seconds) {
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(seconds);
  while (std::chrono::steady_clock::now() < deadline) {
    if (done()) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  return done();
}

int DciodvfyErrors(const std::string& bytes, const TempDir& dir, const std::string& name, std::string& output) {
  const auto path = dir / name;
  std::ofstream(path, std::ios::binary) << bytes;
  RunCommand("dciodvfy '" + path.string() + "'", &output);
  std::istringstream lines(output);
  std::string line;
  int errors = 0;
  while (std::getline(lines, line)) errors += line.rfind("Error", 0) == 0 ? 1 : 0;
  return errors;
}

std::string Tool(const std::string& command, const std::string& bytes, const TempDir& dir, const std::string& name) {
  const auto path = dir / name;
  std::ofstream(path, std::ios::binary) << bytes;
  std::string output;
  RunCommand(command + " '" + path.string() + "'", &output);
  return output;
}

struct Hub {
  TempDir dir{"relais-report-loop"};
  uint16_t pacsPort = FreeLoopbackPort();
  StoreScp pacs{dir / "pacs", pacsPort};
  std::unique_ptr<OrthancServer> orthanc;

  Hub() {
    const auto rules = dir / "rules.json";
    std::ofstream(rules) << json{{"rules",
                                  {{{"name", "dermatology-to-chu"},
                                    {"when", {{{"tag", "RequestAttributesSequence.RequestedProcedureDescription"},
                                               {"wildcard", "dermatolog*"}}}},
                                    {"queue", "dermatology"},
                                    {"destinations", {"HOSPITAL-PACS"}}}}}}
                                .dump();
    auto options = HubOptions({{"RulesFile", rules.string()},
                               {"PacsDestinations", {{"RetrySeconds", 1}, {"MaxRetrySeconds", 2}, {"PollMilliseconds", 200}}}});
    options.config["DicomModalities"] = {{"HOSPITAL-PACS", {"HOSPITALPACS", "127.0.0.1", pacsPort}}};
    orthanc = std::make_unique<OrthancServer>(options);
  }
};

struct RoutedCase {
  int64_t id = 0;
  std::string studyUid, photoUid, orthancStudyId;
};

// Unit VAN-07 captures one photo with relais-capture (the sample lesion photo of
// relais-capture-samples) and sends it with relais-forward --once; the hub routes it (the
// manifest is met at once) to dermatology under the rule that names the PACS. Returns the case
// as the coordinator sees it; id 0 if it was not routed (the test's ASSERT says so).
RoutedCase SendStudy(const OrthancServer& orthanc, UnitForwarder& unit, const std::filesystem::path& capture) {
  RoutedCase c;
  const auto camera = capture.parent_path() / "camera";
  std::string output;
  EXPECT_EQ(RunCommand(std::string(RELAIS_CAPTURE_SAMPLES_EXECUTABLE) + " '" + camera.string() + "'", &output), 0)
      << output;
  const std::string command =
      std::string(RELAIS_CAPTURE_EXECUTABLE) +
      " photo --json --patient-id VAN07-0042 --issuer VAN-07 --patient-name DIALLO^AMINATA --birth-date 19910314"
      " --sex F --specialty dermatology --question \"Lésion qui s'étend depuis 2 mois\" --unit VAN-07"
      " --institution 'Camion santé Kolda' --operator NDIAYE^Awa --body-site left-forearm --config '" +
      std::string(RELAIS_SOURCE_DIR) + "/config/capture' --out '" + capture.string() + "' '" +
      (camera / "derm-lesion.jpg").string() + "' 2>'" + (camera / "capture.err").string() + "'";
  output.clear();
  EXPECT_EQ(RunCommand(command, &output), 0) << output << ReadFile(camera / "capture.err");
  const json captured = json::parse(output, nullptr, false);
  if (!captured.is_object() || captured.value("files", json::array()).size() != 1) {
    ADD_FAILURE() << "relais-capture: " << output;
    return c;
  }
  c.studyUid = captured["studyInstanceUid"];
  c.photoUid = std::filesystem::path(captured["files"][0].get<std::string>()).stem().string();  // named by SOP UID
  EXPECT_EQ(unit.run({"enqueue", capture.string()}), 0) << unit.log();
  EXPECT_EQ(unit.run({"--once"}), 0) << unit.log();
  const json cases = WaitForCase(orthanc, c.studyUid, std::chrono::seconds(10));
  EXPECT_EQ(cases.size(), 1u) << cases.dump() << "\n" << unit.log();
  if (cases.size() != 1) return c;
  EXPECT_EQ(cases[0]["queue"], "dermatology");
  EXPECT_EQ(cases[0]["rule"], "dermatology-to-chu");
  EXPECT_EQ(cases[0]["unit"], "VAN-07");
  EXPECT_EQ(cases[0]["state"], "queued");
  // --body-site left-forearm: the side is the case's, not only the image's.
  EXPECT_EQ(cases[0]["request"]["laterality"], "L") << cases[0].dump();
  EXPECT_EQ(cases[0]["request"]["bodySite"], "Forearm") << cases[0].dump();
  EXPECT_EQ(cases[0]["request"]["bodySiteCode"], "SCT:14975008") << cases[0].dump();
  c.id = cases[0]["id"].get<int64_t>();
  c.orthancStudyId = cases[0]["orthancStudyId"].get<std::string>();
  return c;
}

// The case's state as the coordinator reads it over REST.
std::string StateOf(const OrthancServer& orthanc, int64_t id) {
  auto answer = ClientAs(orthanc, "coord").get("/relais/v1/cases/" + std::to_string(id));
  EXPECT_EQ(answer.status, 200) << answer.body;
  return answer.status == 200 ? answer.json().value("state", "") : "";
}


int InstancesInStudy(const OrthancServer& orthanc, const std::string& orthancStudyId) {
  auto answer = ClientAs(orthanc, "admin").get("/studies/" + orthancStudyId + "/instances");
  return answer.status == 200 ? static_cast<int>(answer.json().size()) : -1;
}

}  // namespace

TEST(ReportLoop, RoutedClaimedReportedPulledDeliveredAndForwardedToThePacs) {
  Hub hub;
  hub.pacs.start();
  const OrthancServer& orthanc = *hub.orthanc;
  UnitForwarder forwarder(orthanc, hub.dir / "unit");
  RoutedCase c = SendStudy(orthanc, forwarder, hub.dir / "capture");
  ASSERT_NE(c.id, 0);
  const std::string casePath = "/relais/v1/cases/" + std::to_string(c.id);
  auto derm1 = ClientAs(orthanc, "derm1");
  auto unit = ClientAs(orthanc, "unit07");
  auto admin = ClientAs(orthanc, "admin");

  // Nobody can report a case they have not claimed; the dermatologist claims it.
  EXPECT_EQ(derm1.postJson(casePath + "/report", ValidDermatologyReport()).status, 409);
  auto claimed = derm1.post(casePath + "/claim", "{}");
  ASSERT_EQ(claimed.status, 200) << claimed.body;
  EXPECT_EQ(claimed.json()["claimedBy"], "derm1");
  EXPECT_EQ(ClientAs(orthanc, "derm2").postJson(casePath + "/report", ValidDermatologyReport()).status, 403);

  // An invalid report is refused with every problem, and nothing changes in Orthanc.
  const int before = InstancesInStudy(orthanc, c.orthancStudyId);
  json invalid = ValidDermatologyReport();
  invalid["values"].erase("management");
  invalid["values"]["follow-up"] = "tomorrow";
  invalid["values"]["lesion-size"] = "big";
  auto refused = derm1.postJson(casePath + "/report", invalid);
  ASSERT_EQ(refused.status, 422) << refused.body;
  EXPECT_EQ(refused.json()["problems"].size(), 3u) << refused.body;
  EXPECT_EQ(InstancesInStudy(orthanc, c.orthancStudyId), before);
  EXPECT_EQ(StateOf(orthanc, c.id), "claimed");
  EXPECT_EQ(derm1.get(casePath + "/report").status, 404);

  // A valid report: SR and PDF in the study, the case reported.
  auto created = derm1.postJson(casePath + "/report", ValidDermatologyReport());
  ASSERT_EQ(created.status, 201) << created.body << "\n" << orthanc.log();
  const json report = created.json();
  EXPECT_EQ(report["version"], 1);
  EXPECT_EQ(report["evaluatedInstances"], json::array({c.photoUid}));
  EXPECT_EQ(StateOf(orthanc, c.id), "reported");
  EXPECT_EQ(InstancesInStudy(orthanc, c.orthancStudyId), before + 2);

  TempDir work;
  auto srFile = admin.get("/instances/" + report["sr"]["orthancId"].get<std::string>() + "/file");
  ASSERT_EQ(srFile.status, 200);
  std::string output;
  EXPECT_EQ(DciodvfyErrors(srFile.body, work, "sr.dcm", output), 0) << output;
  const std::string dump = Tool("dsrdump +Pl +Pc +Pu", srFile.body, work, "sr2.dcm");
  EXPECT_NE(dump.find("(9014002,SCT,\"Psoriasis\")"), std::string::npos) << dump;
  EXPECT_NE(dump.find(c.photoUid), std::string::npos) << "the SR does not reference the evaluated photo\n" << dump;
  EXPECT_NE(dump.find("DIALLO^AMINATA"), std::string::npos) << dump;
  EXPECT_NE(dump.find("(14975008,SCT,\"Forearm\")"), std::string::npos) << dump;
  EXPECT_NE(dump.find("(7771000,SCT,\"Left\")"), std::string::npos) << "the SR lost the side\n" << dump;
  // The author, from derm1's display name "Dr Salma Bennani", as a PACS files a person: family
  // name, given name, prefix; both as observer and as the verifying observer.
  EXPECT_NE(dump.find("\"Person Observer Name\")=\"Bennani^Salma^^Dr\""), std::string::npos) << dump;
  const std::string tags = Tool("dcmdump +P VerifyingObserverName", srFile.body, work, "sr3.dcm");
  EXPECT_NE(tags.find("[Bennani^Salma^^Dr]"), std::string::npos) << tags;
  auto pdfFile = admin.get("/instances/" + report["pdf"]["orthancId"].get<std::string>() + "/file");
  ASSERT_EQ(pdfFile.status, 200);
  EXPECT_EQ(DciodvfyErrors(pdfFile.body, work, "pdf.dcm", output), 0) << output;
  auto srStudy = admin.get("/instances/" + report["sr"]["orthancId"].get<std::string>() + "/study");
  EXPECT_EQ(srStudy.json()["ID"], c.orthancStudyId) << "the SR is not in the case's study";

  // The unit's inbox on the hub lists the report; the unit account reads its PDF and FHIR.
  auto inbox = unit.get("/relais/v1/inbox");
  ASSERT_EQ(inbox.status, 200) << inbox.body;
  ASSERT_EQ(inbox.json().size(), 1u) << inbox.body;
  EXPECT_EQ(inbox.json()[0]["kind"], "report");
  EXPECT_EQ(inbox.json()[0]["caseId"], c.id);
  auto pdf = unit.get(casePath + "/report.pdf");
  ASSERT_EQ(pdf.status, 200);
  EXPECT_EQ(pdf.headers["content-type"], "application/pdf");
  std::ofstream(work / "report.pdf", std::ios::binary) << pdf.body;
  std::string text;
  RunCommand("pdftotext -enc UTF-8 '" + (work / "report.pdf").string() + "' -", &text);
  EXPECT_NE(text.find("DIALLO AMINATA"), std::string::npos) << text;
  EXPECT_NE(text.find("Plaque érythémato-squameuse"), std::string::npos) << text;
  EXPECT_NE(text.find("Forearm, gauche"), std::string::npos) << "the PDF lost the side\n" << text;
  EXPECT_EQ(ClientAs(orthanc, "unit12").get(casePath + "/report.pdf").status, 403);
  auto fhir = unit.get(casePath + "/report/fhir");
  ASSERT_EQ(fhir.status, 200);
  EXPECT_EQ(fhir.json()["imagingStudy"][0]["identifier"]["value"], "urn:oid:" + c.studyUid);
  EXPECT_EQ(fhir.json()["contained"][0]["bodySite"]["coding"][0]["code"], "14975008:272741003=7771000") << fhir.body;
  // relais-forward pull stores the report (PDF + JSON) in the unit's inbox, then acknowledges
  // it: the case is delivered.
  ASSERT_EQ(forwarder.run({"pull"}), 0) << forwarder.log();
  {
    relais::outbox::Inbox unitInbox(forwarder.outbox());
    auto answer = unitInbox.item(std::to_string(inbox.json()[0]["id"].get<int64_t>()));
    ASSERT_TRUE(answer) << forwarder.log();
    EXPECT_EQ(answer->kind, "report");
    EXPECT_TRUE(answer->acknowledged);
    EXPECT_EQ(ReadFile(answer->folder / "report.pdf"), pdf.body);
    EXPECT_EQ(json::parse(ReadFile(answer->folder / "report.json"))["version"], 1);
  }
  EXPECT_EQ(StateOf(orthanc, c.id), "delivered");
  EXPECT_EQ(unit.get("/relais/v1/inbox").json().size(), 0u);

  // The hospital PACS received the study and its report.
  const std::set<std::string> expected = {c.photoUid, report["sr"]["sopInstanceUid"], report["pdf"]["sopInstanceUid"]};
  EXPECT_TRUE(WaitFor(
      [&] {
        auto got = hub.pacs.received();
        return std::includes(got.begin(), got.end(), expected.begin(), expected.end());
      },
      30))
      << derm1.get(casePath + "/report").body;
  EXPECT_TRUE(WaitFor([&] { return derm1.get(casePath + "/report").json()["transfers"][0]["state"] == "succeeded"; }, 10));

  // An amendment: a new SR and PDF referencing the previous ones, both versions kept.
  json amendment = ValidDermatologyReport();
  amendment["values"]["management"] = "Dermocorticoïde classe 2, contrôle à 1 mois.";
  amendment["values"]["follow-up"] = "1-month";
  EXPECT_EQ(derm1.postJson(casePath + "/amendment", amendment).status, 422) << "an amendment needs a reason";
  amendment["reason"] = "Traitement adapté après avis.";
  auto amended = derm1.postJson(casePath + "/amendment", amendment);
  ASSERT_EQ(amended.status, 201) << amended.body;
  EXPECT_EQ(amended.json()["version"], 2);
  EXPECT_EQ(StateOf(orthanc, c.id), "amended");
  EXPECT_EQ(InstancesInStudy(orthanc, c.orthancStudyId), before + 4);
  auto v2 = admin.get("/instances/" + amended.json()["sr"]["orthancId"].get<std::string>() + "/file");
  EXPECT_EQ(DciodvfyErrors(v2.body, work, "v2.dcm", output), 0) << output;
  const std::string v2dump = Tool("dcmdump", v2.body, work, "v2b.dcm");
  auto predecessor = v2dump.find("PredecessorDocumentsSequence");
  ASSERT_NE(predecessor, std::string::npos) << v2dump;
  EXPECT_NE(v2dump.find(report["sr"]["sopInstanceUid"].get<std::string>(), predecessor), std::string::npos);
  auto v1 = derm1.get(casePath + "/report?version=1");
  ASSERT_EQ(v1.status, 200);
  EXPECT_EQ(v1.json()["values"]["follow-up"], "3-months");
  EXPECT_EQ(derm1.get(casePath + "/report").json()["versions"].size(), 2u);
  auto inbox2 = unit.get("/relais/v1/inbox").json();
  ASSERT_EQ(inbox2.size(), 1u);
  EXPECT_NE(inbox2[0]["message"].get<std::string>().find("version 2"), std::string::npos);
  // The amendment reaches the unit the same way: pulled, kept beside version 1, delivered.
  ASSERT_EQ(forwarder.run({"pull"}), 0) << forwarder.log();
  {
    relais::outbox::Inbox unitInbox(forwarder.outbox());
    EXPECT_EQ(unitInbox.items().size(), 2u);
    auto answer = unitInbox.item(std::to_string(inbox2[0]["id"].get<int64_t>()));
    ASSERT_TRUE(answer) << forwarder.log();
    EXPECT_TRUE(answer->acknowledged);
    EXPECT_EQ(json::parse(ReadFile(answer->folder / "report.json"))["version"], 2);
    EXPECT_EQ(ReadFile(answer->folder / "report.pdf").substr(0, 4), "%PDF");
  }
  EXPECT_EQ(StateOf(orthanc, c.id), "delivered");
  EXPECT_EQ(unit.get("/relais/v1/inbox").json().size(), 0u);

  // The hub's own SR and PDF objects made the study unstable again: once Orthanc calls it
  // stable (StableAge 2 s) and the router has swept (1 s), the study still has its one case,
  // delivered, with no "new images" flag and a single routing in its trail.
  const auto stableBy = std::chrono::steady_clock::now() + std::chrono::seconds(15);
  while (!admin.get("/studies/" + c.orthancStudyId).json().value("IsStable", false) &&
         std::chrono::steady_clock::now() < stableBy) {
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  std::this_thread::sleep_for(std::chrono::milliseconds(1500));
  const json after = CasesOfStudy(orthanc, c.studyUid);
  ASSERT_EQ(after.size(), 1u) << after.dump();
  EXPECT_EQ(after[0]["id"], c.id);
  EXPECT_EQ(after[0]["state"], "delivered");
  EXPECT_EQ(after[0]["newImages"], false);
  const json trail = ClientAs(orthanc, "coord").get(casePath + "/audit").json();
  EXPECT_EQ(std::count_if(trail.begin(), trail.end(), [](const json& e) { return e["action"] == "routed"; }), 1)
      << trail.dump();
}

TEST(ReportLoop, PacsTransferIsRetriedUntilThePacsAnswers) {
  Hub hub;  // storescp not started: the PACS is down
  const OrthancServer& orthanc = *hub.orthanc;
  UnitForwarder forwarder(orthanc, hub.dir / "unit");
  RoutedCase c = SendStudy(orthanc, forwarder, hub.dir / "capture");
  ASSERT_NE(c.id, 0);
  const std::string casePath = "/relais/v1/cases/" + std::to_string(c.id);
  auto derm1 = ClientAs(orthanc, "derm1");
  ASSERT_EQ(derm1.post(casePath + "/claim", "{}").status, 200);
  auto created = derm1.postJson(casePath + "/report", ValidDermatologyReport());
  ASSERT_EQ(created.status, 201) << created.body;
  auto transfer = [&] { return derm1.get(casePath + "/report").json()["transfers"][0]; };
  ASSERT_TRUE(WaitFor([&] { return transfer()["attempts"].get<int>() >= 1 && !transfer()["lastError"].get<std::string>().empty(); }, 30))
      << transfer().dump();
  EXPECT_NE(transfer()["state"], "succeeded");
  hub.pacs.start();
  EXPECT_TRUE(WaitFor([&] { return transfer()["state"] == "succeeded"; }, 40)) << transfer().dump();
  EXPECT_GE(transfer()["attempts"].get<int>(), 2);
  EXPECT_TRUE(hub.pacs.received().count(created.json()["sr"]["sopInstanceUid"].get<std::string>()));
}
