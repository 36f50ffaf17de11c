#pragma once
// Grey-level display of stored pixel values, as PS3.3 C.11.2 (VOI LUT) describes it:
// modality rescale (slope, intercept), then the linear VOI window, then MONOCHROME1 shown
// inverted (its lowest value is white).
#include <optional>

#include <opencv2/core.hpp>

#include "rendering/RenderRequest.h"

namespace relais::rendering {

// What the DICOM attributes say about turning one frame's stored values into grey levels.
struct GreyscaleModel {
  double rescaleSlope = 1.0;      // (0028,1053)
  double rescaleIntercept = 0.0;  // (0028,1052)
  bool monochrome1 = false;       // (0028,0004) == MONOCHROME1
  std::optional<double> windowCenter;  // first value of (0028,1050)
  std::optional<double> windowWidth;   // first value of (0028,1051)
};

struct Window {
  double center = 0;
  double width = 1;
};

// The window a rendering uses, by precedence: the viewer's request, else the file's own
// window, else the full range of modality values actually present (minValue..maxValue).
Window ChooseWindow(const RenderRequest& request, const GreyscaleModel& model, double minValue,
                    double maxValue);

// One-channel stored values (any depth) to 8-bit grey levels: rescale, window, invert for
// MONOCHROME1. The window is in modality units (after rescale), as DICOM defines it.
cv::Mat ApplyWindow(const cv::Mat& stored, const GreyscaleModel& model, Window window);

// Grey level of one modality value under the DICOM linear VOI function (for tests and
// documentation of what ApplyWindow computes in bulk).
double LinearVoi(double value, Window window);

}  // namespace relais::rendering
