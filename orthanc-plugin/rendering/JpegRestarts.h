#pragma once
// A baseline JPEG with restart markers decoded in independent row bands. At a restart marker
// the entropy decoder starts afresh (no bit position or DC prediction carried over), so a band
// that begins at a marker needs nothing from the rows above it: each band is cut out as a
// small JPEG of its own (the same headers, the frame height made the band's, its markers
// renumbered from RST0) and decoded on its own core, Huffman decoding included. Relais's
// capture writes a marker at every MCU row of the photos it stores; many cameras write them
// too. Chroma upsampling looks at the neighbouring rows, so each band is decoded with one entry
// step of rows beyond each of its edges, and those rows are dropped: the pixels are exactly
// those of a decoding of the whole image.
#include <cstddef>
#include <optional>
#include <string>
#include <vector>

#include <opencv2/core.hpp>

#include "rendering/RenderGeometry.h"

namespace relais::rendering {

struct RestartLayout {
  int width = 0, height = 0;        // pixels
  int mcuWidth = 0, mcuHeight = 0;  // pixels
  int mcuColumns = 0, mcuRows = 0;
  int interval = 0;                 // MCUs between restart markers (DRI)
  int entryStep = 0;                // MCU rows between rows that begin at a marker
  size_t frameHeightOffset = 0;     // where the SOF's 16-bit height is
  size_t entropyStart = 0;          // first byte after the SOS header
  size_t entropyEnd = 0;            // the marker that ends the scan (EOI), or the end of the bytes
  std::vector<size_t> segmentStarts;  // first byte of each restart interval's data
};

// The layout of a single-scan baseline (Huffman, 8-bit) JPEG with restart markers, or nothing
// when it has none, is progressive, arithmetic-coded, has several scans, or its markers are
// not all there in order (damaged: left to the whole decoding, which copes or says why).
std::optional<RestartLayout> FindRestartLayout(const std::string& jpeg);

// First MCU rows of `bands` equal bands, each a multiple of the entry step, or a single band
// (just 0) when the entry rows are too sparse for the overlap at the edges to be worth it.
std::vector<int> RestartBandStarts(const RestartLayout& layout, int bands);

// MCU rows [firstRow, endRow) decoded at `factor` into the same (scaled) rows of `out`, which
// has the whole image's scaled size and CV_8UC1 (grey) or CV_8UC3 (RGB order). `firstRow` and
// `endRow` must be entry rows (or endRow the MCU row count). Throws std::runtime_error on
// damaged data, a libjpeg warning included, so that the caller can fall back to a whole decode.
void DecodeRestartBand(const std::string& jpeg, const RestartLayout& layout, ScalingFactor factor, int firstRow,
                       int endRow, cv::Mat& out);

}  // namespace relais::rendering
