#include <gtest/gtest.h>

#include <thread>
#include <vector>

#include "rendering/RenderCache.h"

using relais::rendering::RenderCache;

namespace {
std::shared_ptr<const std::string> Bytes(size_t n, char c = 'x') { return std::make_shared<const std::string>(n, c); }
}  // namespace

TEST(RenderCache, ReturnsWhatWasStored) {
  RenderCache cache(1000);
  cache.insert("a", Bytes(10, 'a'));
  auto hit = cache.find("a");
  ASSERT_TRUE(hit);
  EXPECT_EQ(*hit, std::string(10, 'a'));
  EXPECT_FALSE(cache.find("b"));
}

TEST(RenderCache, EvictsLeastRecentlyUsedToStayWithinBytes) {
  RenderCache cache(300);
  cache.insert("a", Bytes(99));
  cache.insert("b", Bytes(99));
  cache.insert("c", Bytes(99));
  ASSERT_TRUE(cache.find("a"));  // a is now the most recent; b the least
  cache.insert("d", Bytes(99));
  EXPECT_TRUE(cache.find("a"));
  EXPECT_FALSE(cache.find("b"));
  EXPECT_TRUE(cache.find("c"));
  EXPECT_TRUE(cache.find("d"));
  EXPECT_LE(cache.sizeBytes(), 300u);
}

TEST(RenderCache, RefusesAnEntryLargerThanItself) {
  RenderCache cache(100);
  cache.insert("small", Bytes(10));
  cache.insert("huge", Bytes(1000));
  EXPECT_FALSE(cache.find("huge"));
  EXPECT_TRUE(cache.find("small"));
}

TEST(RenderCache, ReplacingAKeyKeepsTheByteCountRight) {
  RenderCache cache(1000);
  cache.insert("a", Bytes(100));
  cache.insert("a", Bytes(50));
  EXPECT_EQ(cache.entries(), 1u);
  EXPECT_EQ(cache.sizeBytes(), 51u);
}

TEST(RenderCache, SurvivesConcurrentUse) {
  RenderCache cache(5000);
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&cache, t] {
      for (int i = 0; i < 2000; ++i) {
        const std::string key = std::to_string((i * 7 + t) % 97);
        cache.insert(key, Bytes(static_cast<size_t>(i % 200)));
        cache.find(std::to_string(i % 97));
      }
    });
  }
  for (auto& th : threads) th.join();
  EXPECT_LE(cache.sizeBytes(), 5000u);
}
