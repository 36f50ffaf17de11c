#pragma once
// A token bucket shared by the sending threads, so the forwarder leaves room on a shared
// mobile link. Zero bytes per second means no cap. The clock and the sleep are injectable so
// the arithmetic is tested without waiting.
#include <chrono>
#include <cstdint>
#include <functional>
#include <mutex>

namespace relais::outbox {

class BandwidthLimiter {
 public:
  using Clock = std::function<std::chrono::steady_clock::time_point()>;
  using Sleep = std::function<void(std::chrono::nanoseconds)>;

  explicit BandwidthLimiter(int64_t bytesPerSecond, Clock clock = {}, Sleep sleep = {});

  // Blocks until `bytes` may go out. Idle time banks up to one second's worth for a burst.
  void acquire(int64_t bytes);
  int64_t bytesPerSecond() const { return rate_; }

 private:
  int64_t rate_;
  Clock clock_;
  Sleep sleep_;
  std::mutex mutex_;
  double tokens_;
  std::chrono::steady_clock::time_point last_;
};

}  // namespace relais::outbox
