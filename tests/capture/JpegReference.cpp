#include "JpegReference.h"

#include <turbojpeg.h>

#include <algorithm>
#include <stdexcept>

namespace relais::capture::test {

RestartLayout restartLayout(const Bytes& jpeg) {
  RestartLayout layout;
  int restartInterval = 0;
  std::size_t pos = 2;  // after SOI
  while (pos + 2 <= jpeg.size()) {
    if (jpeg[pos] != 0xFF) throw std::runtime_error("not a marker at " + std::to_string(pos));
    const std::uint8_t marker = jpeg[pos + 1];
    if (marker == 0xD9) return layout;  // EOI
    if (pos + 4 > jpeg.size()) break;
    const std::size_t length = static_cast<std::size_t>(jpeg[pos + 2] << 8 | jpeg[pos + 3]);
    const std::uint8_t* body = jpeg.data() + pos + 4;
    if (marker == 0xC0 || marker == 0xC1 || marker == 0xC2) {
      layout.height = body[1] << 8 | body[2];
      layout.width = body[3] << 8 | body[4];
      const int components = body[5];
      int maxH = 1, maxV = 1;
      for (int c = 0; c < components; ++c) {
        maxH = std::max(maxH, body[7 + 3 * c] >> 4);
        maxV = std::max(maxV, body[7 + 3 * c] & 0x0F);
      }
      layout.mcuWidth = components == 1 ? 8 : 8 * maxH;
      layout.mcuHeight = components == 1 ? 8 : 8 * maxV;
    } else if (marker == 0xDD) {
      restartInterval = body[0] << 8 | body[1];
    }
    pos += 2 + length;
    if (marker != 0xDA) continue;
    if (layout.scans++ == 0) layout.interval = restartInterval;
    // Entropy-coded data up to the next marker that is neither stuffing nor a restart.
    while (pos + 1 < jpeg.size()) {
      if (jpeg[pos] != 0xFF) {
        ++pos;
        continue;
      }
      const std::uint8_t next = jpeg[pos + 1];
      if (next == 0x00) {
        pos += 2;
      } else if (next >= 0xD0 && next <= 0xD7) {
        ++layout.markers;
        pos += 2;
      } else {
        break;
      }
    }
  }
  throw std::runtime_error("no end-of-image marker");
}

cv::Mat decodeExactly(const Bytes& jpeg) {
  tjhandle handle = tjInitDecompress();
  int width = 0, height = 0, subsampling = 0, colourspace = 0;
  if (tjDecompressHeader3(handle, jpeg.data(), jpeg.size(), &width, &height, &subsampling, &colourspace) != 0) {
    tjDestroy(handle);
    throw std::runtime_error("not a JPEG TurboJPEG can read");
  }
  const bool gray = colourspace == TJCS_GRAY;
  cv::Mat pixels(height, width, gray ? CV_8UC1 : CV_8UC3);
  const int rc = tjDecompress2(handle, jpeg.data(), jpeg.size(), pixels.data, width, 0, height,
                               gray ? TJPF_GRAY : TJPF_BGR, TJFLAG_STOPONWARNING | TJFLAG_ACCURATEDCT);
  const std::string error = rc != 0 ? tjGetErrorStr2(handle) : "";
  tjDestroy(handle);
  if (rc != 0) throw std::runtime_error("TurboJPEG cannot decode it: " + error);
  return pixels;
}

Bytes referenceTransform(const Bytes& jpeg, int orientation) {
  static const int operations[9] = {0, TJXOP_NONE, TJXOP_HFLIP, TJXOP_ROT180, TJXOP_VFLIP,
                                    TJXOP_TRANSPOSE, TJXOP_ROT90, TJXOP_TRANSVERSE, TJXOP_ROT270};
  tjhandle handle = tjInitTransform();
  tjtransform transform{};
  transform.op = operations[orientation];
  transform.options = TJXOPT_PERFECT | TJXOPT_COPYNONE;
  unsigned char* buffer = nullptr;
  unsigned long size = 0;
  const int rc = tjTransform(handle, jpeg.data(), jpeg.size(), 1, &buffer, &size, &transform, 0);
  if (rc != 0) throw std::runtime_error(tjGetErrorStr2(handle));
  Bytes out(buffer, buffer + size);
  tjFree(buffer);
  tjDestroy(handle);
  return stripMetadata(out);
}

int differingPixels(const cv::Mat& a, const cv::Mat& b) {
  if (a.size() != b.size() || a.type() != b.type()) return -1;
  cv::Mat difference = a != b;
  if (difference.channels() > 1) difference = difference.reshape(1);
  return cv::countNonZero(difference);
}

}  // namespace relais::capture::test
