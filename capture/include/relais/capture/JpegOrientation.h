#pragma once
// Makes a camera JPEG upright and storable under the baseline JPEG transfer syntax.
//  - Orientation 1 and a baseline frame: passthrough, the input bytes are used as they are
//    (no copy is returned).
//  - Otherwise a DCT-domain transform (DctTransform.h, the equivalent of tjTransform with
//    TJXOPT_PERFECT) rotates or flips the image, and rewrites progressive/extended/arithmetic
//    coding as baseline, without changing a single coefficient.
//  - When the transform cannot be perfect (width or height not a multiple of the MCU, so the
//    edge blocks would be dropped), the documented fallback decodes, turns the pixels and
//    re-encodes at `fallbackQuality`: a second lossy step, reported as Reencoded so the
//    caller records it (Derivation Description, Lossy Image Compression Method/Ratio).
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

// Whether orientJpeg turns this JPEG in the DCT domain (not passthrough, not re-encoded).
bool turnsLosslessly(const JpegInfo& info);

// `decoded`: the coefficients of `jpeg` when the caller already has them (decoded once for
// the quality gate too); used only when turnsLosslessly.
OrientedJpeg orientJpeg(const Bytes& jpeg, const JpegInfo& info, int fallbackQuality = 95,
                        JpegCoefficients* decoded = nullptr);

// Full decode to BGR (or gray) pixels; throws CaptureError on any decoder warning.
cv::Mat decodeJpegPixels(const Bytes& jpeg, const JpegInfo& info);

// The EXIF orientation transform on decoded pixels.
cv::Mat orientPixels(const cv::Mat& image, int orientation);

}  // namespace relais::capture
