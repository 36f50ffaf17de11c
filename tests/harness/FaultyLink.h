#pragma once
// A bad mobile link between a client and a server, as a TCP proxy on 127.0.0.1 that runs on
// its own threads inside a test (or benchmark) process:
//   FaultyLink link({.targetPort = hub.httpPort(), .upBytesPerSecond = 2'000'000, .cutEvery = 5s});
//   ... point the client at link.port() ...
// - rate: each direction has one budget shared by all its connections (a van's 3G link is one
//   pipe, whatever the number of uploads in it);
// - RTT: every chunk leaves half an RTT after its turn on the link, so latency is a delay in
//   the pipe, not a pause between chunks (a window of data is in flight, as on a real link);
// - cuts: every `cutEvery`, or on cutNow(), every open connection is reset (RST both ways);
//   `resetAfterUpBytes` resets each connection once it has carried that many bytes upstream,
//   and cutAfterUpBytes(n) resets the open connections once n more bytes went up (a cut in
//   the middle of a request, at a byte the test chooses);
// - counters: bytes delivered each way, cuts, connections.
// The destructor (or stop()) closes everything and joins its threads.
#include <atomic>
#include <chrono>
#include <cstdint>
#include <functional>
#include <list>
#include <memory>
#include <mutex>
#include <thread>

namespace relais::test {

struct FaultyLinkOptions {
  uint16_t targetPort = 0;
  uint16_t listenPort = 0;               // 0: a free port chosen by the kernel
  int64_t upBytesPerSecond = 0;          // client -> target; 0: no limit
  int64_t downBytesPerSecond = 0;        // target -> client; 0: no limit
  std::chrono::milliseconds rtt{0};
  std::chrono::milliseconds cutEvery{0};  // 0: no periodic cuts
  int64_t resetAfterUpBytes = 0;          // per connection; 0: never
  std::function<void(int cut, int connectionsReset)> onCut;  // called on the link's thread
};

class FaultyLink {
 public:
  explicit FaultyLink(FaultyLinkOptions options);
  ~FaultyLink();
  FaultyLink(const FaultyLink&) = delete;
  FaultyLink& operator=(const FaultyLink&) = delete;

  uint16_t port() const { return port_; }
  std::string url() const { return "http://127.0.0.1:" + std::to_string(port_); }

  // Resets every open connection now (counts as a cut).
  void cutNow();
  // Resets the connections open at that moment once `bytes` more bytes went upstream.
  void cutAfterUpBytes(int64_t bytes);
  // Closes the listener and every connection; idempotent.
  void stop();

  int64_t bytesUp() const { return bytesUp_; }
  int64_t bytesDown() const { return bytesDown_; }
  int cuts() const { return cuts_; }
  int connections() const { return connections_; }
  int openConnections() const;

 private:
  struct Budget;
  struct Connection;
  void acceptLoop();
  void pump(Connection& c, bool up);
  void resetAll();
  void reap(bool all);

  FaultyLinkOptions options_;
  int listener_ = -1;
  uint16_t port_ = 0;
  std::unique_ptr<Budget> upBudget_;
  std::unique_ptr<Budget> downBudget_;
  std::atomic<bool> stop_{false};
  std::atomic<bool> cutRequested_{false};
  std::atomic<int64_t> armedCutAt_{-1};  // bytesUp_ value at which to cut; -1: none
  std::atomic<int64_t> bytesUp_{0};
  std::atomic<int64_t> bytesDown_{0};
  std::atomic<int> cuts_{0};
  std::atomic<int> connections_{0};
  mutable std::mutex mutex_;
  std::list<std::unique_ptr<Connection>> open_;
  std::thread acceptor_;
};

}  // namespace relais::test
