#pragma once
// Scratch memory for rendering, reused from request to request: freshly allocated megabytes
// are faulted in page by page on first touch (a fifth of the time of rendering an 800x600
// ultrasound frame), kept ones are not. Bounded: at most `kept` buffers of at most `largest`
// bytes are held between requests; larger or surplus buffers are freed as usual.
#include <cstddef>
#include <memory>
#include <mutex>
#include <vector>

#include <opencv2/core.hpp>

namespace relais::rendering {

class ScratchPool {
 public:
  ScratchPool(size_t kept, size_t largest) : kept_(kept), largest_(largest) {}

  // Memory for `bytes` bytes, returned to the pool when the lease ends.
  class Lease {
   public:
    Lease(Lease&& other) noexcept = default;
    Lease& operator=(Lease&&) = delete;
    ~Lease();
    unsigned char* data() const { return memory_.get(); }
    // A cv::Mat over the leased memory (no copy, no ownership): valid while the lease lives.
    cv::Mat mat(int rows, int columns, int type) const;

   private:
    friend class ScratchPool;
    Lease(ScratchPool* pool, std::unique_ptr<unsigned char[]> memory, size_t capacity)
        : pool_(pool), memory_(std::move(memory)), capacity_(capacity) {}
    ScratchPool* pool_;
    std::unique_ptr<unsigned char[]> memory_;
    size_t capacity_;
  };

  Lease acquire(size_t bytes);
  size_t keptBuffers() const;

 private:
  void giveBack(std::unique_ptr<unsigned char[]> memory, size_t capacity);

  struct Buffer {
    std::unique_ptr<unsigned char[]> memory;
    size_t capacity = 0;
  };
  const size_t kept_;
  const size_t largest_;
  mutable std::mutex mutex_;
  std::vector<Buffer> free_;
};

// The pool every rendering shares: eight buffers of up to 4 MB (32 MB at most).
ScratchPool& RenderScratch();

}  // namespace relais::rendering
