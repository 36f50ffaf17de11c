#pragma once
// One JPEG encoded as horizontal bands in parallel. Each band is a JPEG of its own (same
// quality, tables and subsampling); the bands' entropy-coded data are then joined with restart
// markers under the first band's headers. A restart resets exactly what a new JPEG starts
// afresh (DC prediction, bit alignment), and libjpeg's chroma subsampling looks at no row
// outside its MCU, so the joined image decodes to the very pixels of a whole-image encoding.
#include <optional>
#include <string>
#include <vector>

#include <opencv2/core.hpp>

namespace relais::rendering {

struct BandLayout {
  int bandRows = 0;          // rows per band, a whole number of MCU rows; the last may be shorter
  int bands = 0;
  unsigned restartInterval = 0;  // MCUs per band
};

// Splits `rows` x `columns` into at most `wanted` bands of whole MCU rows (`mcuSide`: 16 for
// 4:2:0 colour, 8 for grey), no band with more MCUs than a restart interval can count.
BandLayout LayOutBands(int rows, int columns, int mcuSide, int wanted);

// Joins separately encoded bands (baseline JPEGs without restart markers, identical headers
// but for their height) into one JPEG `fullHeight` rows high. Nothing when the bands cannot
// be joined (different tables, markers already present, not baseline): encode whole instead.
std::optional<std::string> JoinJpegBands(const std::vector<std::string>& bands, int fullHeight,
                                         unsigned restartInterval);

}  // namespace relais::rendering
