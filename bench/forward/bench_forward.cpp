// Forwarding benchmark on loopback: the same study uploaded to a fresh Orthanc (with the
// Relais plugin and the test accounts) three ways in one run, and the rates compared:
//   relais-forward --once  (HTTP as unit07, concurrent uploads, outbox bookkeeping and the
//                           manifest included; the hub must have routed the study when it ends)
//   curl                   (as unit07: one `curl --data-binary @file .../instances` per file, in turn;
//                           also 4 such loops in parallel, and one curl process sending
//                           every file over one kept-alive connection: the strongest curl)
//   storescu               (DICOM C-STORE, one association, TCP_NODELAY=1)
// Usage: relais_bench_forward [instances=200] [bytes-per-instance=20000]
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <string>

#include "harness/ChildProcess.h"
#include "harness/HubCases.h"
#include "harness/TestHub.h"
#include "harness/OrthancServer.h"
#include "harness/SyntheticStudy.h"
#include "harness/TempDir.h"

using namespace relais::test;

namespace {

double Seconds(std::chrono::steady_clock::duration d) { return std::chrono::duration<double>(d).count(); }

int CountInstances(const OrthancServer& hub) {
  HttpClient http = hub.client();
  http.setCredentials("admin", "admin-pass");
  return http.get("/statistics").json()["CountInstances"].get<int>();
}

void Check(const OrthancServer& hub, int expected, const char* who) {
  const int held = CountInstances(hub);
  if (held != expected) {
    std::fprintf(stderr, "%s: the hub holds %d instances, expected %d\n", who, held, expected);
    std::exit(1);
  }
}

}  // namespace

