#pragma once
// A few helper threads that split one rendering into bands: a frame rendered cold is a few
// milliseconds of work on one core, and the hub's other cores are idle between requests.
// The calling thread always works on its own bands too, so a request never waits for a helper
// busy with another one: under load every request simply does its bands itself.
#include <atomic>
#include <condition_variable>
#include <cstddef>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <thread>
#include <vector>

namespace relais::rendering {

class BandWorkers {
 public:
  explicit BandWorkers(unsigned helpers);
  ~BandWorkers();
  BandWorkers(const BandWorkers&) = delete;
  BandWorkers& operator=(const BandWorkers&) = delete;

  // Runs band(0) ... band(count - 1), each once, on this thread and any idle helper; returns
  // when all are done. The first exception a band throws is rethrown here.
  void run(size_t count, const std::function<void(size_t)>& band);

  unsigned helpers() const { return static_cast<unsigned>(threads_.size()); }

 private:
  struct Job;
  void serve();
  static void work(Job& job);

  std::mutex mutex_;
  std::condition_variable wake_;
  std::deque<std::shared_ptr<Job>> jobs_;
  bool stopping_ = false;
  std::vector<std::thread> threads_;
};

// The workers every rendering shares: one helper per core beyond the caller's.
BandWorkers& RenderBands();

}  // namespace relais::rendering
