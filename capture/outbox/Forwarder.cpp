#include "outbox/Forwarder.h"

#include <algorithm>
#include <exception>
#include <map>
#include <mutex>
#include <thread>

namespace relais::outbox {

// Per-study counters for the progress display, seeded from the outbox the first time a study
// shows up in this run (so a resumed transfer starts its bar where it stopped). Bytes count
// per piece: the instances confirmed plus what the hub committed of those on their way.
struct Forwarder::Tally {
  struct Study {
    StudyProgress progress;
    int64_t bytesConfirmed = 0;                 // of instances confirmed (sent)
    std::map<std::string, int64_t> committed;   // instances on their way: bytes the hub holds
  };
  std::map<std::string, Study> studies;

  void publish(Study& s, double linkRate, ForwardProgress* progress) {
    int64_t onTheWay = 0;
    for (const auto& [sop, bytes] : s.committed) onTheWay += bytes;
    s.progress.bytesSent = s.bytesConfirmed + onTheWay;
    s.progress.bytesPerSecond = linkRate;
    s.progress.timeLeft.reset();
    if (linkRate > 0) {
      s.progress.timeLeft = std::chrono::seconds(static_cast<long long>(
          static_cast<double>(std::max<int64_t>(0, s.progress.bytesTotal - s.progress.bytesSent)) / linkRate));
    }
    if (progress) progress->update(s.progress);
  }
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
  if (accountStillRefused(result)) return result;
  int failures = 0;
  while (!stop) {
    const auto batch = outbox_.nextPending(options_.batchSize);
    bool linkFailed = false;
    if (!batch.empty()) linkFailed = sendBatch(batch, result);
    if (result.accountRefused) return result;
    if (!linkFailed) linkFailed = completeStudies(result);
    if (result.accountRefused) return result;
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

bool Forwarder::accountStillRefused(DrainResult& result) {
  const auto refusal = outbox_.accountRefusal();
  if (!refusal) return false;
  if (refusal->fingerprint != transport(0).accountFingerprint()) {
    outbox_.clearAccountRefusal();  // the configuration changed: try the new account
    return false;
  }
  result.accountRefused = true;
  result.lastError = refusal->message;
  if (progress_) progress_->problem(refusal->message + "; nothing is sent until the configuration changes");
  return true;
}

void Forwarder::refuseAccount(Transport& t, const std::string& message, DrainResult& result) {
  if (!result.accountRefused && progress_) progress_->problem(message + "; nothing is sent until the configuration changes");
  outbox_.recordAccountRefusal(t.accountFingerprint(), message);
  result.accountRefused = true;
  result.lastError = message;
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
  size_t next = 0;   // under `mutex`
  std::atomic<int> inFlight{0};
  std::atomic<bool> linkDown{false};
  std::atomic<bool> reorder{false};  // a more pressing instance waits: fetch a new batch
  // A study's last instance went: end the batch so its manifest goes now, not after the rest
  // of the batch (an urgent study's case would otherwise wait for a routine X-ray behind it).
  std::atomic<bool> studyCompleted{false};
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
        s.bytesConfirmed = status->bytesSent;  // committed bytes of pending ones come back per piece
      }
    }
  }

  // Takes the next instance unless this slot is beyond what the link carries (then waits for
  // the others), the batch is done, or something more pressing came in meanwhile.
  auto take = [&](size_t slot) -> const PendingInstance* {
    while (!linkDown && !reorder && !studyCompleted) {
      {
        std::lock_guard<std::mutex> lock(mutex);
        if (next >= batch.size()) return nullptr;
        if (static_cast<int>(slot) < link_.uploadsFor(options_.concurrency)) {
          const PendingInstance& item = batch[next];
          if (item.priority != Priority::Urgent && outbox_.morePressingPending(item.priority)) {
            reorder = true;
            return nullptr;
          }
          ++next;
          return &item;
        }
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    return nullptr;
  };

  auto worker = [&](size_t slot) {
    try {
      Transport& t = transport(slot);
      while (const PendingInstance* found = take(slot)) {
        const PendingInstance& item = *found;
        if (!t.sendsInPieces()) limiter_.acquire(item.bytes);
        SendHooks hooks;
        hooks.beforePiece = [this](int64_t bytes) { limiter_.acquire(bytes); };
        hooks.moreUrgentWaiting = [&] {
          if (item.priority == Priority::Urgent) return false;
          if (studyCompleted) return true;  // let the completed study's manifest go first
          std::lock_guard<std::mutex> lock(mutex);
          return outbox_.morePressingPending(item.priority);
        };
        hooks.onPiece = [&](int64_t committed, int64_t pieceBytes, double seconds) {
          link_.recordPiece(pieceBytes, seconds, inFlight);
          std::lock_guard<std::mutex> lock(mutex);
          if (committed < item.bytes) outbox_.recordCommitted(item.sopInstanceUid, committed);
          auto& s = tally_->studies[item.studyInstanceUid];
          s.committed[item.sopInstanceUid] = std::min(committed, item.bytes);
          tally_->publish(s, link_.bytesPerSecond(), progress_);
        };
        SendOutcome outcome;
        const auto started = std::chrono::steady_clock::now();
        ++inFlight;
        try {
          outcome = t.send(item, hooks);
        } catch (const std::exception& e) {
          outcome = SendOutcome::retry(std::string("sending failed: ") + e.what());
        }
        const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
        --inFlight;
        std::lock_guard<std::mutex> lock(mutex);
        auto& s = tally_->studies[item.studyInstanceUid];
        switch (outcome.kind) {
          case SendOutcome::Kind::Stored: {
            outbox_.markSent(item.sopInstanceUid, outcome.detail);
            ++result.sent;
            // A transport without pieces tells nothing until the whole instance went.
            if (s.committed.count(item.sopInstanceUid) == 0) link_.recordPiece(item.bytes, seconds, inFlight + 1);
            s.committed.erase(item.sopInstanceUid);
            s.progress.sent += 1;
            s.bytesConfirmed += item.bytes;
            tally_->publish(s, link_.bytesPerSecond(), progress_);
            if (const auto status = outbox_.study(item.studyInstanceUid); status && status->pending == 0) {
              studyCompleted = true;
            }
            break;
          }
          case SendOutcome::Kind::Retry:
            outbox_.markAttemptFailed(item.sopInstanceUid, outcome.detail);
            result.lastError = t.destination() + ": " + outcome.detail;
            linkDown = true;
            break;
          case SendOutcome::Kind::Refused:
            s.committed.erase(item.sopInstanceUid);
            outbox_.markRefused(item.sopInstanceUid, outcome.detail);
            ++result.refused;
            if (progress_) progress_->problem("instance " + item.sopInstanceUid + " refused: " + outcome.detail);
            break;
          case SendOutcome::Kind::Yielded:
            reorder = true;
            break;
          case SendOutcome::Kind::AccountRefused:
            outbox_.markAttemptFailed(item.sopInstanceUid, outcome.detail);
            refuseAccount(t, outcome.detail, result);
            linkDown = true;  // stops the other threads; drain() sees the refusal first
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
      case SendOutcome::Kind::AccountRefused:
        outbox_.recordStudyError(study.studyInstanceUid, outcome.detail);
        refuseAccount(transport(0), outcome.detail, result);
        return true;
      case SendOutcome::Kind::Yielded:
        return false;
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
