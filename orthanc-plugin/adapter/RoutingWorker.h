#pragma once
// The one thread that routes studies. Orthanc's change callback only wakes it (a flag and a
// condition variable: the callback never waits on routing); the worker then reads Orthanc's
// /changes log from a cursor stored in the case store, so the same code path serves live
// events and recovers those missed while the plugin was down. It also sweeps every
// Relais.SweepSeconds without being woken: lease expiry, overdue unit studies, and a
// StableStudy that was logged after the wake-up. It runs at low CPU priority (nice 10,
// SCHED_BATCH): routing may wait, ingest should not.
#include <orthanc/OrthancCPlugin.h>

#include <condition_variable>
#include <mutex>
#include <thread>

#include "adapter/Hub.h"
#include "adapter/StudyRouter.h"

namespace relais::adapter {

class RoutingWorker {
 public:
  RoutingWorker(Hub& hub, StudyRouter& router) : hub_(hub), router_(router) {}
  ~RoutingWorker() { stop(); }
  RoutingWorker(const RoutingWorker&) = delete;
  RoutingWorker& operator=(const RoutingWorker&) = delete;

  void start();
  void stop();
  // Called on Orthanc's change thread: cheap and non-blocking.
  void onChange(OrthancPluginChangeType change);

 private:
  void run();
  void sweep(bool catchUp);

  Hub& hub_;
  StudyRouter& router_;
  std::thread thread_;
  std::mutex mutex_;
  std::condition_variable wake_;
  bool woken_ = false;
  bool started_ = false;  // Orthanc finished starting: its REST API answers
  bool stopping_ = false;
};

}  // namespace relais::adapter
