// Ingest overhead of the plugin and latency of the case API at scale.
//
// Part 1: the same 1,000 generated instances (100 studies x 10, Secondary Capture) stored with
// DCMTK's storescu (one association, TCP_NODELAY=1) into a fresh Orthanc without the plugin
// (the reference) and a fresh Orthanc with the plugin and the hub configuration, back to back
// as one pair, `pairs` times (which goes first alternates). Both keep their storage on tmpfs
// (/dev/shm), so disk flushes of one round do not land in the next, and serve the association
// with one DICOM thread (see RunRound). Both make the reference faster, so the plugin's share
// larger: conservative. Prints each pair, the median rates, the median of the per-pair
// overheads, and Orthanc's CPU time (while storing, and including the seconds after, when the
// plugin routes the 100 studies).
// Part 2: 100,000 cases in the SQLite case store (spread over the queues), then through the
// plugin's HTTP API: list the first page of a queue, and claim-next, 500 times each; p50, p99.
#include <sqlite3.h>
#include <sys/vfs.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <optional>
#include <sstream>
#include <thread>
#include <vector>

#include "domain/User.h"
#include "harness/TestHub.h"
#include "harness/TestStudies.h"
#include "infra/SqliteCaseStore.h"

using namespace relais::test;
using Clock = std::chrono::steady_clock;

namespace {

constexpr int kStudies = 100;
constexpr int kInstances = 1000;
// After storescu returns, both Orthancs are watched this much longer: StableAge (1 s), the
// routing worker's wait for a lull (up to 2 s) and the routing itself. The CPU comparison
// "routing included" covers this window.
constexpr auto kSettle = std::chrono::seconds(4);

double Seconds(Clock::duration d) { return std::chrono::duration<double>(d).count(); }

double Median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  const size_t n = v.size();
  return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

double Percentile(std::vector<double> v, double p) {
  std::sort(v.begin(), v.end());
  size_t rank = static_cast<size_t>(p / 100.0 * static_cast<double>(v.size()) + 0.999999);
  return v[std::min(v.size(), std::max<size_t>(rank, 1)) - 1];
}

// CPU seconds (user + system) used so far by a process, or by one of its threads
// (/proc/<pid>/task/<tid>/stat): unlike a rate, barely moved by what else runs.
double CpuSeconds(const std::string& statPath) {
  std::ifstream stat(statPath);
  std::string line;
  std::getline(stat, line);
  if (line.empty()) return 0;
  std::istringstream fields(line.substr(line.rfind(')') + 2));  // after "pid (comm) "
  std::string field;
  double ticks = 0;
  for (int i = 3; fields >> field && i <= 15; ++i) {
    if (i == 14 || i == 15) ticks += std::stod(field);  // utime, stime
  }
  return ticks / static_cast<double>(sysconf(_SC_CLK_TCK));
}

double CpuSeconds(pid_t pid) { return CpuSeconds("/proc/" + std::to_string(pid) + "/stat"); }

// The plugin's routing thread, by the name it gives itself; nullopt if not found.
std::optional<std::string> RoutingThreadStat(pid_t pid) {
  const std::string tasks = "/proc/" + std::to_string(pid) + "/task";
  for (const auto& task : std::filesystem::directory_iterator(tasks)) {
    std::ifstream comm(task.path() / "comm");
    std::string name;
    std::getline(comm, name);
    if (name == "relais-routing") return (task.path() / "stat").string();
  }
  return std::nullopt;
}

// A scratch directory on tmpfs when the machine has one (/dev/shm), else in the temp folder.
class ScratchDir {
 public:
  explicit ScratchDir(const std::string& prefix) {
    struct statfs fs {};
    constexpr long kTmpfsMagic = 0x01021994;
    onTmpfs_ = statfs("/dev/shm", &fs) == 0 && static_cast<long>(fs.f_type) == kTmpfsMagic && access("/dev/shm", W_OK) == 0;
    const std::filesystem::path parent = onTmpfs_ ? std::filesystem::path("/dev/shm") : std::filesystem::temp_directory_path();
    std::string pattern = (parent / (prefix + "-XXXXXX")).string();
    if (mkdtemp(pattern.data()) == nullptr) throw std::runtime_error("cannot create a scratch directory in " + parent.string());
    path_ = pattern;
  }
  ~ScratchDir() {
    std::error_code ignored;
    std::filesystem::remove_all(path_, ignored);
  }
  ScratchDir(const ScratchDir&) = delete;
  ScratchDir& operator=(const ScratchDir&) = delete;
  const std::filesystem::path& path() const { return path_; }
  bool onTmpfs() const { return onTmpfs_; }

