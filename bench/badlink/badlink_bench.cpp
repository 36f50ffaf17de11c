// A unit's day over a van's 3G link, on loopback: the three sample studies of
// scripts/make-samples.sh (dermatology photos, obstetric ultrasound still + clip, X-ray + film)
// sent to a fresh hub through tests/harness/FaultyLink at the link's rate each way, its round
// trip, and (second run) every connection reset every N seconds. Each run is compared with
// the ideal time of the bytes as captured before lossless compression (bytes / rate), and
// with curl (POST /instances, one file after another, a file started again after a cut) and
// storescu (C-STORE, one association, started again after a cut) over the same link.
// Last, the urgent-first scenario: an urgent study enqueued while a routine X-ray is halfway.
//
// Usage: relais_bench_badlink [--kbps 1000] [--rtt-ms 300] [--cut-every-s 20]
//                             [--limit-s 420] [--only forward|curl|storescu|urgent]
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <functional>
#include <string>
#include <thread>
#include <vector>

#include <dcmtk/dcmdata/dcdeftag.h>
#include <dcmtk/dcmdata/dcfilefo.h>
#include <dcmtk/dcmdata/dcrledrg.h>
#include <dcmtk/dcmjpls/djdecode.h>

#include <nlohmann/json.hpp>

#include "harness/ChildProcess.h"
#include "harness/FaultyLink.h"
#include "harness/HubCases.h"
#include "harness/OrthancServer.h"
#include "harness/TempDir.h"
#include "harness/TestHub.h"

using namespace relais::test;
using Clock = std::chrono::steady_clock;

