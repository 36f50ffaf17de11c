#include "outbox/Forwarder.h"

#include <exception>
#include <map>
#include <mutex>
#include <thread>

namespace relais::outbox {

// Per-study counters for the progress display, seeded from the outbox the first time a study
// shows up in this run (so a resumed transfer starts its bar where it stopped).
struct Forwarder::Tally {
  struct Study {
    StudyProgress progress;
    int64_t bytesThisRun = 0;
    std::chrono::steady_clock::time_point started;
  };
  std::map<std::string, Study> studies;
};

Forwarder::Forwarder(Outbox& outbox, TransportFactory factory, ForwarderOptions options, ForwardProgress* progress)
    : outbox_(outbox),
      factory_(std::move(factory)),
      options_(options),
      progress_(progress),
      limiter_(options.bytesPerSecond),
      tally_(std::make_unique<Tally>()),
      random_(std::random_device{}()) {
  if (options_.concurrency < 1) options_.concurrency = 1;
  if (options_.batchSize < 1) options_.batchSize = 1;
  transports_.resize(static_cast<size_t>(options_.concurrency));
}

Forwarder::~Forwarder() = default;

Transport& Forwarder::transport(size_t index) {
  if (!transports_[index]) transports_[index] = factory_();
  return *transports_[index];
}

DrainResult Forwarder::drain(const std::atomic<bool>& stop) {
  DrainResult result;
  int failures = 0;
  while (!stop) {
    const auto batch = outbox_.nextPending(options_.batchSize);
    bool linkFailed = false;
    if (!batch.empty()) linkFailed = sendBatch(batch, result);
    if (!linkFailed) linkFailed = completeStudies(result);
    if (!linkFailed) {
      failures = 0;
      if (batch.empty() && outbox_.manifestsDue().empty()) {
        result.empty = outbox_.pendingCount() == 0;
        return result;
      }
      continue;
    }
    ++failures;
    ++result.failedAttempts;
    if (options_.giveUp && failures >= options_.retry.giveUpAfter) {
      if (progress_) progress_->problem("giving up for now after " + std::to_string(failures) + " failed attempts: " + result.lastError);
      return result;
    }
    waitBackoff(failures, stop, result.lastError);
  }
  return result;
}

void Forwarder::waitBackoff(int failures, const std::atomic<bool>& stop, const std::string& reason) {
  std::uniform_real_distribution<double> draw(0.0, 1.0);
  const auto delay = options_.retry.delayAfter(failures, draw(random_));
  if (progress_) {
    progress_->problem(reason + "; next attempt in " +
                       std::to_string(static_cast<double>(delay.count()) / 1000.0).substr(0, 5) + " s");
  }
  const auto deadline = std::chrono::steady_clock::now() + delay;
  while (!stop && std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(std::min<std::chrono::steady_clock::duration>(
        std::chrono::milliseconds(50), deadline - std::chrono::steady_clock::now()));
  }
}

bool Forwarder::sendBatch(const std::vector<PendingInstance>& batch, DrainResult& result) {
  std::mutex mutex;  // guards the outbox, the tally and `result` between sending threads
  std::atomic<size_t> next{0};
  std::atomic<bool> linkDown{false};
  std::exception_ptr failure;

  {
    std::lock_guard<std::mutex> lock(mutex);
    for (const auto& item : batch) {
      if (tally_->studies.count(item.studyInstanceUid) != 0) continue;
      auto& s = tally_->studies[item.studyInstanceUid];
      s.progress.studyInstanceUid = item.studyInstanceUid;
      if (auto status = outbox_.study(item.studyInstanceUid)) {
        s.progress.total = status->pending + status->sent + status->refused;
        s.progress.sent = status->sent;
        s.progress.bytesTotal = status->bytesTotal;
        s.progress.bytesSent = status->bytesSent;
      }
      s.started = std::chrono::steady_clock::now();
    }
  }

  auto worker = [&](size_t slot) {
    try {
      Transport& t = transport(slot);
      while (!linkDown) {
        const size_t index = next++;
        if (index >= batch.size()) return;
        const PendingInstance& item = batch[index];
        limiter_.acquire(item.bytes);
        SendOutcome outcome;
        try {
          outcome = t.send(item);
        } catch (const std::exception& e) {
          outcome = SendOutcome::retry(std::string("sending failed: ") + e.what());
        }
        std::lock_guard<std::mutex> lock(mutex);
        switch (outcome.kind) {
          case SendOutcome::Kind::Stored: {
            outbox_.markSent(item.sopInstanceUid, outcome.detail);
            ++result.sent;
            auto& s = tally_->studies[item.studyInstanceUid];
            s.progress.sent += 1;
            s.progress.bytesSent += item.bytes;
            s.bytesThisRun += item.bytes;
            const double elapsed =
                std::chrono::duration<double>(std::chrono::steady_clock::now() - s.started).count();
            s.progress.bytesPerSecond = elapsed > 0 ? static_cast<double>(s.bytesThisRun) / elapsed : 0;
            if (s.progress.bytesPerSecond > 0) {
              s.progress.timeLeft = std::chrono::seconds(static_cast<long long>(
                  static_cast<double>(s.progress.bytesTotal - s.progress.bytesSent) / s.progress.bytesPerSecond));
            }
            if (progress_) progress_->update(s.progress);
            break;
          }
          case SendOutcome::Kind::Retry:
            outbox_.markAttemptFailed(item.sopInstanceUid, outcome.detail);
            result.lastError = t.destination() + ": " + outcome.detail;
            linkDown = true;
            break;
          case SendOutcome::Kind::Refused:
            outbox_.markRefused(item.sopInstanceUid, outcome.detail);
            ++result.refused;
            if (progress_) progress_->problem("instance " + item.sopInstanceUid + " refused: " + outcome.detail);
            break;
        }
      }
    } catch (...) {
      std::lock_guard<std::mutex> lock(mutex);
      if (!failure) failure = std::current_exception();
      linkDown = true;
    }
  };

  const size_t threads = std::min(batch.size(), transports_.size());
  if (threads <= 1) {
    worker(0);
  } else {
    std::vector<std::thread> pool;
    for (size_t i = 0; i < threads; ++i) pool.emplace_back(worker, i);
    for (auto& t : pool) t.join();
  }
  if (failure) std::rethrow_exception(failure);
  return linkDown;
}

bool Forwarder::completeStudies(DrainResult& result) {
  for (const auto& study : outbox_.manifestsDue()) {
    SendOutcome outcome;
    try {
      outcome = transport(0).completeStudy(study);
    } catch (const std::exception& e) {
      outcome = SendOutcome::retry(std::string("manifest failed: ") + e.what());
    }
    switch (outcome.kind) {
      case SendOutcome::Kind::Stored:
        outbox_.recordManifestAck(study.studyInstanceUid, outcome.detail);
        ++result.manifests;
        tally_->studies.erase(study.studyInstanceUid);
        if (progress_) progress_->studyDone(study.studyInstanceUid, outcome.detail);
        break;
      case SendOutcome::Kind::Retry:
        outbox_.recordStudyError(study.studyInstanceUid, outcome.detail);
        result.lastError = transport(0).destination() + ": " + outcome.detail;
        return true;
      case SendOutcome::Kind::Refused:
        // The hub will not take this manifest as it is; keep the study due (a person fixes
        // the cause and the next run posts it again) but do not hammer the hub meanwhile.
        outbox_.recordStudyError(study.studyInstanceUid, outcome.detail);
        result.lastError = transport(0).destination() + ": " + outcome.detail;
        if (progress_) progress_->problem("study " + study.studyInstanceUid + ": " + outcome.detail);
        return true;
    }
  }
  return false;
}

}  // namespace relais::outbox
