#pragma once
// A large native grey frame rendered as it is read: strips of a few hundred kilobytes are read
// from the stored file into reused buffers (one per core at work), cleared of bits above High Bit, and
// block-averaged straight away, so each stored byte crosses memory once and the full frame is
// never held. A 2500x3000 16-bit radiograph shown 1024 wide: 15 MB read in 250 KB pieces that
// stay in the processor's cache, instead of copied, scanned and averaged as a whole.
// The block average can be kept: window/level and other widths with the same whole factor
// then start from it. Gives the bytes RenderPixels gives for the same frame read whole.
#include <cstdint>
#include <functional>
#include <optional>
#include <string>

#include <opencv2/core.hpp>

#include "rendering/FrameRenderer.h"
#include "rendering/RenderRequest.h"
#include "rendering/StoredFrames.h"

namespace relais::rendering {

// Reads `length` bytes from `offset` of the stored file into `target`; returns how many.
using ReadInto = std::function<size_t(uint64_t offset, size_t length, void* target)>;

// A frame's stored values averaged over factor x factor blocks, and the range of its values.
struct AveragedFrame {
  cv::Mat values;  // CV_16UC1 or CV_16SC1
  StoredRange range;
  size_t size() const { return values.total() * values.elemSize(); }
};

// The whole factor a rendering at `request` would average this frame by, when strips apply
// (16-bit grey native frames shrunk to half or less); nothing otherwise.
std::optional<int> StripFactor(const StoredFrames& stored, const RenderRequest& request);

// Throws std::runtime_error when the file is shorter than its header says.
AveragedFrame AverageGreyInStrips(const ReadInto& read, const StoredFrames& stored, unsigned frame, int factor);

// The rendering of the frame at `request` from its block average by StripFactor(request).
std::string RenderAveraged(const AveragedFrame& averaged, const FrameDescription& d, const RenderRequest& request);

// Both steps at once; nothing when strips do not apply (the caller renders the whole frame).
std::optional<std::string> RenderGreyInStrips(const ReadInto& read, const StoredFrames& stored, unsigned frame,
                                              const RenderRequest& request);

}  // namespace relais::rendering
