#include <gtest/gtest.h>

#include <chrono>
#include <mutex>
#include <set>
#include <thread>

#include <opencv2/core.hpp>
#include <opencv2/imgproc.hpp>

#include "rendering/BandWorkers.h"
#include "rendering/OpenCvBands.h"

using namespace relais::rendering;

namespace {

cv::Mat Shrunk(const cv::Mat& image) {
  cv::Mat out;
  cv::resize(image, out, cv::Size(641, 479), 0, 0, cv::INTER_LINEAR);
  return out;
}

}  // namespace

TEST(OpenCvOnBands, OpenCvLoopsRunOnTheWorkersWithTheSameResults) {
  cv::Mat image(600, 800, CV_8UC3);
  cv::randu(image, 0, 256);
  cv::setNumThreads(0);
  const cv::Mat serial = Shrunk(image);

  BandWorkers workers(1);
  std::set<std::thread::id> threads;
  {
    OpenCvOnBands bands(workers);
    EXPECT_EQ(cv::getNumThreads(), 2);
    for (int attempt = 0; attempt < 50 && threads.size() < 2; ++attempt) {
      std::mutex mutex;
      cv::parallel_for_(cv::Range(0, 8), [&](const cv::Range&) {
        std::this_thread::sleep_for(std::chrono::milliseconds(2));
        std::lock_guard<std::mutex> lock(mutex);
        threads.insert(std::this_thread::get_id());
      });
    }
    EXPECT_EQ(cv::norm(Shrunk(image), serial, cv::NORM_INF), 0);
  }
  EXPECT_EQ(threads.size(), 2u);  // the caller and the helper
  // Ended: OpenCV's built-in loops again, still giving the same pixels.
  EXPECT_EQ(cv::norm(Shrunk(image), serial, cv::NORM_INF), 0);
}
