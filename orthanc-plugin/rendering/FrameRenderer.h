#pragma once
// One frame to a screen-sized JPEG. Two entries: the frame's own JPEG bytes (JPEG Baseline
// photos and clips: shrunk inside the decoder, never decoded at full size), or pixels already
// decoded by Orthanc (everything else). Both end in the same shrink (block average, then bilinear),
// grey-level display (VoiWindow) and TurboJPEG encoding.
#include <functional>
#include <string>

#include <opencv2/core.hpp>

#include "rendering/RenderGeometry.h"
#include "rendering/RenderRequest.h"
#include "rendering/VoiWindow.h"

namespace relais::rendering {

// The steps every rendering shares, for renderers that feed them piece by piece.
// The largest whole factor both sides shrink by (1: none); the block average by it comes first.
int WholeShrinkFactor(PixelSize source, PixelSize target);
// The rest of the way to `target` after the block average (bilinear, or bicubic upwards).
cv::Mat Interpolate(const cv::Mat& averaged, PixelSize target);
struct StoredRange {
  double lowest = 0;
  double highest = 0;
};
// The window a grey frame is shown with (ChooseWindow's precedence); `storedRange` is asked for
// the lowest and highest stored values only when neither the request nor the file has one.
Window GreyWindow(const RenderRequest& request, const GreyscaleModel& model, int storedDepth,
                  const std::function<StoredRange()>& storedRange);

// `stored`: one channel of stored values at any depth (8/16-bit, signed or not, 32-bit,
// float), or three 8-bit channels in RGB order. Returns CV_8UC1 or CV_8UC3 (RGB) at the size
// FitWithin gives for the request.
cv::Mat RenderForDisplay(const cv::Mat& stored, const GreyscaleModel& model, const RenderRequest& request);

std::string RenderPixels(const cv::Mat& stored, const GreyscaleModel& model, const RenderRequest& request);

// `jpeg` is a complete JPEG stream (an encapsulated frame of transfer syntax 1.2.840.10008.1.2.4.50).
std::string RenderJpeg(const std::string& jpeg, const GreyscaleModel& model, const RenderRequest& request);

}  // namespace relais::rendering
