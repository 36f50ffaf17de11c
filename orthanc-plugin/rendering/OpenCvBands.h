#pragma once
// OpenCV's own row-parallel loops (resize, colour conversion...) run on the render workers:
// the caller takes part and never waits for a helper busy elsewhere, where OpenCV's default
// pool had every request hand its work over and spin (a tenth of an ultrasound frame's time).
#include "rendering/BandWorkers.h"

namespace relais::rendering {

// Process-wide, as OpenCV's backend is. Gives OpenCV its built-in backend back when it ends:
// OpenCV outlives a plugin unloaded before it, and must not keep code of ours to call.
class OpenCvOnBands {
 public:
  explicit OpenCvOnBands(BandWorkers& workers);
  ~OpenCvOnBands();
  OpenCvOnBands(const OpenCvOnBands&) = delete;
  OpenCvOnBands& operator=(const OpenCvOnBands&) = delete;
};

}  // namespace relais::rendering
