#include "rendering/BandWorkers.h"

#include <pthread.h>

#include <algorithm>
#include <exception>

namespace relais::rendering {

struct BandWorkers::Job {
  size_t count = 0;
  const std::function<void(size_t)>* band = nullptr;  // owned by the caller, who waits for `done`
  std::atomic<size_t> next{0};
  std::mutex mutex;
  std::condition_variable finished;
  size_t done = 0;
  std::exception_ptr error;
};

BandWorkers::BandWorkers(unsigned helpers) {
  for (unsigned i = 0; i < helpers; ++i) {
    threads_.emplace_back([this] { serve(); });
    pthread_setname_np(threads_.back().native_handle(), "relais-bands");
  }
}

BandWorkers::~BandWorkers() {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_all();
  for (auto& thread : threads_) thread.join();
}

void BandWorkers::work(Job& job) {
  for (size_t i = job.next.fetch_add(1); i < job.count; i = job.next.fetch_add(1)) {
    std::exception_ptr error;
    try {
      (*job.band)(i);
    } catch (...) {
      error = std::current_exception();
    }
    std::lock_guard<std::mutex> lock(job.mutex);
    if (error && !job.error) job.error = error;
    if (++job.done == job.count) job.finished.notify_all();
  }
}

void BandWorkers::serve() {
  for (;;) {
    std::shared_ptr<Job> job;
    {
      std::unique_lock<std::mutex> lock(mutex_);
      wake_.wait(lock, [this] { return stopping_ || !jobs_.empty(); });
      if (stopping_) return;
      job = jobs_.front();
      // A job stays offered while it has unclaimed bands; the last taker withdraws it.
      if (job->next.load() + 1 >= job->count) jobs_.pop_front();
    }
    work(*job);
  }
}

void BandWorkers::run(size_t count, const std::function<void(size_t)>& band) {
  if (count == 0) return;
  auto job = std::make_shared<Job>();
  job->count = count;
  job->band = &band;
  if (count > 1 && !threads_.empty()) {
    {
      std::lock_guard<std::mutex> lock(mutex_);
      jobs_.push_back(job);
    }
    const size_t extra = std::min(count - 1, threads_.size());
    for (size_t i = 0; i < extra; ++i) wake_.notify_one();
  }
  work(*job);
  {
    std::unique_lock<std::mutex> lock(job->mutex);
    job->finished.wait(lock, [&job] { return job->done == job->count; });
  }
  if (count > 1 && !threads_.empty()) {
    // Every band is done; withdraw the offer if no helper came for it.
    std::lock_guard<std::mutex> lock(mutex_);
    for (auto it = jobs_.begin(); it != jobs_.end(); ++it) {
      if (*it == job) {
        jobs_.erase(it);
        break;
      }
    }
  }
  if (job->error) std::rethrow_exception(job->error);
}

BandWorkers& RenderBands() {
  static BandWorkers workers(std::max(1u, std::thread::hardware_concurrency()) - 1);
  return workers;
}

}  // namespace relais::rendering
