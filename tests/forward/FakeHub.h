#pragma once
// A tiny HTTP server on a loopback port that plays a sick hub: it answers every request with
// HTTP 500, or reads the request and never answers. It records when each request arrived, so
// tests can prove the forwarder backs off instead of looping.
#include <atomic>
#include <chrono>
#include <cstdint>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace relais::test {

class FakeHub {
 public:
  enum class Behaviour { Answer500, NeverAnswer };

  explicit FakeHub(Behaviour behaviour);
  ~FakeHub();
  FakeHub(const FakeHub&) = delete;
  FakeHub& operator=(const FakeHub&) = delete;

  std::string url() const { return "http://127.0.0.1:" + std::to_string(port_); }
  std::vector<std::chrono::steady_clock::time_point> requests() const;

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
  std::thread thread_;
};

}  // namespace relais::test
