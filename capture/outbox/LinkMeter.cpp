#include "outbox/LinkMeter.h"

#include <algorithm>

namespace relais::outbox {

void LinkMeter::recordPiece(int64_t bytes, double seconds, int inFlight) {
  if (bytes <= 0 || seconds <= 0) return;
  const double sample = static_cast<double>(bytes) / seconds * std::max(1, inFlight);
  std::lock_guard<std::mutex> lock(mutex_);
  rate_ = rate_ <= 0 ? sample : 0.7 * rate_ + 0.3 * sample;
}

double LinkMeter::bytesPerSecond() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return rate_;
}

int LinkMeter::uploadsFor(int most) const {
  const double rate = bytesPerSecond();
  if (rate < kNarrowBytesPerSecond) return 1;
  return std::clamp(static_cast<int>(rate / kNarrowBytesPerSecond), 1, std::max(1, most));
}

}  // namespace relais::outbox
