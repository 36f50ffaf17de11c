#include "outbox/PieceSizer.h"

#include <algorithm>

namespace relais::outbox {

PieceSizer::PieceSizer() : PieceSizer(Limits{}) {}

PieceSizer::PieceSizer(Limits limits) : limits_(limits), size_(0) {
  limits_.max = std::max(limits_.max, limits_.min);
  size_ = clamp(limits_.initial);
}

int64_t PieceSizer::clamp(int64_t bytes) const { return std::clamp(bytes, limits_.min, limits_.max); }

void PieceSizer::recordPiece(int64_t bytes, double seconds) {
  if (bytes <= 0 || seconds <= 0) return;
  const double sample = static_cast<double>(bytes) / seconds;
  // Weighted towards the newest piece: a mobile link's rate changes from minute to minute.
  rate_ = rate_ <= 0 ? sample : 0.4 * rate_ + 0.6 * sample;
  const auto target = static_cast<int64_t>(rate_ * limits_.targetSeconds);
  size_ = clamp(std::min(target, size_ * 2));
}

void PieceSizer::recordCut() { size_ = clamp(size_ / 2); }

void PieceSizer::recordTooLarge(int64_t bytes) {
  limits_.max = std::max(limits_.min, bytes / 2);
  limits_.min = std::min(limits_.min, limits_.max);
  size_ = clamp(size_);
}

}  // namespace relais::outbox
