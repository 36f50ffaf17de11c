#pragma once
// Rendered frames kept in memory, least recently used evicted first, bounded by total bytes
// rather than entries (a thumbnail and a full-resolution zoom differ a thousandfold).
// Thread-safe: Orthanc serves REST calls from several threads.
#include <cstddef>
#include <list>
#include <memory>
#include <mutex>
#include <string>
#include <unordered_map>

namespace relais::rendering {

class RenderCache {
 public:
  explicit RenderCache(size_t capacityBytes);

  std::shared_ptr<const std::string> find(const std::string& key);
  // An entry larger than the whole capacity is not kept.
  void insert(const std::string& key, std::shared_ptr<const std::string> value);

  size_t sizeBytes() const;
  size_t entries() const;
  size_t capacityBytes() const { return capacity_; }

 private:
  struct Entry {
    std::string key;
    std::shared_ptr<const std::string> value;
  };
  void evictUntilFits(size_t incoming);

  const size_t capacity_;
  mutable std::mutex mutex_;
  std::list<Entry> order_;  // front: most recently used
  std::unordered_map<std::string, std::list<Entry>::iterator> index_;
  size_t bytes_ = 0;
};

}  // namespace relais::rendering
