#include "rendering/StripRenderer.h"

#include <algorithm>
#include <limits>
#include <stdexcept>
#include <string_view>
#include <vector>

#include <opencv2/imgproc.hpp>

#include "rendering/BandWorkers.h"
#include "rendering/FrameRenderer.h"
#include "rendering/JpegCodec.h"
#include "rendering/RenderGeometry.h"
#include "rendering/ScratchPool.h"
#include "rendering/VoiWindow.h"

namespace relais::rendering {

namespace {

// Small enough to stay in a core's cache between the read and the averaging.
constexpr size_t kStripBytes = 256 * 1024;

}  // namespace

std::optional<int> StripFactor(const StoredFrames& stored, const RenderRequest& request) {
  const FrameDescription& d = stored.description;
  if (!d.isPlainNative() || d.samplesPerPixel != 1 || d.bitsAllocated != 16) return std::nullopt;
  const PixelSize source{d.columns, d.rows};
  const int factor = WholeShrinkFactor(source, FitWithin(source, request.width, request.height));
  if (factor < 2) return std::nullopt;
  return factor;
}

AveragedFrame AverageGreyInStrips(const ReadInto& read, const StoredFrames& stored, unsigned frame, int factor) {
  const FrameDescription& d = stored.description;
  const auto range = NativeFrameRange(stored, frame);
  if (!range || d.bitsAllocated != 16 || d.samplesPerPixel != 1 || factor < 1) {
    throw std::runtime_error("frame " + std::to_string(frame) + " is not a native 16-bit grey frame");
  }
  const size_t rowBytes = static_cast<size_t>(d.columns) * 2;
  const int usedRows = d.rows - d.rows % factor;
  const int usedColumns = d.columns - d.columns % factor;
  const int stripRows = std::max(factor, static_cast<int>(kStripBytes / rowBytes) / factor * factor);
  const size_t strips = static_cast<size_t>((d.rows + stripRows - 1) / stripRows);
  AveragedFrame averaged;
  averaged.values.create(usedRows / factor, usedColumns / factor, d.signedPixels ? CV_16SC1 : CV_16UC1);
  std::vector<StoredRange> stripRanges(strips);

  // Strips are independent (whole blocks each), so the hub's cores take them in turn, each
  // reading into memory of its own: a 15 MB radiograph is read and averaged on every core.
  // Every row is read, the trimmed last ones too: the value range covers the whole frame, as
  // it does when the frame is rendered whole.
  RenderBands().run(strips, [&](size_t i) {
    const int y = static_cast<int>(i) * stripRows;
    const int rows = std::min(stripRows, d.rows - y);
    const size_t bytes = rows * rowBytes;
    const auto stripMemory = RenderScratch().acquire(bytes);
    if (read(range->offset + y * rowBytes, bytes, stripMemory.data()) != bytes) {
      throw std::runtime_error("stored file ends inside frame " + std::to_string(frame));
    }
    FrameDescription strip = d;
    strip.rows = rows;
    const cv::Mat stripValues =
        NativeFrameValues(std::string_view(reinterpret_cast<const char*>(stripMemory.data()), bytes), strip);
    cv::minMaxLoc(stripValues, &stripRanges[i].lowest, &stripRanges[i].highest);
    const int averagedRows = (std::min(y + rows, usedRows) - y) / factor;
    if (averagedRows <= 0) return;
    cv::Mat into = averaged.values.rowRange(y / factor, y / factor + averagedRows);
    cv::resize(stripValues(cv::Rect(0, 0, usedColumns, averagedRows * factor)), into, into.size(), 0, 0,
               cv::INTER_AREA);
  });
  averaged.range = StoredRange{std::numeric_limits<double>::max(), std::numeric_limits<double>::lowest()};
  for (const StoredRange& r : stripRanges) {
    averaged.range.lowest = std::min(averaged.range.lowest, r.lowest);
    averaged.range.highest = std::max(averaged.range.highest, r.highest);
  }
  return averaged;
}

std::string RenderAveraged(const AveragedFrame& averaged, const FrameDescription& d, const RenderRequest& request) {
  const PixelSize target = FitWithin(PixelSize{d.columns, d.rows}, request.width, request.height);
  const Window window = GreyWindow(request, d.grey, averaged.values.depth(), [&averaged] { return averaged.range; });
  return EncodeJpeg(ApplyWindow(Interpolate(averaged.values, target), d.grey, window), request.quality);
}

std::optional<std::string> RenderGreyInStrips(const ReadInto& read, const StoredFrames& stored, unsigned frame,
                                              const RenderRequest& request) {
  const auto factor = StripFactor(stored, request);
  if (!factor) return std::nullopt;
  return RenderAveraged(AverageGreyInStrips(read, stored, frame, *factor), stored.description, request);
}

}  // namespace relais::rendering
