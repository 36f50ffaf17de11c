#pragma once
// Test pixels that compress like a camera photo (smooth shading and grain), not like a flat
// test card, and the comparison the rendering tests make of two decodings.
#include <opencv2/core.hpp>
#include <opencv2/imgproc.hpp>

namespace relais::test {

// RGB (CV_8UC3) or grey (CV_8UC1), the same for the same seed.
inline cv::Mat PhotoLikePixels(int width, int height, bool grey, int seed) {
  cv::setRNGSeed(seed);
  cv::Mat small(height / 64 + 2, width / 64 + 2, grey ? CV_32FC1 : CV_32FC3);
  cv::randu(small, 40, 210);
  cv::Mat big;
  cv::resize(small, big, cv::Size(width, height), 0, 0, cv::INTER_CUBIC);
  cv::Mat grain(height, width, big.type());
  cv::randn(grain, 0, 6);
  big += grain;
  cv::Mat pixels;
  big.convertTo(pixels, grey ? CV_8UC1 : CV_8UC3);
  return pixels;
}

// The largest difference of one sample between two images; huge if their sizes or types differ.
inline double MaxDifference(const cv::Mat& a, const cv::Mat& b) {
  return a.size() == b.size() && a.type() == b.type() ? cv::norm(a, b, cv::NORM_INF) : 1e9;
}

}  // namespace relais::test
