#include "rendering/RenderGeometry.h"

#include <algorithm>
#include <cmath>

namespace relais::rendering {

PixelSize FitWithin(PixelSize source, int maxWidth, int maxHeight) {
  if (source.width <= 0 || source.height <= 0) return source;
  double scale = 1.0;
  if (maxWidth > 0) scale = std::min(scale, static_cast<double>(maxWidth) / source.width);
  if (maxHeight > 0) scale = std::min(scale, static_cast<double>(maxHeight) / source.height);
  if (scale >= 1.0) return source;
  PixelSize out{static_cast<int>(std::lround(source.width * scale)),
                static_cast<int>(std::lround(source.height * scale))};
  // Rounding may overshoot the box by one pixel on the bound side; clamp to the request.
  if (maxWidth > 0) out.width = std::min(out.width, maxWidth);
  if (maxHeight > 0) out.height = std::min(out.height, maxHeight);
  out.width = std::max(out.width, 1);
  out.height = std::max(out.height, 1);
  return out;
}

int ScaledSide(int side, ScalingFactor factor) { return (side * factor.num + factor.denom - 1) / factor.denom; }

ScalingFactor ChooseDctScaling(PixelSize source, PixelSize target) {
  for (ScalingFactor f : {ScalingFactor{1, 8}, ScalingFactor{1, 4}, ScalingFactor{1, 2}}) {
    if (ScaledSide(source.width, f) >= target.width && ScaledSide(source.height, f) >= target.height) return f;
  }
  return ScalingFactor{1, 1};
}

}  // namespace relais::rendering
