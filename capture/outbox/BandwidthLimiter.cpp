#include "outbox/BandwidthLimiter.h"

#include <algorithm>
#include <thread>

namespace relais::outbox {

BandwidthLimiter::BandwidthLimiter(int64_t bytesPerSecond, Clock clock, Sleep sleep)
    : rate_(std::max<int64_t>(0, bytesPerSecond)),
      clock_(clock ? std::move(clock) : Clock([] { return std::chrono::steady_clock::now(); })),
      sleep_(sleep ? std::move(sleep) : Sleep([](std::chrono::nanoseconds d) { std::this_thread::sleep_for(d); })),
      // Start empty: a forwarder restarted in a loop (crashes, cron) must not burst past the cap.
      tokens_(0),
      last_(clock_()) {}

void BandwidthLimiter::acquire(int64_t bytes) {
  if (rate_ == 0 || bytes <= 0) return;
  std::chrono::nanoseconds wait{0};
  {
    std::lock_guard<std::mutex> lock(mutex_);
    const auto now = clock_();
    const double elapsed = std::chrono::duration<double>(now - last_).count();
    last_ = now;
    tokens_ = std::min(static_cast<double>(rate_), tokens_ + elapsed * static_cast<double>(rate_));
    // Take the tokens now even if that goes negative: the debt makes the next caller wait
    // too, which keeps the average at the cap with several threads.
    tokens_ -= static_cast<double>(bytes);
    if (tokens_ < 0) {
      wait = std::chrono::nanoseconds(static_cast<int64_t>(-tokens_ / static_cast<double>(rate_) * 1e9));
    }
  }
  if (wait.count() > 0) sleep_(wait);
}

}  // namespace relais::outbox
