#include "rendering/ScratchPool.h"

#include <algorithm>

namespace relais::rendering {

ScratchPool::Lease::~Lease() {
  if (pool_ != nullptr && memory_) pool_->giveBack(std::move(memory_), capacity_);
}

cv::Mat ScratchPool::Lease::mat(int rows, int columns, int type) const {
  CV_Assert(static_cast<size_t>(rows) * columns * CV_ELEM_SIZE(type) <= capacity_);
  return cv::Mat(rows, columns, type, memory_.get());
}

ScratchPool::Lease ScratchPool::acquire(size_t bytes) {
  if (bytes <= largest_) {
    std::lock_guard<std::mutex> lock(mutex_);
    // The smallest kept buffer that fits, so that large ones stay for large frames.
    auto best = free_.end();
    for (auto it = free_.begin(); it != free_.end(); ++it) {
      if (it->capacity >= bytes && (best == free_.end() || it->capacity < best->capacity)) best = it;
    }
    if (best != free_.end()) {
      Buffer buffer = std::move(*best);
      free_.erase(best);
      return Lease(this, std::move(buffer.memory), buffer.capacity);
    }
  }
  // Uninitialised on purpose: every byte is written before it is read.
  return Lease(this, std::unique_ptr<unsigned char[]>(new unsigned char[std::max<size_t>(bytes, 1)]), bytes);
}

size_t ScratchPool::keptBuffers() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return free_.size();
}

void ScratchPool::giveBack(std::unique_ptr<unsigned char[]> memory, size_t capacity) {
  if (capacity > largest_) return;
  std::lock_guard<std::mutex> lock(mutex_);
  if (free_.size() < kept_) {
    free_.push_back(Buffer{std::move(memory), capacity});
    return;
  }
  // Full: keep the larger of the new one and the smallest kept.
  auto smallest = std::min_element(free_.begin(), free_.end(),
                                   [](const Buffer& a, const Buffer& b) { return a.capacity < b.capacity; });
  if (smallest->capacity < capacity) *smallest = Buffer{std::move(memory), capacity};
}

ScratchPool& RenderScratch() {
  static ScratchPool pool(8, 4u << 20);
  return pool;
}

}  // namespace relais::rendering
