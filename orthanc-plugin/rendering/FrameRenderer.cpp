#include "rendering/FrameRenderer.h"

#include <algorithm>

#include <opencv2/imgproc.hpp>

#include "rendering/JpegCodec.h"
#include "rendering/RenderGeometry.h"

namespace relais::rendering {

namespace {

// OpenCV's area averaging is fast only for whole-number factors; for the others it walks every
// source pixel through a generic weight table (several times slower on a 12 MP or 16-bit
// frame). So: average by the largest whole factor (trimming the few edge pixels that do not
// fill a block), then interpolate the rest, a factor below 2, where bilinear is sharp enough.
cv::Mat Shrink(const cv::Mat& image, PixelSize target) {
  if (image.cols == target.width && image.rows == target.height) return image;
  const int factor = WholeShrinkFactor(PixelSize{image.cols, image.rows}, target);
  cv::Mat averaged = image;
  if (factor >= 2) {
    const cv::Mat whole = image(cv::Rect(0, 0, image.cols - image.cols % factor, image.rows - image.rows % factor));
    cv::resize(whole, averaged, cv::Size(whole.cols / factor, whole.rows / factor), 0, 0, cv::INTER_AREA);
  }
  return Interpolate(averaged, target);
}

bool ModelIsIdentity(const GreyscaleModel& model) {
  return model.rescaleSlope == 1.0 && model.rescaleIntercept == 0.0 && !model.monochrome1 &&
         !model.windowCenter;
}

}  // namespace

int WholeShrinkFactor(PixelSize source, PixelSize target) {
  return std::max(1, std::min(source.width / target.width, source.height / target.height));
}

cv::Mat Interpolate(const cv::Mat& averaged, PixelSize target) {
  if (averaged.cols == target.width && averaged.rows == target.height) return averaged;
  cv::Mat out;
  cv::resize(averaged, out, cv::Size(target.width, target.height), 0, 0,
             averaged.cols < target.width ? cv::INTER_CUBIC : cv::INTER_LINEAR);
  return out;
}

Window GreyWindow(const RenderRequest& request, const GreyscaleModel& model, int storedDepth,
                  const std::function<StoredRange()>& storedRange) {
  if (request.windowCenter.has_value() || (model.windowCenter && model.windowWidth)) {
    return ChooseWindow(request, model, 0, 0);
  }
  if (storedDepth == CV_8U) {
    return ChooseWindow(request, model, model.rescaleIntercept, 255.0 * model.rescaleSlope + model.rescaleIntercept);
  }
  const StoredRange range = storedRange();
  const double a = range.lowest * model.rescaleSlope + model.rescaleIntercept;
  const double b = range.highest * model.rescaleSlope + model.rescaleIntercept;
  return ChooseWindow(request, model, std::min(a, b), std::max(a, b));
}

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
  const Window window = GreyWindow(request, model, stored.depth(), [&stored] {
    StoredRange range;
    cv::minMaxLoc(stored, &range.lowest, &range.highest);
    return range;
  });
  // Shrink the stored values first (fewer pixels to window); averaging is right for values on
  // a linear scale.
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
  if (!(fitted == target)) decoded = Shrink(decoded, target);
  return EncodeJpeg(RenderForDisplay(decoded, model, exact), request.quality);
}

}  // namespace relais::rendering
