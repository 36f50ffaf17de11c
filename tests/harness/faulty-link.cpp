// relais-faulty-link: a bad mobile link between a unit and its hub, on loopback, for people and
// benchmarks (tests use FaultyLink in-process).
//   relais-faulty-link LISTEN_PORT TARGET_PORT [--kbps 1000] [--rtt-ms 300] [--cut-every-s 20]
//                      [--reset-after-up-bytes N]
// Prints one line per cut and, on SIGTERM/SIGINT, the bytes carried each way and the cuts.
#include <signal.h>

#include <CLI/CLI.hpp>

#include <cstdio>

#include "harness/FaultyLink.h"

int main(int argc, char** argv) {
  CLI::App app{"relais-faulty-link: a TCP proxy on 127.0.0.1 that behaves like a van's 3G link"};
  int listenPort = 0;
  int targetPort = 0;
  double kbps = 0;
  double upKbps = 0;
  double downKbps = 0;
  double rttMs = 0;
  double cutEverySeconds = 0;
  int64_t resetAfterUpBytes = 0;
  app.add_option("listen", listenPort, "port to listen on (127.0.0.1)")->required()->check(CLI::Range(0, 65535));
  app.add_option("target", targetPort, "port to forward to (127.0.0.1)")->required()->check(CLI::Range(1, 65535));
  app.add_option("--kbps", kbps, "kilobits per second each way, shared by all connections (0: no limit)");
  app.add_option("--up-kbps", upKbps, "upstream rate, overrides --kbps");
  app.add_option("--down-kbps", downKbps, "downstream rate, overrides --kbps");
  app.add_option("--rtt-ms", rttMs, "round trip time added, in milliseconds");
  app.add_option("--cut-every-s", cutEverySeconds, "reset every open connection this often (0: never)");
  app.add_option("--reset-after-up-bytes", resetAfterUpBytes, "reset each connection after this many bytes upstream");
  CLI11_PARSE(app, argc, argv);

  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGINT);
  sigaddset(&signals, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);  // before the link's threads start

  auto bytesPerSecond = [](double k) { return static_cast<int64_t>(k * 1000 / 8); };
  relais::test::FaultyLinkOptions o;
  o.listenPort = static_cast<uint16_t>(listenPort);
  o.targetPort = static_cast<uint16_t>(targetPort);
  o.upBytesPerSecond = bytesPerSecond(upKbps > 0 ? upKbps : kbps);
  o.downBytesPerSecond = bytesPerSecond(downKbps > 0 ? downKbps : kbps);
  o.rtt = std::chrono::milliseconds(static_cast<int64_t>(rttMs));
  o.cutEvery = std::chrono::milliseconds(static_cast<int64_t>(cutEverySeconds * 1000));
  o.resetAfterUpBytes = resetAfterUpBytes;
  o.onCut = [](int cut, int reset) {
    std::printf("cut %d: %d connection(s) reset\n", cut, reset);
    std::fflush(stdout);
  };
  try {
    relais::test::FaultyLink link(o);
    std::printf("listening on 127.0.0.1:%u, forwarding to 127.0.0.1:%d\n", link.port(), targetPort);
    std::fflush(stdout);
    int received = 0;
    sigwait(&signals, &received);
    link.stop();
    std::printf("carried up %lld B, down %lld B, cuts %d, connections %d\n", static_cast<long long>(link.bytesUp()),
                static_cast<long long>(link.bytesDown()), link.cuts(), link.connections());
  } catch (const std::exception& e) {
    std::fprintf(stderr, "relais-faulty-link: %s\n", e.what());
    return 2;
  }
  return 0;
}