int main(int argc, char** argv) {
  const int instances = argc > 1 ? std::atoi(argv[1]) : 200;
  const long bytes = argc > 2 ? std::atol(argv[2]) : 20000;
  TempDir dir("relais-bench-forward");
  SyntheticStudyOptions options;
  options.instances = instances;
  options.bytesPerInstance = bytes;
  auto study = WriteSyntheticStudy(dir / "study", options);
  long total = 0;
  for (const auto& f : study.files) total += static_cast<long>(std::filesystem::file_size(f));
  std::printf("forwarding benchmark: %d instances, %.1f KB each, loopback, Orthanc 1.10.1 + Relais plugin (SQLite)\n",
              instances, total / 1000.0 / instances);

  // relais-forward: enqueue (not timed: the nurse's capture does it), then send once.
  double forwardSeconds = 0;
  {
    OrthancServer hub(HubOptions());
    std::ofstream(dir / "forward.json") << nlohmann::json{
        {"outbox", (dir / "outbox").string()},
        // As a unit runs it: its account, and the manifest after the last instance (the hub
        // routes a unit's study only once its manifest is met).
        {"hub", {{"url", hub.baseUrl()}, {"user", "unit07"}, {"password", "unit07-pass"}, {"manifest", true}}},
        {"concurrency", 4}}.dump();
    const std::string forward = RELAIS_FORWARD_EXECUTABLE;
    ChildProcess enqueue({forward, "-c", (dir / "forward.json").string(), "enqueue", (dir / "study").string()},
                         dir / "enqueue.log");
    if (enqueue.wait(std::chrono::minutes(5)) != 0) {
      std::fprintf(stderr, "enqueue failed:\n%s\n", enqueue.log().c_str());
      return 1;
    }
    const auto start = std::chrono::steady_clock::now();
    ChildProcess run({forward, "-c", (dir / "forward.json").string(), "--once"}, dir / "forward.log");
    if (run.wait(std::chrono::minutes(10)) != 0) {
      std::fprintf(stderr, "relais-forward failed:\n%s\n", run.log().c_str());
      return 1;
    }
    forwardSeconds = Seconds(std::chrono::steady_clock::now() - start);
    Check(hub, instances, "relais-forward");
    // The manifest was acknowledged, so the study is a case already: no waiting here.
    const auto cases = CasesOfStudy(hub, study.studyInstanceUid);
    if (cases.size() != 1) {
      std::fprintf(stderr, "relais-forward: the hub has %zu cases for the study, expected 1\n%s\n", cases.size(),
                   run.log().c_str());
      return 1;
    }
  }

  auto curlLoop = [&](const OrthancServer& hub, int parallel) {
    const std::string script = "cd '" + (dir / "study").string() + "' && ls | xargs -P " + std::to_string(parallel) +
                               " -I{} curl -sf -o /dev/null -u unit07:unit07-pass -H 'Content-Type: application/dicom' -H 'Expect:' "
                               "--data-binary @{} " + hub.baseUrl() + "/instances";
    const auto start = std::chrono::steady_clock::now();
    if (RunCommand(script) != 0) {
      std::fprintf(stderr, "curl failed\n");
      std::exit(1);
    }
    return Seconds(std::chrono::steady_clock::now() - start);
  };
  double curlSeconds = 0;
  {
    OrthancServer hub(HubOptions());
    curlSeconds = curlLoop(hub, 1);
    Check(hub, instances, "curl");
  }
  double curl4Seconds = 0;
  {
    OrthancServer hub(HubOptions());
    curl4Seconds = curlLoop(hub, 4);
    Check(hub, instances, "curl x4");
  }
  // The strongest curl: one process, one kept-alive connection, every file in turn (--next).
  double curlKeepAliveSeconds = 0;
  {
    OrthancServer hub(HubOptions());
    {
      std::ofstream k(dir / "curl.cfg");
      bool first = true;
      for (const auto& f : study.files) {
        if (!first) k << "next\n";
        first = false;
        k << "url = \"" << hub.baseUrl() << "/instances\"\nuser = \"unit07:unit07-pass\"\n"
          << "header = \"Content-Type: application/dicom\"\nheader = \"Expect:\"\n"
          << "data-binary = \"@" << f.string() << "\"\noutput = \"/dev/null\"\nsilent\nfail\n";
      }
    }
    const auto start = std::chrono::steady_clock::now();
    if (RunCommand("curl -K '" + (dir / "curl.cfg").string() + "'") != 0) {
      std::fprintf(stderr, "curl -K failed\n");
      return 1;
    }
    curlKeepAliveSeconds = Seconds(std::chrono::steady_clock::now() - start);
    Check(hub, instances, "curl keep-alive");
  }
  double storescuSeconds = 0;
  {
    OrthancServer hub(HubOptions());
    const std::string command = "TCP_NODELAY=1 storescu -aet " + std::string(kTestModalityAet) + " -aec " + hub.aet() + " 127.0.0.1 " +
                                std::to_string(hub.dicomPort()) + " +sd '" + (dir / "study").string() + "'";
    const auto start = std::chrono::steady_clock::now();
    std::string output;
    if (RunCommand(command, &output) != 0) {
      std::fprintf(stderr, "storescu failed:\n%s\n", output.c_str());
      return 1;
    }
    storescuSeconds = Seconds(std::chrono::steady_clock::now() - start);
    Check(hub, instances, "storescu");
  }

  auto line = [&](const char* name, double seconds) {
    std::printf("  %-40s %7.2f s  %8.1f instances/s  %7.2f MB/s\n", name, seconds, instances / seconds,
                total / 1e6 / seconds);
  };
  line("relais-forward --once (HTTP, 4 in flight)", forwardSeconds);
  line("curl, one process per file (reference)", curlSeconds);
  line("curl, 4 loops in parallel", curl4Seconds);
  line("curl, one process, keep-alive (--next)", curlKeepAliveSeconds);
  line("storescu, TCP_NODELAY=1", storescuSeconds);
  std::printf("  relais-forward / curl            = %.2f (goal >= 0.90)\n", curlSeconds / forwardSeconds);
  std::printf("  relais-forward / curl x4         = %.2f\n", curl4Seconds / forwardSeconds);
  std::printf("  relais-forward / curl keep-alive = %.2f (the strictest reading of the goal)\n",
              curlKeepAliveSeconds / forwardSeconds);
  std::printf("  relais-forward / storescu        = %.2f\n", storescuSeconds / forwardSeconds);
  return 0;
}
