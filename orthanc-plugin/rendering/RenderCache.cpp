#include "rendering/RenderCache.h"

namespace relais::rendering {

RenderCache::RenderCache(size_t capacityBytes) : capacity_(capacityBytes) {}

std::shared_ptr<const std::string> RenderCache::find(const std::string& key) {
  std::lock_guard<std::mutex> lock(mutex_);
  auto it = index_.find(key);
  if (it == index_.end()) return nullptr;
  order_.splice(order_.begin(), order_, it->second);
  return it->second->value;
}

void RenderCache::insert(const std::string& key, std::shared_ptr<const std::string> value) {
  if (!value) return;
  const size_t size = value->size() + key.size();
  std::lock_guard<std::mutex> lock(mutex_);
  auto existing = index_.find(key);
  if (existing != index_.end()) {
    bytes_ -= existing->second->value->size() + key.size();
    order_.erase(existing->second);
    index_.erase(existing);
  }
  if (size > capacity_) return;
  evictUntilFits(size);
  order_.push_front(Entry{key, std::move(value)});
  index_[key] = order_.begin();
  bytes_ += size;
}

void RenderCache::evictUntilFits(size_t incoming) {
  while (!order_.empty() && bytes_ + incoming > capacity_) {
    const Entry& last = order_.back();
    bytes_ -= last.value->size() + last.key.size();
    index_.erase(last.key);
    order_.pop_back();
  }
}

size_t RenderCache::sizeBytes() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return bytes_;
}

size_t RenderCache::entries() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return index_.size();
}

}  // namespace relais::rendering
