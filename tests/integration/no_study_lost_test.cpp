// Issue 18: every study Orthanc holds becomes exactly one case, whatever stops the hub. The hub
// is killed (kill -9, then kill -TERM) at a random moment while a C-STORE burst of 30 studies
// arrives or is being routed, and restarted; three rounds each. Afterwards every study the hub
// holds has exactly one case, and no case names a study it does not hold.
#include <gtest/gtest.h>

#include <chrono>
#include <map>
#include <random>
#include <set>
#include <thread>

#include "harness/ChildProcess.h"
#include "harness/HubCases.h"
#include "harness/TestHub.h"
#include "harness/TestStudies.h"
#include "integration/ForwardSetup.h"
#include "integration/StoreScu.h"

using namespace relais::test;
using nlohmann::json;

namespace {

constexpr int kRounds = 3;
constexpr int kStudiesPerBurst = 30;
constexpr int kInstancesPerStudy = 2;

// Study Instance UID -> how many cases name it.
std::map<std::string, int> CasesPerStudy(const OrthancServer& hub) {
  std::map<std::string, int> count;
  for (const auto& c : AllCases(hub)) ++count[c["studyInstanceUid"].get<std::string>()];
  return count;
}

std::set<std::string> HeldStudies(const OrthancServer& hub) {
  const auto answer = AdminClient(hub).get("/studies?expand");
  if (answer.status != 200) throw std::runtime_error("GET /studies?expand: " + answer.body);
  std::set<std::string> uids;
  for (const auto& s : answer.json()) uids.insert(s["MainDicomTags"]["StudyInstanceUID"].get<std::string>());
  return uids;
}

enum class Stop { Kill9, Term };

// Sends three bursts, stopping the hub at a random moment of each (from the first instance to
// well past StableAge, so both storing and routing get interrupted), restarting it each time.
void StopDuringBurstsThenCheckEveryStudyIsOneCase(Stop how) {
  // StableAge 2 s (the harness's), the routing worker's sweep every second: as on a real hub, the
  // worker reads a study's first instances from /changes before Orthanc calls it stable.
  OrthancServer hub(HubOptions({{"ReconcileSeconds", 1}}));
  TempDir dir;
  std::random_device seed;
  const unsigned seedValue = seed();
  std::mt19937 random(seedValue);
  // The first round stops the hub while the burst arrives (about 60 instances at 500/s), the
  // others while the studies turn stable and are routed.
  std::uniform_int_distribution<int> duringBurstMs(30, 250), duringRoutingMs(200, 3000);
  int sent = 0;
  std::string story = "seed " + std::to_string(seedValue) + ";";
  for (int round = 0; round < kRounds; ++round) {
    std::vector<std::filesystem::path> files;
    for (int s = 0; s < kStudiesPerBurst; ++s) {
      TestInstance spec;
      spec.studyUid = NewUid();
      spec.requestedProcedure = s % 2 ? "dermatology" : "radiology";
      spec.patientId = "PAT-" + std::to_string(round) + "-" + std::to_string(s);
      const auto study = WriteStudy(dir.path(), spec, kInstancesPerStudy, nullptr,
                                    "r" + std::to_string(round) + "-s" + std::to_string(s) + "-");
      files.insert(files.end(), study.begin(), study.end());
      ++sent;
    }
    ChildProcess sender(StoreScuArgv(hub, files), dir / ("storescu-" + std::to_string(round) + ".log"),
                        {{"TCP_NODELAY", "1"}});
    const int delay = round == 0 ? duringBurstMs(random) : duringRoutingMs(random);
    std::this_thread::sleep_for(std::chrono::milliseconds(delay));
    if (how == Stop::Kill9) {
      hub.kill9();
    } else {
      hub.stop();
    }
    sender.wait(std::chrono::seconds(10));
    story += " round " + std::to_string(round) + " stopped after " + std::to_string(delay) + " ms;";
    hub.start();
  }

  // Routing after the last restart: StableAge (2 s) of quiet, then the reconciliation (1 s).
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
  std::set<std::string> held;
  std::map<std::string, int> cases;
  while (std::chrono::steady_clock::now() < deadline) {
    held = HeldStudies(hub);
    cases = CasesPerStudy(hub);
    if (cases.size() >= held.size()) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(200));
  }
  std::this_thread::sleep_for(std::chrono::seconds(2));  // a duplicate would show up by now
  held = HeldStudies(hub);
  cases = CasesPerStudy(hub);
  int missing = 0, duplicated = 0;
  for (const auto& uid : held) {
    const auto found = cases.find(uid);
    if (found == cases.end()) {
      ++missing;
    } else if (found->second != 1) {
      ++duplicated;
    }
  }
  int strays = 0;
  for (const auto& [uid, n] : cases) strays += held.count(uid) ? 0 : 1;
  std::printf("%s: %d studies sent, %zu held by Orthanc, %zu with a case; %d without, %d with more than one, "
              "%d cases of studies not held (%s)\n",
              how == Stop::Kill9 ? "kill -9" : "kill -TERM", sent, held.size(), cases.size(), missing, duplicated,
              strays, story.c_str());
  EXPECT_GT(held.size(), 0u);
  EXPECT_EQ(missing, 0) << story;
  EXPECT_EQ(duplicated, 0) << story;
  EXPECT_EQ(strays, 0) << story;
}

}  // namespace

TEST(NoStudyLost, EveryStoredStudyBecomesOneCaseAfterKill9DuringBursts) {
  StopDuringBurstsThenCheckEveryStudyIsOneCase(Stop::Kill9);
}

TEST(NoStudyLost, EveryStoredStudyBecomesOneCaseAfterSigtermDuringBursts) {
  StopDuringBurstsThenCheckEveryStudyIsOneCase(Stop::Term);
}
