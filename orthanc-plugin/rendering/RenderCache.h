#pragma once
// Rendering results kept in memory, least recently used evicted first, bounded by total bytes
// rather than entries (a thumbnail and a full-resolution zoom differ a thousandfold).
// Thread-safe: Orthanc serves REST calls from several threads. `Value::size()` is its size in
// bytes.
#include <cstddef>
#include <list>
#include <memory>
#include <mutex>
#include <string>
#include <unordered_map>

namespace relais::rendering {

template <class Value>
class ByteBoundedCache {
 public:
  explicit ByteBoundedCache(size_t capacityBytes) : capacity_(capacityBytes) {}

  std::shared_ptr<const Value> find(const std::string& key) {
    std::lock_guard<std::mutex> lock(mutex_);
    auto it = index_.find(key);
    if (it == index_.end()) return nullptr;
    order_.splice(order_.begin(), order_, it->second);
    return it->second->value;
  }

  // An entry larger than the whole capacity is not kept.
  void insert(const std::string& key, std::shared_ptr<const Value> value) {
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
    while (!order_.empty() && bytes_ + size > capacity_) {
      const Entry& last = order_.back();
      bytes_ -= last.value->size() + last.key.size();
      index_.erase(last.key);
      order_.pop_back();
    }
    order_.push_front(Entry{key, std::move(value)});
    index_[key] = order_.begin();
    bytes_ += size;
  }

  size_t sizeBytes() const {
    std::lock_guard<std::mutex> lock(mutex_);
    return bytes_;
  }
  size_t entries() const {
    std::lock_guard<std::mutex> lock(mutex_);
    return index_.size();
  }
  size_t capacityBytes() const { return capacity_; }

 private:
  struct Entry {
    std::string key;
    std::shared_ptr<const Value> value;
  };

  const size_t capacity_;
  mutable std::mutex mutex_;
  std::list<Entry> order_;  // front: most recently used
  std::unordered_map<std::string, typename std::list<Entry>::iterator> index_;
  size_t bytes_ = 0;
};

// Rendered JPEGs.
using RenderCache = ByteBoundedCache<std::string>;

}  // namespace relais::rendering
