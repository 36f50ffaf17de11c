#pragma once
// Makes a camera JPEG upright, storable under the baseline JPEG transfer syntax and decodable
// in row bands: every JPEG stored has a restart marker at the start of every MCU row, so the
// hub can decode a large photo on all its cores (each band starts at a marker).
//  - Orientation 1, one baseline scan that already restarts every MCU row: passthrough, the
//    input bytes are used as they are (no copy is returned).
//  - Otherwise the DCT coefficients are re-coded (DctTransform.h, the equivalent of
//    tjTransform with TJXOPT_PERFECT plus the restart interval): turned or flipped by EXIF
//    orientation, progressive/extended/arithmetic coding rewritten as baseline, without
//    changing a single coefficient.
//  - When a turn cannot be perfect (width or height not a multiple of the MCU, so the edge
//    blocks would be dropped), the documented fallback decodes, turns the pixels and
//    re-encodes them with the camera's own quantization tables and sampling (so the bytes
//    stay near the camera's, where a fixed quality 95 doubled them) and Huffman tables fitted
//    to the picture: a second lossy step, reported as Reencoded so the caller records it
//    (Derivation Description, Lossy Image Compression Method/Ratio).
#include <opencv2/core.hpp>
#include <string>

#include "relais/capture/JpegStream.h"

namespace relais::capture {

enum class OrientationMethod { Passthrough, Lossless, Reencoded };

struct OrientedJpeg {
  Bytes jpeg;  // empty when Passthrough (use the input); else the new JPEG, without application segments
  OrientationMethod method = OrientationMethod::Passthrough;
  std::string description;  // why and how, for Derivation Description; empty for Passthrough
};

class JpegCoefficients;  // DctTransform.h, private to relais_capture

// Whether orientJpeg re-codes this JPEG's coefficients (not passthrough, not re-encoded).
bool recodesLosslessly(const JpegInfo& info);

// `decoded`: the coefficients of `jpeg` when the caller already has them (decoded once for
// the quality gate too); used only when recodesLosslessly.
OrientedJpeg orientJpeg(const Bytes& jpeg, const JpegInfo& info, JpegCoefficients* decoded = nullptr);

// Full decode to BGR (or gray) pixels; throws CaptureError on any decoder warning.
cv::Mat decodeJpegPixels(const Bytes& jpeg, const JpegInfo& info);

// The EXIF orientation transform on decoded pixels.
cv::Mat orientPixels(const cv::Mat& image, int orientation);

}  // namespace relais::capture
