#pragma once
// What a stored JPEG is checked against: the restart layout the hub's banded decoding relies
// on, read with a marker walk of its own (not relais_capture's JpegStream, whose answer is
// under test); the JPEG's exact pixels; libjpeg-turbo's own lossless transform (tjTransform
// with TJXOPT_PERFECT, what relais-capture stored for a turned photo before its own DCT turn).
#include <opencv2/core.hpp>

#include "relais/capture/JpegStream.h"

namespace relais::capture::test {

struct RestartLayout {
  int interval = -1;   // DRI value in effect at the first scan, 0 without a DRI
  int markers = 0;     // RST0..RST7 in the entropy-coded data of all scans
  int scans = 0;
  int mcuWidth = 0, mcuHeight = 0;  // of an interleaved scan; 8x8 for one component
  int width = 0, height = 0;
  int mcusPerRow() const { return (width + mcuWidth - 1) / mcuWidth; }
  int mcuRows() const { return (height + mcuHeight - 1) / mcuHeight; }
};
RestartLayout restartLayout(const Bytes& jpeg);

// TurboJPEG's accurate decode to BGR, or to one channel for a grayscale JPEG.
cv::Mat decodeExactly(const Bytes& jpeg);

// tjTransform of `jpeg` by EXIF `orientation`, application segments removed as relais stores it.
Bytes referenceTransform(const Bytes& jpeg, int orientation);

// Number of samples (pixels times channels) where two images differ; -1 if their sizes or
// types differ.
int differingPixels(const cv::Mat& a, const cv::Mat& b);

}  // namespace relais::capture::test
