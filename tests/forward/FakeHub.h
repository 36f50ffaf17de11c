#pragma once
// A tiny HTTP server on a loopback port that plays a sick hub (every request answered with
// HTTP 500, or read and never answered) or a scripted one (fixed answers per method and
// path). It records each request and when it arrived, so tests can prove the forwarder backs
// off instead of looping, and see what the unit asked for.
#include <atomic>
#include <chrono>
#include <cstdint>
#include <map>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace relais::test {

class FakeHub {
 public:
  enum class Behaviour { Answer500, NeverAnswer, Scripted };

  struct Answer {
    int status = 200;
    std::string body;
    std::string contentType = "application/json";
  };

  explicit FakeHub(Behaviour behaviour);
  ~FakeHub();
  FakeHub(const FakeHub&) = delete;
  FakeHub& operator=(const FakeHub&) = delete;

  std::string url() const { return "http://127.0.0.1:" + std::to_string(port_); }
  std::vector<std::chrono::steady_clock::time_point> requests() const;
  // Scripted: what "METHOD /path" answers (404 for anything else).
  void script(const std::string& methodAndPath, Answer answer);
  // Scripted: a binary document that honours "Range: bytes=N-" and "If-Range" (206 with
  // Content-Range, 200 when If-Range names another ETag). The next `cuts` answers stop after
  // `cutAfter` bytes of body (the connection reset), as a dropping link would.
  void scriptRanged(const std::string& methodAndPath, std::string body, std::string etag, int cuts = 0,
                    int64_t cutAfter = 0);
  // The Range header of every request ("" without one), in order.
  std::vector<std::string> ranges() const;
  // "METHOD /path" of every request so far, in order.
  std::vector<std::string> requestLines() const;

 private:
  void serve();
  void handle(int client);

  Behaviour behaviour_;
  int listener_ = -1;
  uint16_t port_ = 0;
  std::atomic<bool> stop_{false};
  mutable std::mutex mutex_;
  std::vector<std::chrono::steady_clock::time_point> requests_;
  std::vector<int> openClients_;
  std::map<std::string, Answer> script_;
  struct Ranged {
    std::string body;
    std::string etag;
    int cuts = 0;
    int64_t cutAfter = 0;
  };
  std::map<std::string, Ranged> ranged_;
  std::vector<std::string> ranges_;
  std::vector<std::string> lines_;
  std::thread thread_;
};

}  // namespace relais::test
