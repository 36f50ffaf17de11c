#pragma once
// The size arithmetic of rendering: the output box of a frame, and how far a JPEG may be
// shrunk inside its own decoder (DCT scaling) before the final resize. Kept apart so the
// rules can be tested without pixels.
namespace relais::rendering {

struct PixelSize {
  int width = 0;
  int height = 0;
  bool operator==(const PixelSize& o) const { return width == o.width && height == o.height; }
};

// The largest size with the source's aspect ratio that fits within maxWidth x maxHeight (0 =
// unbounded on that side). Never enlarges: the browser scales up for free, bytes do not.
// Never returns a side below 1.
PixelSize FitWithin(PixelSize source, int maxWidth, int maxHeight);

struct ScalingFactor {
  int num = 1;
  int denom = 1;
  bool operator==(const ScalingFactor& o) const { return num == o.num && denom == o.denom; }
};

// libjpeg-turbo's scaled output side for a factor (it rounds up).
int ScaledSide(int side, ScalingFactor factor);

// The smallest of 1/8, 1/4, 1/2, 1 whose decoded image is still at least `target` on both
// sides, so the final resize only shrinks and never invents detail.
ScalingFactor ChooseDctScaling(PixelSize source, PixelSize target);

}  // namespace relais::rendering
