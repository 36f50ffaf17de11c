#pragma once
// RAII handles for libjpeg's own API (jpeglib.h), private to relais_capture: what TurboJPEG 2.1
// cannot do (coefficients in and out, restart intervals) goes through these. Errors and
// warnings throw CaptureError, so no handle outlives a failure and corrupt data libjpeg would
// paper over is refused, as with TJFLAG_STOPONWARNING.
// jpeglib.h needs size_t and FILE declared first.
#include <cstddef>
#include <cstdio>
#include <jpeglib.h>

#include "relais/capture/JpegStream.h"

namespace relais::capture {

struct JpegDecompressor {
  jpeg_decompress_struct info{};
  jpeg_error_mgr errors{};
  JpegDecompressor();
  ~JpegDecompressor();
  JpegDecompressor(const JpegDecompressor&) = delete;
  JpegDecompressor& operator=(const JpegDecompressor&) = delete;
};

// Writes the compressed stream into `out`, sized from `expectedSize` up front so a photo's
// JPEG is not grown and copied from libjpeg's 4 KiB start the way jpeg_mem_dest does; `out`
// has the JPEG's exact size after jpeg_finish_compress.
struct JpegCompressor {
  jpeg_compress_struct info{};
  jpeg_error_mgr errors{};
  jpeg_destination_mgr destination{};
  Bytes* out = nullptr;
  JpegCompressor(Bytes& out, std::size_t expectedSize);
  ~JpegCompressor();
  JpegCompressor(const JpegCompressor&) = delete;
  JpegCompressor& operator=(const JpegCompressor&) = delete;
};

}  // namespace relais::capture
