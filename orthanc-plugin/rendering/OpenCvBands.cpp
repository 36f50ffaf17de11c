#include "rendering/OpenCvBands.h"

#include <memory>

#include <opencv2/core.hpp>
#include <opencv2/core/parallel/parallel_backend.hpp>

namespace relais::rendering {

namespace {

class BandsBackend : public cv::parallel::ParallelForAPI {
 public:
  explicit BandsBackend(BandWorkers& workers) : workers_(workers) {}

  void parallel_for(int tasks, FN_parallel_for_body_cb_t body, void* data) override {
    if (tasks <= 0) return;
    workers_.run(static_cast<size_t>(tasks), [body, data](size_t i) {
      body(static_cast<int>(i), static_cast<int>(i) + 1, data);
    });
  }
  int getThreadNum() const override { return 0; }  // no caller of ours indexes by thread
  int getNumThreads() const override { return static_cast<int>(workers_.helpers()) + 1; }
  int setNumThreads(int) override { return getNumThreads(); }  // the pool's size is the hub's
  const char* getName() const override { return "relais-bands"; }

 private:
  BandWorkers& workers_;
};

}  // namespace

OpenCvOnBands::OpenCvOnBands(BandWorkers& workers) {
  cv::parallel::setParallelForBackend(std::make_shared<BandsBackend>(workers), false);
  cv::setNumThreads(static_cast<int>(workers.helpers()) + 1);
}

OpenCvOnBands::~OpenCvOnBands() {
  cv::parallel::setParallelForBackend(std::shared_ptr<cv::parallel::ParallelForAPI>(), false);
  cv::setNumThreads(0);
}

}  // namespace relais::rendering
