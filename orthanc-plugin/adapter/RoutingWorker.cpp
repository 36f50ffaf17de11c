#include "adapter/RoutingWorker.h"

#include <pthread.h>
#include <sched.h>
#include <sys/resource.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <string>
#include <vector>

#include "adapter/OrthancApi.h"
#include "adapter/OrthancContext.h"

namespace relais::adapter {

namespace {
const char* kCursorKey = "changes-cursor";

void LogError(const std::string& message) { OrthancPluginLogError(Context(), ("Relais router: " + message).c_str()); }

// Routing is asynchronous by design and a few hundred milliseconds late costs nobody anything,
// while a C-STORE burst is what a hub must keep fast. So the worker thread (and Orthanc's REST
// handling it runs for its own calls) yields the CPU to Orthanc's ingest threads: nice 10, and
// SCHED_BATCH so that waking up never preempts them. Only this thread is changed; failure is
// harmless (the worker then runs at normal priority).
void YieldCpuToIngest() {
  pthread_setname_np(pthread_self(), "relais-routing");
  sched_param none{};
  none.sched_priority = 0;
  if (pthread_setschedparam(pthread_self(), SCHED_BATCH, &none) != 0 ||
      setpriority(PRIO_PROCESS, static_cast<id_t>(gettid()), 10) != 0) {
    OrthancPluginLogWarning(Context(), "Relais router: cannot lower the routing thread's priority");
  }
}
}  // namespace

void RoutingWorker::start() {
  std::lock_guard<std::mutex> lock(mutex_);
  if (thread_.joinable()) return;
  stopping_ = false;
  thread_ = std::thread([this] { run(); });
}

void RoutingWorker::stop() {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_all();
  if (thread_.joinable() && thread_.get_id() != std::this_thread::get_id()) thread_.join();
}

void RoutingWorker::onChange(OrthancPluginChangeType change) {
  switch (change) {
    case OrthancPluginChangeType_OrthancStarted: {
      std::lock_guard<std::mutex> lock(mutex_);
      started_ = true;
      woken_ = true;
      break;
    }
    case OrthancPluginChangeType_NewInstance:
      lastInstanceAt_.store(Clock::now().time_since_epoch().count(), std::memory_order_relaxed);
      // During a C-STORE burst, sweeping /changes for every few instances competes with the
      // ingest for Orthanc's index; only a manifest waiting for instances needs it now.
      if (!router_.awaitsInstances()) return;
      [[fallthrough]];
    case OrthancPluginChangeType_StableStudy: {
      std::lock_guard<std::mutex> lock(mutex_);
      // Already woken: the coming sweep reads this event too, and waking the worker again
      // (while it waits for a lull) would cost a context switch per instance of a burst.
      if (woken_) return;
      woken_ = true;
      break;
    }
    default: return;
  }
  wake_.notify_one();
}

void RoutingWorker::run() {
  YieldCpuToIngest();
  bool first = true;
  while (true) {
    {
      std::unique_lock<std::mutex> lock(mutex_);
      wake_.wait_for(lock, untilNextSweep(), [this] { return stopping_ || (started_ && woken_); });
      if (stopping_) return;
      if (!started_) continue;  // Orthanc's REST API is not up yet
      woken_ = false;
    }
    if (!waitForIngestLull()) return;
    try {
      sweep(first);
      first = false;
    } catch (const std::exception& e) {
      LogError(e.what());
    }
  }
}

bool RoutingWorker::waitForIngestLull() {
  const auto start = Clock::now();
  auto until = start + kGather;
  std::unique_lock<std::mutex> lock(mutex_);
  while (true) {
    if (wake_.wait_until(lock, until, [this] { return stopping_; })) return false;
    const auto now = Clock::now();
    const auto lull = Clock::time_point(Clock::duration(lastInstanceAt_.load(std::memory_order_relaxed))) + kLull;
    if (now >= lull || now - start >= kMaxDeferral) return true;
    until = std::min(lull, start + kMaxDeferral);
  }
}

std::chrono::seconds RoutingWorker::untilNextSweep() const {
  const int64_t sweep = hub_.config.sweepSeconds;
  const int64_t untilReconcile = nextReconcileAt_ - NowSeconds();
  return std::chrono::seconds(std::max<int64_t>(1, std::min(sweep, untilReconcile)));
}

void RoutingWorker::sweep(bool catchUp) {
  int64_t cursor = 0;
  if (auto saved = hub_.cases->setting(kCursorKey)) cursor = std::stoll(*saved);
  std::vector<std::string> stable;
  bool newInstances = false;
  while (true) {
    const auto page = GetJson("/changes?since=" + std::to_string(cursor) + "&limit=1000");
    for (const auto& change : page["Changes"]) {
      const std::string type = change.value("ChangeType", "");
      if (type == "StableStudy") stable.push_back(change.value("ID", ""));
      if (type == "NewInstance") newInstances = true;
    }
    cursor = page.value("Last", cursor);
    if (page.value("Done", true)) break;
  }
  for (const auto& id : stable) {
    try {
      router_.route(id, StudyRouter::Trigger::Stable);
    } catch (const std::exception& e) {
      LogError("study " + id + ": " + e.what());
    }
  }
  // At start-up too: it settles whether any manifest waits, so that new instances wake the
  // worker only if one does.
  if (newInstances || catchUp) router_.checkPendingManifests();
  // The cursor moves only after the events were handled: a crash replays them, and routing is
  // idempotent. Forward only: another node sharing the database may have gone further.
  hub_.cases->raiseSetting(kCursorKey, cursor);
  hub_.cases->expireLeases(NowSeconds());
  if (NowSeconds() >= nextReconcileAt_) {
    // Not again before the period if Orthanc or the case store fails now.
    nextReconcileAt_ = NowSeconds() + hub_.config.reconcileSeconds;
    nextReconcileAt_ = reconciler_.reconcile();
  }
  router_.routeOverdueUnitStudies();
}

}  // namespace relais::adapter
