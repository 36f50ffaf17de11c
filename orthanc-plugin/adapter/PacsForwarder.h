#pragma once
// Sends reported cases to their rule's PACS destinations with Orthanc's asynchronous store
// jobs, on its own thread: starts queued transfers when due, follows running jobs, and
// retries failures with a growing delay (domain/report/PacsTransfer). The state lives in the
// ReportStore, so a restart resumes where it stopped.
#include <condition_variable>
#include <cstdint>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "domain/report/PacsTransfer.h"
#include "infra/report/ReportStore.h"

namespace relais::adapter {

class PacsForwarder {
 public:
  PacsForwarder(report::ReportStore& store, report::RetryPolicy policy, int pollMilliseconds);
  ~PacsForwarder();  // stops the thread
  PacsForwarder(const PacsForwarder&) = delete;
  PacsForwarder& operator=(const PacsForwarder&) = delete;

  void start();
  void stop();

  // Records one transfer per destination and wakes the thread.
  void enqueue(int64_t caseId, int64_t reportId, const std::vector<std::string>& destinations,
               const std::vector<std::string>& resources);

  // One pass over the active transfers (the thread's body; public for tests and wake-ups).
  void runOnce();

 private:
  void loop();

  report::ReportStore& store_;
  report::RetryPolicy policy_;
  int pollMilliseconds_;
  std::mutex mutex_;
  std::condition_variable wake_;
  bool stopping_ = false;
  bool woken_ = false;
  std::thread thread_;
};

}  // namespace relais::adapter
