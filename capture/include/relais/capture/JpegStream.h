#pragma once
// A camera JPEG as a sequence of markers, read without decoding the image. It tells what
// DICOM needs to label the bytes truthfully (coding process, colour space, subsampling), gives
// the EXIF facts, and produces the copy that goes into DICOM: application segments (EXIF with
// GPS, XMP, maker data, thumbnails) and comments removed, the Adobe APP14 segment kept (it
// decides whether the three components are RGB or YCbCr), the entropy-coded data untouched.
#include <cstdint>
#include <vector>

#include "relais/capture/ExifFacts.h"

namespace relais::capture {

using Bytes = std::vector<std::uint8_t>;

enum class JpegCoding { Baseline, ExtendedSequential, Progressive, Lossless, Arithmetic };
enum class JpegColour { YCbCr, Rgb, Gray, Cmyk, Ycck };

struct JpegInfo {
  int width = 0;
  int height = 0;
  int components = 0;
  int precision = 8;
  JpegCoding coding = JpegCoding::Baseline;
  JpegColour colour = JpegColour::YCbCr;
  bool subsampled = false;       // chroma subsampled (4:2:2, 4:2:0, ...), not 4:4:4
  int mcuWidth = 8, mcuHeight = 8;
  int scans = 0;
  int restartInterval = 0;       // MCUs between restart markers in the first scan (DRI), 0: none
  ExifFacts exif;
  std::size_t end = 0;           // offset just past EOI (bytes after it are a trailer)
};

// MCUs in one row of the first scan: one 8x8 block per MCU when the JPEG has one component
// (a non-interleaved scan), else one mcuWidth-wide MCU.
int mcusPerRow(const JpegInfo& info);

// Whether the hub can decode the JPEG in independent row bands as it is: one baseline scan
// with a restart marker at the start of every MCU row.
bool restartsEveryMcuRow(const JpegInfo& info);

// Throws CaptureError (without a file name: the caller adds it) for anything that is not a
// complete JPEG: no SOI, truncated segment, no frame header, no EOI, absurd dimensions.
JpegInfo inspectJpeg(const Bytes& jpeg);

// The JPEG with APP0..APP13, APP15 and COM segments and any trailer after EOI removed.
Bytes stripMetadata(const Bytes& jpeg);

// The same as byte ranges of `jpeg`, in order, for copying it once straight to where it goes.
struct ByteRange {
  std::size_t offset = 0;
  std::size_t length = 0;
};
std::vector<ByteRange> metadataFreeRanges(const Bytes& jpeg);

// From the first SOS marker to EOI: the part that must stay byte-identical in passthrough.
Bytes scanData(const Bytes& jpeg);

// Largest width or height, and pixel count, accepted from any source.
constexpr int kMaxDimension = 30000;
constexpr long long kMaxPixels = 200LL * 1000 * 1000;

}  // namespace relais::capture
