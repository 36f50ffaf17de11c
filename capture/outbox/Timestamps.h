#pragma once
// The times the outbox and the inbox record (enqueued, sent, received, acknowledged...).
#include <chrono>
#include <cstdint>

namespace relais::outbox {

// Milliseconds since the Unix epoch, by the wall clock: comparable across restarts.
inline int64_t NowMs() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch())
      .count();
}

}  // namespace relais::outbox
