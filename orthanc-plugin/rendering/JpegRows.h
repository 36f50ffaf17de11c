#pragma once
// A baseline JPEG decoded in row bands on several threads. Without restart markers the
// entropy-coded data can only be read from the start, so the band that starts further down
// first reads through the rows above it (entropy decoding only: libjpeg skips their inverse
// DCT, upsampling and colour conversion) and the bands are sized so that all finish together:
// for a 12-megapixel camera photo shown at half scale about a sixth less wall time on two cores.
#include <functional>
#include <string>
#include <vector>

#include <opencv2/core.hpp>

#include "rendering/BandWorkers.h"
#include "rendering/RenderGeometry.h"

namespace relais::rendering {

// Band `band` of the JPEG decoded at `factor` into the same rows of `out`, which has the
// scaled size and CV_8UC1 (grey JPEG) or CV_8UC3 (RGB order). Bands start at `starts`
// (ascending, the first 0). Where the next band starts, decoding reads on into it when
// `readOn(nextBand)` says so: a thread that finds no helper free decodes the whole image in
// one pass instead of reading the upper rows twice. Throws std::runtime_error on damaged data
// or a colour model other than grey, YCbCr or RGB.
void DecodeJpegBand(const std::string& jpeg, ScalingFactor factor, const std::vector<int>& starts, size_t band,
                    cv::Mat& out, const std::function<bool(size_t nextBand)>& readOn);

// First rows of the bands, for `bands` threads, when reading a row costs `fullCost` and
// skipping it `skipCost` (same unit): bands[0] is 0; the last band ends at `rows`. Whole
// multiples of `step` rows.
std::vector<int> BalancedBandStarts(int rows, int bands, double skipCost, double fullCost, int step);

}  // namespace relais::rendering
