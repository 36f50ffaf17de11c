#pragma once
// When to try again after the link failed: exponential backoff with jitter, so that a hub
// coming back is not hit by every unit at the same instant, and a dead link costs a few
// requests an hour rather than a busy loop. Pure logic: the random draw is passed in.
#include <chrono>

namespace relais::outbox {

struct RetryPolicy {
  std::chrono::milliseconds initialDelay{1000};
  std::chrono::milliseconds maxDelay{300000};
  double multiplier = 2.0;
  // Fraction of the delay drawn at random: 0.5 waits between 50% and 100% of the delay.
  double jitter = 0.5;
  // --once gives up after this many consecutive failed attempts (the service never does).
  int giveUpAfter = 8;

  // Delay before attempt number `failures + 1` after `failures` consecutive failures (>= 1);
  // `random01` is a uniform draw in [0, 1).
  std::chrono::milliseconds delayAfter(int failures, double random01) const;
};

}  // namespace relais::outbox
