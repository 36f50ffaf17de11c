#pragma once
// Empties the outbox through a transport: urgent studies first (an urgent instance enqueued
// while a routine one is on its way goes next: the routine upload yields between two pieces
// and continues later from what the hub holds), as many instances in flight as the measured
// link carries well (LinkMeter; at most `concurrency`, one transport per sending thread),
// each marked sent only on the receiver's confirmation, the manifest posted once a study's
// last instance is confirmed, a bandwidth cap, exponential backoff with jitter whenever the
// link or the receiver stays unwell (never a busy loop), and a full stop when the hub refuses
// the unit's account (remembered in the outbox until the account's configuration changes).
#include <atomic>
#include <chrono>
#include <functional>
#include <memory>
#include <random>
#include <string>
#include <vector>

#include "outbox/BandwidthLimiter.h"
#include "outbox/ForwardProgress.h"
#include "outbox/LinkMeter.h"
#include "outbox/Outbox.h"
#include "outbox/RetryPolicy.h"
#include "outbox/Transport.h"

namespace relais::outbox {

struct ForwarderOptions {
  int concurrency = 4;  // the most; the measured link decides how many below that
  size_t batchSize = 64;
  RetryPolicy retry;
  int64_t bytesPerSecond = 0;  // 0: no cap
  // true (--once): stop after retry.giveUpAfter consecutive failures; false (service): retry
  // for ever, with the delay capped at retry.maxDelay.
  bool giveUp = false;
};

struct DrainResult {
  int sent = 0;
  int refused = 0;
  int manifests = 0;
  int failedAttempts = 0;
  bool empty = false;      // nothing left to send and no manifest due
  bool accountRefused = false;  // the hub refuses the unit's account: lastError says so
  std::string lastError;
};

class Forwarder {
 public:
  using TransportFactory = std::function<std::unique_ptr<Transport>()>;

  Forwarder(Outbox& outbox, TransportFactory factory, ForwarderOptions options, ForwardProgress* progress = nullptr);
  ~Forwarder();

  // Sends until the outbox is empty, `stop` becomes true, or (giveUp) the link stayed down.
  DrainResult drain(const std::atomic<bool>& stop);

  const LinkMeter& link() const { return link_; }

 private:
  struct Tally;
  bool sendBatch(const std::vector<PendingInstance>& batch, DrainResult& result);
  bool completeStudies(DrainResult& result);
  // True (and `result` says why) when the account this transport uses was refused.
  bool accountStillRefused(DrainResult& result);
  void refuseAccount(Transport& t, const std::string& message, DrainResult& result);
  void waitBackoff(int failures, const std::atomic<bool>& stop, const std::string& reason);
  Transport& transport(size_t index);

  Outbox& outbox_;
  TransportFactory factory_;
  ForwarderOptions options_;
  ForwardProgress* progress_;
  BandwidthLimiter limiter_;
  LinkMeter link_;
  std::vector<std::unique_ptr<Transport>> transports_;
  std::unique_ptr<Tally> tally_;
  std::mt19937_64 random_;
};

}  // namespace relais::outbox
