#include <gtest/gtest.h>

#include "rendering/ScratchPool.h"

using relais::rendering::ScratchPool;

TEST(ScratchPool, ReusesReturnedMemoryThatFits) {
  ScratchPool pool(2, 1000);
  unsigned char* first = nullptr;
  {
    auto lease = pool.acquire(800);
    first = lease.data();
  }
  EXPECT_EQ(pool.keptBuffers(), 1u);
  auto again = pool.acquire(500);  // fits in the kept 800 bytes
  EXPECT_EQ(again.data(), first);
  EXPECT_EQ(pool.keptBuffers(), 0u);
  auto bigger = pool.acquire(900);  // nothing kept fits: new memory
  EXPECT_NE(bigger.data(), first);
}

TEST(ScratchPool, KeepsAtMostItsBoundAndNothingTooLarge) {
  ScratchPool pool(2, 1000);
  {
    auto a = pool.acquire(100);
    auto b = pool.acquire(200);
    auto c = pool.acquire(300);
    auto huge = pool.acquire(5000);
  }
  EXPECT_EQ(pool.keptBuffers(), 2u);  // the two largest that fit the bound: 300 and 200
  auto lease = pool.acquire(250);
  EXPECT_EQ(pool.keptBuffers(), 1u);
  auto other = pool.acquire(250);  // 200 left does not fit
  EXPECT_EQ(pool.keptBuffers(), 1u);
}

TEST(ScratchPool, MatViewsTheLeaseAndRefusesToOverrun) {
  ScratchPool pool(1, 1000);
  auto lease = pool.acquire(100);
  cv::Mat m = lease.mat(10, 5, CV_16UC1);
  EXPECT_EQ(m.data, lease.data());
  EXPECT_THROW(lease.mat(10, 6, CV_16UC1), cv::Exception);
}
