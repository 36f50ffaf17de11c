#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <mutex>
#include <set>
#include <stdexcept>
#include <thread>
#include <vector>

#include "rendering/BandWorkers.h"

using relais::rendering::BandWorkers;

TEST(BandWorkers, RunsEveryBandOnceWhileManyCallersShareTheHelpers) {
  BandWorkers workers(2);
  constexpr int kCallers = 4, kJobs = 300, kBands = 5;
  std::atomic<int> wrong{0};
  std::vector<std::thread> callers;
  for (int c = 0; c < kCallers; ++c) {
    callers.emplace_back([&] {
      for (int j = 0; j < kJobs; ++j) {
        std::vector<std::atomic<int>> hits(kBands);
        workers.run(kBands, [&hits](size_t i) { hits[i].fetch_add(1); });
        for (auto& h : hits) {
          if (h.load() != 1) wrong.fetch_add(1);
        }
      }
    });
  }
  for (auto& t : callers) t.join();
  EXPECT_EQ(wrong.load(), 0);
}

TEST(BandWorkers, HelpersTakeBandsOffTheCallersThread) {
  BandWorkers workers(1);
  std::set<std::thread::id> seen;
  for (int attempt = 0; attempt < 50 && seen.size() < 2; ++attempt) {
    std::mutex mutex;
    workers.run(2, [&](size_t) {
      std::this_thread::sleep_for(std::chrono::milliseconds(5));  // long enough for the helper to wake
      std::lock_guard<std::mutex> lock(mutex);
      seen.insert(std::this_thread::get_id());
    });
  }
  EXPECT_EQ(seen.size(), 2u);
}

TEST(BandWorkers, WithoutHelpersTheCallerDoesEveryBand) {
  BandWorkers workers(0);
  std::set<std::thread::id> seen;
  workers.run(3, [&](size_t) { seen.insert(std::this_thread::get_id()); });
  EXPECT_EQ(seen, std::set<std::thread::id>{std::this_thread::get_id()});
}

TEST(BandWorkers, ABandsExceptionReachesTheCallerAfterTheOthersFinish) {
  BandWorkers workers(2);
  std::atomic<int> finished{0};
  EXPECT_THROW(workers.run(6,
                           [&](size_t i) {
                             if (i == 3) throw std::runtime_error("band 3 failed");
                             finished.fetch_add(1);
                           }),
               std::runtime_error);
  EXPECT_EQ(finished.load(), 5);
}