namespace {

struct Settings {
  double kbps = 1000;
  int rttMs = 300;
  int cutEverySeconds = 20;
  int limitSeconds = 420;
  std::string only;
};

struct Study {
  std::string name;
  std::filesystem::path folder;
  std::string uid;
  int64_t bytes = 0;          // the files as relais-capture wrote them
  int64_t capturedBytes = 0;  // the same pixels uncompressed, as captured before lossless coding
};

double Seconds(Clock::duration d) { return std::chrono::duration<double>(d).count(); }

// The bytes of a file as it would be with its pixel data decompressed (JPEG-LS lossless grey
// images); files in another transfer syntax count as they are.
int64_t UncompressedBytes(const std::filesystem::path& file) {
  const auto onDisk = static_cast<int64_t>(std::filesystem::file_size(file));
  DcmFileFormat f;
  if (f.loadFile(file.c_str()).bad()) return onDisk;
  DcmDataset* d = f.getDataset();
  const E_TransferSyntax syntax = d->getOriginalXfer();
  if (syntax != EXS_JPEGLSLossless && syntax != EXS_JPEGLSLossy) return onDisk;
  if (d->chooseRepresentation(EXS_LittleEndianExplicit, nullptr).bad()) return onDisk;
  d->removeAllButCurrentRepresentations();
  return static_cast<int64_t>(f.calcElementLength(EXS_LittleEndianExplicit, EET_ExplicitLength));
}

std::string StudyUidOf(const std::filesystem::path& file) {
  DcmFileFormat f;
  OFString uid;
  if (f.loadFile(file.c_str(), EXS_Unknown, EGL_noChange, 4096).good()) {
    f.getDataset()->findAndGetOFString(DCM_StudyInstanceUID, uid);
  }
  return uid.c_str();
}

std::vector<std::filesystem::path> FilesOf(const std::filesystem::path& folder) {
  std::vector<std::filesystem::path> files;
  for (const auto& e : std::filesystem::directory_iterator(folder)) files.push_back(e.path());
  std::sort(files.begin(), files.end());
  return files;
}

std::vector<Study> MakeSamples(const std::filesystem::path& out) {
  std::string output;
  const std::string command = "RELAIS_BUILD_DIR='" + std::string(RELAIS_BUILD_DIR) + "' bash '" +
                              std::string(RELAIS_SOURCE_DIR) + "/scripts/make-samples.sh' '" + out.string() + "'";
  if (RunCommand(command, &output) != 0) {
    std::fprintf(stderr, "make-samples.sh failed:\n%s\n", output.c_str());
    std::exit(1);
  }
  std::vector<Study> studies;
  for (const char* name : {"derm", "us", "xray"}) {
    Study s;
    s.name = name;
    s.folder = out / "dicom" / name;
    for (const auto& f : FilesOf(s.folder)) {
      s.bytes += static_cast<int64_t>(std::filesystem::file_size(f));
      s.capturedBytes += UncompressedBytes(f);
      if (s.uid.empty()) s.uid = StudyUidOf(f);
    }
    studies.push_back(s);
  }
  return studies;
}

FaultyLinkOptions LinkTo(uint16_t port, const Settings& s, bool cuts) {
  FaultyLinkOptions o;
  o.targetPort = port;
  o.upBytesPerSecond = static_cast<int64_t>(s.kbps * 1000 / 8);
  o.downBytesPerSecond = o.upBytesPerSecond;
  o.rtt = std::chrono::milliseconds(s.rttMs);
  if (cuts) o.cutEvery = std::chrono::seconds(s.cutEverySeconds);
  return o;
}

bool AllRouted(const OrthancServer& hub, const std::vector<Study>& studies) {
  for (const auto& s : studies) {
    if (CasesOfStudy(hub, s.uid).size() != 1) return false;
  }
  return true;
}

struct Outcome {
  bool done = false;
  double seconds = 0;
  int64_t wireBytes = 0;
  int cuts = 0;
};

void WriteForwardConfig(const std::filesystem::path& dir, const std::string& url) {
  std::ofstream(dir / "forward.json") << nlohmann::json{
      {"outbox", (dir / "outbox").string()},
      {"hub", {{"url", url}, {"user", "unit07"}, {"password", "unit07-pass"}, {"manifest", true}}},
      {"retry", {{"initialSeconds", 1}, {"maxSeconds", 10}, {"multiplier", 2}, {"jitter", 0.5}, {"giveUpAfter", 1000}}}}
                                            .dump();
}

void Enqueue(const std::filesystem::path& dir, const Study& s, bool urgent) {
  std::vector<std::string> argv{RELAIS_FORWARD_EXECUTABLE, "-c", (dir / "forward.json").string(), "enqueue",
                                s.folder.string()};
  if (urgent) argv.push_back("--urgent");
  ChildProcess enqueue(argv, dir / ("enqueue-" + s.name + ".log"));
  if (enqueue.wait(std::chrono::minutes(2)) != 0) {
    std::fprintf(stderr, "enqueue failed:\n%s\n", enqueue.log().c_str());
    std::exit(1);
  }
}

// relais-forward --once from a fresh outbox until every study is a case on the hub.
Outcome ForwardDay(const std::vector<Study>& studies, const Settings& settings, bool cuts) {
  TempDir dir("relais-bench-badlink");
  OrthancServer hub(HubOptions());
  FaultyLink link(LinkTo(hub.httpPort(), settings, cuts));
  WriteForwardConfig(dir.path(), link.url());
  for (const auto& s : studies) Enqueue(dir.path(), s, false);
  Outcome o;
  const auto start = Clock::now();
  const auto deadline = start + std::chrono::seconds(settings.limitSeconds);
  ChildProcess run({RELAIS_FORWARD_EXECUTABLE, "-c", (dir / "forward.json").string(), "--once"}, dir / "forward.log");
  while (Clock::now() < deadline) {
    if (AllRouted(hub, studies)) {
      o.done = true;
      break;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(200));
  }
  o.seconds = Seconds(Clock::now() - start);
  o.wireBytes = link.bytesUp() + link.bytesDown();
  o.cuts = link.cuts();
  return o;
}

// One file after another with `send`, each started again after a failure, until all went or
// the limit passed.
using SendCommand = std::function<std::string(const OrthancServer&, const FaultyLink&, const std::filesystem::path&)>;

Outcome ReferenceDay(const std::vector<Study>& studies, const Settings& settings, bool cuts, bool dicom,
                     const SendCommand& command) {
  OrthancServer hub(HubOptions());
  FaultyLink link(LinkTo(dicom ? hub.dicomPort() : hub.httpPort(), settings, cuts));
  Outcome o;
  const auto start = Clock::now();
  const auto deadline = start + std::chrono::seconds(settings.limitSeconds);
  bool all = true;
  for (const auto& s : studies) {
    for (const auto& f : FilesOf(s.folder)) {
      bool sent = false;
      while (!sent && Clock::now() < deadline) sent = RunCommand(command(hub, link, f)) == 0;
      all = all && sent;
    }
  }
  o.seconds = Seconds(Clock::now() - start);
  o.done = all;
  o.wireBytes = link.bytesUp() + link.bytesDown();
  o.cuts = link.cuts();
  return o;
}

std::string CurlCommand(const OrthancServer&, const FaultyLink& link, const std::filesystem::path& file) {
  return "curl -sf -o /dev/null --max-time 600"
         " -u unit07:unit07-pass -H 'Content-Type: application/dicom' -H 'Expect:' --data-binary @'" + file.string() +
         "' " + link.url() + "/instances";
}

// storescu proposes uncompressed transfer syntaxes unless told which compressed one a file has.
std::string ProposalFor(const std::filesystem::path& file) {
  DcmFileFormat f;
  if (f.loadFile(file.c_str(), EXS_Unknown, EGL_noChange, 4096).bad()) return "";
  const E_TransferSyntax syntax = f.getDataset()->getOriginalXfer();
  if (syntax == EXS_JPEGProcess1) return "-xy ";
  if (syntax == EXS_JPEGLSLossless) return "-xt ";
  return "";
}

std::string StorescuCommand(const OrthancServer& hub, const FaultyLink& link, const std::filesystem::path& file) {
  return "TCP_NODELAY=1 storescu -q " + ProposalFor(file) + "-to 30 -ta 30 -td 600 -aet TESTMODALITY -aec " + hub.aet() + " 127.0.0.1 " +
         std::to_string(link.port()) + " '" + file.string() + "' >/dev/null 2>&1";
}

// The urgent-first scenario: the routine X-ray is being sent; when half its bytes went up,
// the urgent dermatology study is enqueued. Returns the urgent study's time to its case.
Outcome UrgentWhileXrayHalfway(const std::vector<Study>& studies, const Settings& settings) {
  const Study& xray = studies[2];
  const Study& derm = studies[0];
  TempDir dir("relais-bench-badlink-urgent");
  OrthancServer hub(HubOptions());
  FaultyLink link(LinkTo(hub.httpPort(), settings, false));
  WriteForwardConfig(dir.path(), link.url());
  Enqueue(dir.path(), xray, false);
  ChildProcess run({RELAIS_FORWARD_EXECUTABLE, "-c", (dir / "forward.json").string(), "--once"}, dir / "forward.log");
  Outcome o;
  const auto deadline = Clock::now() + std::chrono::seconds(settings.limitSeconds);
  while (link.bytesUp() < xray.bytes / 2 && Clock::now() < deadline) std::this_thread::sleep_for(std::chrono::milliseconds(50));
  const auto enqueued = Clock::now();
  Enqueue(dir.path(), derm, true);
  while (Clock::now() < deadline) {
    if (CasesOfStudy(hub, derm.uid).size() == 1) {
      o.done = true;
      break;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  o.seconds = Seconds(Clock::now() - enqueued);
  o.wireBytes = link.bytesUp() + link.bytesDown();
  if (std::getenv("RELAIS_BENCH_SHOW_LOG")) std::printf("%s\n", run.log().c_str());
  // The X-ray goes on afterwards, from where it stopped.
  while (Clock::now() < deadline && CasesOfStudy(hub, xray.uid).size() != 1) std::this_thread::sleep_for(std::chrono::milliseconds(200));
  if (CasesOfStudy(hub, xray.uid).size() != 1) std::printf("  the X-ray did not become a case after the urgent study\n");
  return o;
}

Settings Parse(int argc, char** argv) {
  Settings s;
  for (int i = 1; i + 1 < argc; i += 2) {
    const std::string key = argv[i];
    const std::string value = argv[i + 1];
    if (key == "--kbps") s.kbps = std::stod(value);
    else if (key == "--rtt-ms") s.rttMs = std::stoi(value);
    else if (key == "--cut-every-s") s.cutEverySeconds = std::stoi(value);
    else if (key == "--limit-s") s.limitSeconds = std::stoi(value);
    else if (key == "--only") s.only = value;
    else {
      std::fprintf(stderr, "unknown option %s (expected --kbps, --rtt-ms, --cut-every-s, --limit-s, --only)\n", key.c_str());
      std::exit(2);
    }
  }
  return s;
}

}  // namespace

int main(int argc, char** argv) {
  std::setvbuf(stdout, nullptr, _IOLBF, 0);  // each figure as soon as it is measured
  const Settings settings = Parse(argc, argv);
  DJLSDecoderRegistration::registerCodecs();
  TempDir samples("relais-bench-badlink-samples");
  const std::vector<Study> studies = MakeSamples(samples.path());
  int64_t bytes = 0, captured = 0;
  for (const auto& s : studies) {
    bytes += s.bytes;
    captured += s.capturedBytes;
  }
  const double rate = settings.kbps * 1000 / 8;
  const double ideal = static_cast<double>(captured) / rate;
  std::printf("a unit's day over a bad link: %.0f kbit/s each way, RTT %d ms, loopback, Orthanc 1.10.1 + Relais\n",
              settings.kbps, settings.rttMs);
  for (const auto& s : studies) {
    std::printf("  %-5s %8.2f MB as sent, %8.2f MB as captured (uncompressed pixels)\n", s.name.c_str(), s.bytes / 1e6,
                s.capturedBytes / 1e6);
  }
  std::printf("  all   %8.2f MB as sent, %8.2f MB as captured; ideal time of the captured bytes %.0f s\n\n", bytes / 1e6,
              captured / 1e6, ideal);

  auto line = [&](const std::string& name, const Outcome& o, double goal) {
    if (!o.done) {
      std::printf("  %-44s NOT DONE in %5.0f s  wire %7.2f MB (%.2f x captured)  cuts %d\n", name.c_str(), o.seconds,
                  o.wireBytes / 1e6, static_cast<double>(o.wireBytes) / captured, o.cuts);
      return;
    }
    std::printf("  %-44s %6.1f s = %.2f x ideal%s  wire %7.2f MB (%.2f x captured)  cuts %d\n", name.c_str(), o.seconds,
                o.seconds / ideal, goal > 0 ? (o.seconds / ideal <= goal ? " (goal met)" : " (goal MISSED)") : "",
                o.wireBytes / 1e6, static_cast<double>(o.wireBytes) / captured, o.cuts);
  };
  const bool all = settings.only.empty();
  if (all || settings.only == "forward") {
    line("relais-forward, no cuts (goal 1.10 x)", ForwardDay(studies, settings, false), 1.10);
    line("relais-forward, a cut every " + std::to_string(settings.cutEverySeconds) + " s (goal 1.25 x)",
         ForwardDay(studies, settings, true), 1.25);
  }
  if (all || settings.only == "curl") {
    line("curl POST /instances, no cuts", ReferenceDay(studies, settings, false, false, CurlCommand), 0);
    line("curl POST /instances, cuts", ReferenceDay(studies, settings, true, false, CurlCommand), 0);
  }
  if (all || settings.only == "storescu") {
    line("storescu C-STORE, no cuts", ReferenceDay(studies, settings, false, true, StorescuCommand), 0);
    line("storescu C-STORE, cuts", ReferenceDay(studies, settings, true, true, StorescuCommand), 0);
  }
  if (all || settings.only == "urgent") {
    const Outcome o = UrgentWhileXrayHalfway(studies, settings);
    const double own = static_cast<double>(studies[0].bytes) / rate;
    std::printf("  urgent study enqueued with the X-ray halfway: a case after %.1f s; its own bytes take %.1f s; "
                "goal <= %.1f s: %s\n",
                o.seconds, own, own + 10, o.done && o.seconds <= own + 10 ? "met" : "MISSED");
  }
  return 0;
}