 private:
  std::filesystem::path path_;
  bool onTmpfs_ = false;
};

double StoreAll(const OrthancServer& orthanc, const std::string& folder) {
  const std::string command = "TCP_NODELAY=1 storescu -aet " + std::string(kTestModalityAet) + " -aec " + orthanc.aet() + " 127.0.0.1 " +
                              std::to_string(orthanc.dicomPort()) + " +sd +sp '*.dcm' " + folder;
  const auto start = Clock::now();
  std::string out;
  if (RunCommand(command, &out) != 0) throw std::runtime_error("storescu failed: " + out);
  return Seconds(Clock::now() - start);
}

// Cases in the hub's store, read from the SQLite file itself: polling over HTTP would put
// the bench's own requests (and their password checks) into the plugin's CPU time.
int CountCases(const std::filesystem::path& caseStore) {
  sqlite3* db = nullptr;
  int count = -1;
  if (sqlite3_open_v2(caseStore.c_str(), &db, SQLITE_OPEN_READONLY, nullptr) == SQLITE_OK) {
    sqlite3_busy_timeout(db, 1000);
    sqlite3_stmt* s = nullptr;
    if (sqlite3_prepare_v2(db, "SELECT COUNT(*) FROM cases", -1, &s, nullptr) == SQLITE_OK && sqlite3_step(s) == SQLITE_ROW) {
      count = sqlite3_column_int(s, 0);
    }
    sqlite3_finalize(s);
  }
  sqlite3_close(db);
  return count;
}

struct Round {
  double rate = 0;         // instances/s, storescu's wall time
  double cpuStoring = 0;   // Orthanc's CPU while storescu ran
  double cpuSettled = 0;   // ... until kSettle after it (with the plugin: routing included)
  double cpuRouting = 0;   // the plugin's routing thread, same window
  double cpuRoutingStoring = 0;  // the plugin's routing thread while storescu ran
  double routedAfter = 0;  // with the plugin: all studies were cases, seconds after the first instance
};

// One fresh Orthanc (storage under `scratch`), the 1,000 instances, and the settle window.
Round RunRound(bool withPlugin, const std::filesystem::path& scratch, const std::string& files) {
  const std::filesystem::path storage = scratch / (withPlugin ? "with" : "without");
  std::filesystem::remove_all(storage);
  std::filesystem::create_directories(storage);
  OrthancServerOptions options = withPlugin ? HubOptions() : OrthancServerOptions{};
  options.loadPlugin = withPlugin;
  options.stableAgeSeconds = 1;
  options.verbose = false;
  options.config["StorageDirectory"] = storage.string();  // the case store goes beside it
  options.config["IndexDirectory"] = storage.string();
  // Orthanc's default pool of 4 DICOM threads passes the commands of one association from
  // thread to thread, in proportions that change from round to round (single rounds spread
  // by +-20 %); one thread serves one association steadily, in both settings.
  options.config["DicomThreadsCount"] = 1;
  Round r;
  {
    OrthancServer orthanc(options);
    // Start-up work (the plugin's first /changes sweep) stays out of the measured window.
    std::this_thread::sleep_for(std::chrono::milliseconds(300));
    const auto routingStat = withPlugin ? RoutingThreadStat(orthanc.pid()) : std::nullopt;
    const double cpu0 = CpuSeconds(orthanc.pid());
    const double routing0 = routingStat ? CpuSeconds(*routingStat) : 0;
    const auto start = Clock::now();
    const double storing = StoreAll(orthanc, files);
    r.rate = kInstances / storing;
    r.cpuStoring = CpuSeconds(orthanc.pid()) - cpu0;
    r.cpuRoutingStoring = routingStat ? CpuSeconds(*routingStat) - routing0 : 0;
    const auto settled = Clock::now() + kSettle;
    const auto giveUp = start + std::chrono::seconds(120);
    bool routed = !withPlugin;
    while (true) {
      const auto now = Clock::now();
      if (!routed && CountCases(storage / "relais-cases.db") == kStudies) {
        routed = true;
        r.routedAfter = Seconds(now - start);
      }
      if (now >= settled && r.cpuSettled == 0) {
        r.cpuSettled = CpuSeconds(orthanc.pid()) - cpu0;
        r.cpuRouting = routingStat ? CpuSeconds(*routingStat) - routing0 : 0;
      }
      if (now >= settled && (routed || now >= giveUp)) break;
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    if (!routed) std::cerr << "only " << CountCases(storage / "relais-cases.db") << " of 100 studies were routed\n";
    if (routed && r.routedAfter > storing + Seconds(kSettle)) {
      std::cerr << "routing ended after the CPU window: the CPU comparison misses part of it\n";
    }
  }
  std::filesystem::remove_all(storage);
  return r;
}

}  // namespace

int main(int argc, char** argv) {
  const int pairs = argc > 1 ? std::max(1, std::atoi(argv[1])) : 10;
  TempDir dir("relais-bench-ingest");
  ScratchDir scratch("relais-bench-ingest");
  const std::string fileList = (scratch.path() / "studies").string();  // storescu scans this folder
  std::filesystem::create_directories(fileList);
  {
    const char* specialties[] = {"dermatology", "radiology", "paediatrics", "pneumology", "obstetrics"};
    for (int s = 0; s < kStudies; ++s) {
      TestInstance spec;
      spec.studyUid = NewUid();
      spec.seriesUid = NewUid();
      spec.patientId = "BENCH-" + std::to_string(s);
      spec.requestedProcedure = specialties[s % 5];
      for (int i = 0; i < kInstances / kStudies; ++i) {
        spec.sopUid.clear();
        spec.instanceNumber = i + 1;
        WriteTestInstance(std::filesystem::path(fileList) / ("s" + std::to_string(s) + "-" + std::to_string(i) + ".dcm"), spec);
      }
    }
  }

  std::printf("ingest: 1,000 instances (100 studies), storescu one association, TCP_NODELAY=1, %d pairs\n", pairs);
  std::printf("  storage of both Orthancs: %s%s\n", scratch.path().c_str(),
              scratch.onTmpfs() ? " (tmpfs)" : " (not tmpfs: disk flushes add noise)");
  std::vector<Round> without, with;
  std::vector<double> overhead, cpuOverhead;
  for (int p = 0; p < pairs; ++p) {
    // Back to back, and which goes first alternates: whatever the machine does during one
    // pair weighs on both settings, and the order's own effect cancels out over the pairs.
    if (p % 2 == 0) {
      without.push_back(RunRound(false, scratch.path(), fileList));
      with.push_back(RunRound(true, scratch.path(), fileList));
    } else {
      with.push_back(RunRound(true, scratch.path(), fileList));
      without.push_back(RunRound(false, scratch.path(), fileList));
    }
    const Round &a = without.back(), &b = with.back();
    overhead.push_back(100.0 * (a.rate - b.rate) / a.rate);
    cpuOverhead.push_back(100.0 * (b.cpuStoring - a.cpuStoring) / a.cpuStoring);
    std::printf("  pair %2d (%-7s first): without %6.1f/s, with %6.1f/s: %+6.1f %%   Orthanc CPU without / with: storing "
                "%.2f / %.2f s, +%.0f s %.2f / %.2f s (routing thread %.2f s, %.2f s of it while storing)\n",
                p + 1, p % 2 == 0 ? "without" : "with", a.rate, b.rate, overhead.back(), a.cpuStoring, b.cpuStoring,
                Seconds(kSettle), a.cpuSettled, b.cpuSettled, b.cpuRouting, b.cpuRoutingStoring);
    std::fflush(stdout);
  }
  auto field = [](const std::vector<Round>& rounds, double Round::*member) {
    std::vector<double> v;
    for (const auto& r : rounds) v.push_back(r.*member);
    return v;
  };
  const double a = Median(field(without, &Round::rate)), b = Median(field(with, &Round::rate));
  std::printf("  Orthanc without plugin (reference): %7.1f instances/s (median)\n", a);
  std::printf("  Orthanc with Relais plugin:         %7.1f instances/s (median)\n", b);
  std::printf("  plugin overhead:                    %7.1f %%   median of the %d pair overheads, middle half %.1f %% to %.1f %% "
              "(goal: under 5 %%; from the median rates: %.1f %%)\n",
              Median(overhead), pairs, Percentile(overhead, 25), Percentile(overhead, 75), 100.0 * (a - b) / a);
  const double cpuA = Median(field(without, &Round::cpuStoring)), cpuB = Median(field(with, &Round::cpuStoring));
  const double setA = Median(field(without, &Round::cpuSettled)), setB = Median(field(with, &Round::cpuSettled));
  std::printf("  Orthanc's CPU time while storing:   %.2f s without, %.2f s with (medians): %+.1f %%; median of the "
              "pair differences %+.1f %%; routing thread %.2f s of it\n",
              cpuA, cpuB, 100.0 * (cpuB - cpuA) / cpuA, Median(cpuOverhead), Median(field(with, &Round::cpuRoutingStoring)));
  std::printf("  ... until %.0f s after storescu (routing of the 100 studies included): %.2f s without, %.2f s with: "
              "%+.1f %% (routing thread %.2f s)\n",
              Seconds(kSettle), setA, setB, 100.0 * (setB - setA) / setA, Median(field(with, &Round::cpuRouting)));
  std::printf("  all 100 studies routed to cases after %.2f s from the first instance (median; StableAge 1 s)\n",
              Median(field(with, &Round::routedAfter)));

  // Part 2: 100,000 cases.
  const std::string db = (dir / "cases.db").string();
  {
    relais::SqliteCaseStore schema(db);  // creates the schema
  }
  {
    sqlite3* raw = nullptr;
    sqlite3_open(db.c_str(), &raw);
    sqlite3_exec(raw, "BEGIN", nullptr, nullptr, nullptr);
    sqlite3_stmt* insert = nullptr;
    sqlite3_prepare_v2(raw,
                       "INSERT INTO cases (study_uid, orthanc_study_id, queue, state, priority, priority_rank, unit, "
                       "patient_id, patient_issuer, patient_name, patient_birth_date, patient_sex, request_specialty, "
                       "request_question, request_history, request_body_site, rule, created_at, updated_at) VALUES "
                       "(?, ?, ?, 'queued', ?, ?, ?, ?, '', 'BENCH^PATIENT', '19800101', 'F', '', '', '', '', 'bench', ?, ?)",
                       -1, &insert, nullptr);
    const auto& queues = relais::KnownQueues();
    const int64_t now = relais::NowSeconds();
    for (int i = 0; i < 100000; ++i) {
      const std::string uid = "1.2.826.0.1.3680043.2.1143.99." + std::to_string(i);
      const std::string queue = queues[i % queues.size()];
      const bool urgent = i % 20 == 0;
      const std::string unit = "VAN-" + std::to_string(i % 40);
      const std::string patient = "P" + std::to_string(i % 30000);
      sqlite3_bind_text(insert, 1, uid.c_str(), -1, SQLITE_TRANSIENT);
      sqlite3_bind_text(insert, 2, uid.c_str(), -1, SQLITE_TRANSIENT);
      sqlite3_bind_text(insert, 3, queue.c_str(), -1, SQLITE_TRANSIENT);
      sqlite3_bind_text(insert, 4, urgent ? "urgent" : "routine", -1, SQLITE_STATIC);
      sqlite3_bind_int(insert, 5, urgent ? 0 : 1);
      sqlite3_bind_text(insert, 6, unit.c_str(), -1, SQLITE_TRANSIENT);
      sqlite3_bind_text(insert, 7, patient.c_str(), -1, SQLITE_TRANSIENT);
      sqlite3_bind_int64(insert, 8, now - 100000 + i);
      sqlite3_bind_int64(insert, 9, now - 100000 + i);
      sqlite3_step(insert);
      sqlite3_reset(insert);
    }
    sqlite3_finalize(insert);
    sqlite3_exec(raw, "COMMIT", nullptr, nullptr, nullptr);
    sqlite3_close(raw);
  }
  OrthancServer hub(HubOptions({{"CaseStore", {{"Path", db}}}}));
  auto derm = ClientAs(hub, "derm1");
  derm.keepAlive();           // one connection, as the viewer's browser keeps
  derm.get("/relais/v1/me");  // pays Argon2 once
  std::vector<double> list, claim;
  for (int i = 0; i < 500; ++i) {
    auto t = Clock::now();
    auto a = derm.get("/relais/v1/cases?queue=dermatology&state=queued&limit=50");
    list.push_back(Seconds(Clock::now() - t) * 1000);
    if (a.status != 200) throw std::runtime_error("list failed: " + a.body);
    t = Clock::now();
    auto c = derm.post("/relais/v1/queues/dermatology/claim-next", "");
    claim.push_back(Seconds(Clock::now() - t) * 1000);
    if (c.status != 200) throw std::runtime_error("claim failed: " + c.body);
  }
  std::printf("case API with 100,000 cases (SQLite, through Orthanc's HTTP server, one kept-alive client), 500 requests each\n");
  std::printf("  list first page of a queue (50 cases): p50 %.2f ms, p99 %.2f ms   (goal: p99 under 10 ms)\n",
              Percentile(list, 50), Percentile(list, 99));
  std::printf("  claim-next:                            p50 %.2f ms, p99 %.2f ms   (goal: p99 under 10 ms)\n",
              Percentile(claim, 50), Percentile(claim, 99));
  return 0;
}
