#pragma once
// Lossless re-orientation of a JPEG in the DCT domain, with libjpeg's coefficient API (private
// to relais_capture). The coefficients are decoded once, moved block by block and, within
// each block, transposed and sign-flipped (mirroring an axis negates the odd frequencies
// along it), then entropy-coded again as baseline Huffman JPEG with the source's quantisation
// tables (transposed with the blocks), a restart marker at the start of every MCU row (so the
// hub can decode it in row bands on several cores) and no application segments. Not one
// coefficient value changes. The blocks are moved in small tiles so that a 90-degree turn of a
// 12-megapixel photo stays in the caches, which libjpeg-turbo's tjTransform (one block at a
// time across the whole image height) does not.
#include <memory>
#include <opencv2/core.hpp>

#include "relais/capture/JpegStream.h"

namespace relais::capture {

// Whether EXIF orientation `orientation` can be applied without dropping edge blocks: every
// axis it mirrors must be a whole number of MCUs.
bool isPerfectTransform(const JpegInfo& info, int orientation);

// A JPEG decoded once into its coefficients. With a DCT scaling (num/denom, as the quality
// gate chooses it) the same pass also yields the reduced grayscale image the gate measures,
// pixel for pixel what tjDecompress2 gives (TJPF_GRAY, TJFLAG_FASTDCT): a photo that is turned
// is entropy-decoded once, not once for the gate and once for the turn. Throws CaptureError
// on damaged data (any decoder warning), like the gate's own decode.
class JpegCoefficients {
 public:
  // `jpeg` must outlive this object. scaleNum 0: coefficients only; a scaling must be above
  // 1/8 (see sharesDecode) and the JPEG YCbCr or grayscale (RGB-coded photos are decoded to
  // pixels instead).
  JpegCoefficients(const Bytes& jpeg, int scaleNum, int scaleDenom);
  ~JpegCoefficients();
  JpegCoefficients(const JpegCoefficients&) = delete;
  JpegCoefficients& operator=(const JpegCoefficients&) = delete;

  const cv::Mat& reducedGray() const;  // empty without a scaling
  // The JPEG turned by EXIF `orientation` 1..8 (1: no turn, only re-coded), as baseline
  // Huffman JPEG with a restart interval of one MCU row and without application segments.
  // Requires isPerfectTransform; once.
  Bytes reoriented(int orientation);

 private:
  struct Reader;
  std::unique_ptr<Reader> reader_;
  std::size_t size_;
};

// Whether the gate's reduced decode at num/denom can come out of the same pass as the
// coefficients: not at 1/8, where libjpeg keeps no AC coefficient (images of 8192+ pixels).
inline bool sharesDecode(int scaleNum, int scaleDenom) { return scaleNum * 8 > scaleDenom; }

// JpegCoefficients(jpeg, 0, 0).reoriented(orientation).
Bytes transformJpegLossless(const Bytes& jpeg, int orientation);

}  // namespace relais::capture
