#include "rendering/FrameRenderer.h"

#include <algorithm>

#include <opencv2/imgproc.hpp>

#include "rendering/JpegCodec.h"
#include "rendering/RenderGeometry.h"

namespace relais::rendering {

namespace {

cv::Mat Shrink(const cv::Mat& image, PixelSize target) {
  if (image.cols == target.width && image.rows == target.height) return image;
  cv::Mat out;
  cv::resize(image, out, cv::Size(target.width, target.height), 0, 0, cv::INTER_AREA);
  return out;
}

bool ModelIsIdentity(const GreyscaleModel& model) {
  return model.rescaleSlope == 1.0 && model.rescaleIntercept == 0.0 && !model.monochrome1 &&
         !model.windowCenter;
}

}  // namespace

cv::Mat RenderForDisplay(const cv::Mat& stored, const GreyscaleModel& model, const RenderRequest& request) {
  const PixelSize target = FitWithin(PixelSize{stored.cols, stored.rows}, request.width, request.height);
  if (stored.channels() == 3) {
    CV_Assert(stored.depth() == CV_8U);
    return Shrink(stored, target);  // colour is shown as stored: no VOI for RGB (PS3.3 C.11.2)
  }
  CV_Assert(stored.channels() == 1);
  const bool explicitWindow = request.windowCenter.has_value();
  if (stored.depth() == CV_8U && ModelIsIdentity(model) && !explicitWindow) {
    return Shrink(stored, target);  // 8-bit grey without a window is already display values
  }
  Window window;
  if (explicitWindow || (model.windowCenter && model.windowWidth)) {
    window = ChooseWindow(request, model, 0, 0);
  } else if (stored.depth() == CV_8U) {
    window = ChooseWindow(request, model, model.rescaleIntercept, 255.0 * model.rescaleSlope + model.rescaleIntercept);
  } else {
    double minStored = 0, maxStored = 0;
    cv::minMaxLoc(stored, &minStored, &maxStored);
    double a = minStored * model.rescaleSlope + model.rescaleIntercept;
    double b = maxStored * model.rescaleSlope + model.rescaleIntercept;
    window = ChooseWindow(request, model, std::min(a, b), std::max(a, b));
  }
  // Shrink the stored values first (fewer pixels to window); INTER_AREA averages, which is
  // right for values on a linear scale.
  cv::Mat small;
  if (stored.depth() == CV_32S || stored.depth() == CV_64F) {
    stored.convertTo(small, CV_32F);
    small = Shrink(small, target);
  } else {
    small = Shrink(stored, target);
  }
  return ApplyWindow(small, model, window);
}

std::string RenderPixels(const cv::Mat& stored, const GreyscaleModel& model, const RenderRequest& request) {
  return EncodeJpeg(RenderForDisplay(stored, model, request), request.quality);
}

std::string RenderJpeg(const std::string& jpeg, const GreyscaleModel& model, const RenderRequest& request) {
  const JpegHeader header = ReadJpegHeader(jpeg);
  const PixelSize target = FitWithin(header.size, request.width, request.height);
  cv::Mat decoded = DecodeJpeg(jpeg, ChooseDctScaling(header.size, target));
  // The DCT-scaled image may be a few pixels off the exact aspect; fit it to the target the
  // full-size image would have had, so every path gives the same output size.
  RenderRequest exact = request;
  exact.width = target.width;
  exact.height = target.height;
  const PixelSize fitted = FitWithin(PixelSize{decoded.cols, decoded.rows}, target.width, target.height);
  if (!(fitted == target)) {
    cv::Mat resized;
    cv::resize(decoded, resized, cv::Size(target.width, target.height), 0, 0, cv::INTER_AREA);
    decoded = resized;
  }
  return EncodeJpeg(RenderForDisplay(decoded, model, exact), request.quality);
}

}  // namespace relais::rendering
