#pragma once
// Lossless re-orientation of a JPEG in the DCT domain, with libjpeg's coefficient API (private
// to relais_capture). The coefficients are decoded once, moved block by block and, within
// each block, transposed and sign-flipped (mirroring an axis negates the odd frequencies
// along it), then entropy-coded again as baseline Huffman JPEG with the source's quantisation
// tables (transposed with the blocks) and no application segments. Not one coefficient value
// changes. The blocks are moved in small tiles so that a 90-degree turn of a 12-megapixel
// photo stays in the caches, which libjpeg-turbo's tjTransform (one block at a time across
// the whole image height) does not.
#include <optional>

#include "relais/capture/JpegStream.h"

namespace relais::capture {

// Whether EXIF orientation `orientation` can be applied without dropping edge blocks: every
// axis it mirrors must be a whole number of MCUs.
bool isPerfectTransform(const JpegInfo& info, int orientation);

// `orientation` is the EXIF value 1..8 (1: no turn, only re-coded as baseline). Requires
// isPerfectTransform. Throws CaptureError on damaged data (any decoder warning).
Bytes transformJpegLossless(const Bytes& jpeg, int orientation);

}  // namespace relais::capture
