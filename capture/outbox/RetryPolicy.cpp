#include "outbox/RetryPolicy.h"

#include <algorithm>
#include <cmath>

namespace relais::outbox {

std::chrono::milliseconds RetryPolicy::delayAfter(int failures, double random01) const {
  if (failures < 1) return std::chrono::milliseconds(0);
  const double cap = static_cast<double>(maxDelay.count());
  // Capping the exponent first keeps pow() finite after days of failures.
  const double exponent = std::min(failures - 1, 64);
  const double base = std::min(cap, static_cast<double>(initialDelay.count()) * std::pow(multiplier, exponent));
  const double j = std::clamp(jitter, 0.0, 1.0);
  const double r = std::clamp(random01, 0.0, 1.0);
  return std::chrono::milliseconds(static_cast<long long>(base * (1.0 - j * r)));
}

}  // namespace relais::outbox
