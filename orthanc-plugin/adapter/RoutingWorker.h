#pragma once
// The one thread that routes studies. Orthanc's change callback only wakes it (a flag and a
// condition variable: the callback never waits on routing); the worker then reads Orthanc's
// /changes log from a cursor stored in the case store, so the same code path serves live
// events and recovers those missed while the plugin was down. It also sweeps every
// Relais.SweepSeconds without being woken: lease expiry, overdue unit studies, and a
// StableStudy that was logged after the wake-up. At start and every Relais.ReconcileSeconds a
// sweep also runs the StudyReconciler, which routes the studies Orthanc holds without a case
// (a StableStudy lost to a crash or a stop).
//
// Routing may wait, ingest should not. The worker runs at low CPU priority (nice 10,
// SCHED_BATCH), but that does not keep it off an idle core, and each of its REST calls takes
// Orthanc's index, which every stored instance needs too. So while instances keep arriving
// (a C-STORE burst) it waits for a lull of kLull before it sweeps, at most kMaxDeferral after
// it was woken, so that a steady stream still gets routed.
#include <orthanc/OrthancCPlugin.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <mutex>
#include <thread>

#include "adapter/Hub.h"
#include "adapter/StudyReconciler.h"
#include "adapter/StudyRouter.h"

namespace relais::adapter {

class RoutingWorker {
 public:
  RoutingWorker(Hub& hub, StudyRouter& router) : hub_(hub), router_(router), reconciler_(hub, router) {}
  ~RoutingWorker() { stop(); }
  RoutingWorker(const RoutingWorker&) = delete;
  RoutingWorker& operator=(const RoutingWorker&) = delete;

  void start();
  void stop();
  // Called on Orthanc's change thread: cheap and non-blocking.
  void onChange(OrthancPluginChangeType change);

 private:
  using Clock = std::chrono::steady_clock;
  // Gathers the events of a burst into one sweep.
  static constexpr Clock::duration kGather = std::chrono::milliseconds(50);
  static constexpr Clock::duration kLull = std::chrono::milliseconds(200);
  static constexpr Clock::duration kMaxDeferral = std::chrono::seconds(2);

  void run();
  // Waits kGather, then while the last instance arrived less than kLull ago, at most
  // kMaxDeferral in all. False if the worker is stopping.
  bool waitForIngestLull();
  void sweep(bool catchUp);
  // How long the worker may sleep before its next sweep.
  std::chrono::seconds untilNextSweep() const;

  Hub& hub_;
  StudyRouter& router_;
  StudyReconciler reconciler_;
  int64_t nextReconcileAt_ = 0;  // unix seconds; 0: at the first sweep. Worker thread only.
  std::thread thread_;
  std::mutex mutex_;
  std::condition_variable wake_;
  bool woken_ = false;
  bool started_ = false;  // Orthanc finished starting: its REST API answers
  bool stopping_ = false;
  std::atomic<Clock::rep> lastInstanceAt_{0};  // steady clock ticks; written on Orthanc's change thread
};

}  // namespace relais::adapter
