#pragma once
// What the link to the hub carries, measured from the pieces that went through: each piece's
// rate times the uploads that shared the link meanwhile, smoothed. It decides how many
// uploads go at once: on a narrow link (below about 2 Mbit/s) one, so the most pressing
// instance has the whole link and arrives first; on a wider one, one more per 2 Mbit/s, up
// to the configured concurrency. Thread-safe; pure arithmetic.
#include <cstdint>
#include <mutex>

namespace relais::outbox {

class LinkMeter {
 public:
  static constexpr double kNarrowBytesPerSecond = 250'000;  // 2 Mbit/s

  void recordPiece(int64_t bytes, double seconds, int inFlight);
  double bytesPerSecond() const;  // 0 before anything was measured
  // How many uploads to run at once, at most `most`; one until something was measured.
  int uploadsFor(int most) const;

 private:
  mutable std::mutex mutex_;
  double rate_ = 0;
};

}  // namespace relais::outbox
