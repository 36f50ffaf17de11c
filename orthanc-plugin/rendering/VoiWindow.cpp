#include "rendering/VoiWindow.h"

#include <algorithm>

namespace relais::rendering {

Window ChooseWindow(const RenderRequest& request, const GreyscaleModel& model, double minValue,
                    double maxValue) {
  if (request.windowCenter && request.windowWidth) return Window{*request.windowCenter, *request.windowWidth};
  if (model.windowCenter && model.windowWidth && *model.windowWidth >= 1) {
    return Window{*model.windowCenter, *model.windowWidth};
  }
  // The window [c - 0.5 - (w-1)/2, c - 0.5 + (w-1)/2] maps exactly onto [min, max].
  const double width = std::max(1.0, maxValue - minValue + 1.0);
  return Window{minValue + 0.5 + (width - 1.0) / 2.0, width};
}

double LinearVoi(double value, Window window) {
  const double lower = window.center - 0.5 - (window.width - 1.0) / 2.0;
  const double upper = window.center - 0.5 + (window.width - 1.0) / 2.0;
  if (value <= lower) return 0.0;
  if (value > upper) return 255.0;
  if (window.width <= 1.0) return 255.0;
  return ((value - (window.center - 0.5)) / (window.width - 1.0) + 0.5) * 255.0;
}

cv::Mat ApplyWindow(const cv::Mat& stored, const GreyscaleModel& model, Window window) {
  CV_Assert(stored.channels() == 1);
  // LinearVoi is affine inside the window and clamped outside it; convertTo's saturation
  // gives the clamping, so the whole chain (rescale, window) is one affine map per pixel.
  const double width = std::max(window.width - 1.0, 1e-9);
  const double gain = 255.0 / width;
  const double lower = window.center - 0.5 - width / 2.0;
  const double alpha = model.rescaleSlope * gain;
  const double beta = (model.rescaleIntercept - lower) * gain;
  cv::Mat grey;
  if (model.monochrome1) {
    stored.convertTo(grey, CV_8U, -alpha, 255.0 - beta);
  } else {
    stored.convertTo(grey, CV_8U, alpha, beta);
  }
  return grey;
}

}  // namespace relais::rendering
