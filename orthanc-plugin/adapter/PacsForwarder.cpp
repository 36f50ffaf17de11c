#include "adapter/PacsForwarder.h"

#include <chrono>
#include <ctime>

#include "adapter/OrthancContext.h"
#include "adapter/StudyArchive.h"

namespace relais::adapter {

namespace {
int64_t Now() { return static_cast<int64_t>(std::time(nullptr)); }

void Log(const std::string& text) { OrthancPluginLogWarning(Context(), ("Relais PACS: " + text).c_str()); }
}  // namespace

PacsForwarder::PacsForwarder(report::ReportStore& store, report::RetryPolicy policy, int pollMilliseconds)
    : store_(store), policy_(policy), pollMilliseconds_(pollMilliseconds) {}

PacsForwarder::~PacsForwarder() { stop(); }

void PacsForwarder::start() {
  std::lock_guard<std::mutex> lock(mutex_);
  if (thread_.joinable()) return;
  stopping_ = false;
  thread_ = std::thread([this] { loop(); });
}

void PacsForwarder::stop() {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_all();
  if (thread_.joinable()) thread_.join();
}

void PacsForwarder::enqueue(int64_t caseId, int64_t reportId, const std::vector<std::string>& destinations,
                            const std::vector<std::string>& resources) {
  for (const auto& destination : destinations) {
    report::PacsTransfer t;
    t.caseId = caseId;
    t.reportId = reportId;
    t.destination = destination;
    t.resources = resources;
    t.nextAttemptAt = Now();
    t.updatedAt = Now();
    store_.addTransfer(t);
  }
  {
    std::lock_guard<std::mutex> lock(mutex_);
    woken_ = true;
  }
  wake_.notify_all();
}

void PacsForwarder::runOnce() {
  for (report::PacsTransfer t : store_.activeTransfers()) {
    const int64_t now = Now();
    if (t.state == "queued") {
      if (t.nextAttemptAt > now) continue;
      ++t.attempts;
      try {
        t.jobId = StartStoreJob(t.destination, t.resources);
        t.state = "running";
        t.updatedAt = now;
      } catch (const std::exception& e) {
        t = report::AfterStartFailure(t, e.what(), policy_, now);
        Log("case " + std::to_string(t.caseId) + " to " + t.destination + ": " + t.lastError);
      }
      store_.updateTransfer(t);
      continue;
    }
    const JobStatus job = ReadJob(t.jobId);
    report::PacsTransfer next = report::AfterJobState(t, job.state, job.error, policy_, now);
    if (next.state != t.state) {
      if (next.state != "succeeded") {
        Log("case " + std::to_string(t.caseId) + " to " + t.destination + " (attempt " + std::to_string(t.attempts) +
            "): " + next.lastError + (next.state == "failed" ? ", giving up" : ", will retry"));
      }
      store_.updateTransfer(next);
    }
  }
}

void PacsForwarder::loop() {
  while (true) {
    try {
      runOnce();
    } catch (const std::exception& e) {
      Log(std::string("forwarder pass failed: ") + e.what());
    }
    std::unique_lock<std::mutex> lock(mutex_);
    wake_.wait_for(lock, std::chrono::milliseconds(pollMilliseconds_), [this] { return stopping_ || woken_; });
    woken_ = false;
    if (stopping_) return;
  }
}

}  // namespace relais::adapter
