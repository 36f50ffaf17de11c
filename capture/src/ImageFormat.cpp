#include "relais/capture/ImageFormat.h"

#include <cstring>

#include "relais/capture/CaptureError.h"
#include "relais/capture/MediaCodecs.h"

namespace relais::capture {

ImageFormat detectImageFormat(const Bytes& b) {
  if (b.empty()) throw CaptureError("the file is empty");
  if (b.size() >= 3 && b[0] == 0xFF && b[1] == 0xD8 && b[2] == 0xFF) return ImageFormat::Jpeg;
  if (b.size() >= 8 && std::memcmp(b.data(), "\x89PNG\r\n\x1a\n", 8) == 0) return ImageFormat::Png;
  if (b.size() >= 4 && (std::memcmp(b.data(), "II*\0", 4) == 0 || std::memcmp(b.data(), "MM\0*", 4) == 0)) {
    return ImageFormat::Tiff;
  }
  if (b.size() >= 26 && b[0] == 'B' && b[1] == 'M') return ImageFormat::Bmp;
  return ImageFormat::Unknown;
}

void checkDimensions(long long width, long long height) {
  if (width <= 0 || height <= 0 || width > kMaxDimension || height > kMaxDimension || width * height > kMaxPixels) {
    throw CaptureError("absurd image dimensions " + std::to_string(width) + "x" + std::to_string(height));
  }
}

cv::Mat decodeRaster(const Bytes& bytes, ImageFormat format) {
  if (format == ImageFormat::Png) {
    if (bytes.size() < 33 || std::memcmp(bytes.data() + 12, "IHDR", 4) != 0) {
      throw CaptureError("the PNG is truncated (no image header)");
    }
    auto be32 = [&](std::size_t at) {
      return static_cast<long long>(bytes[at]) << 24 | bytes[at + 1] << 16 | bytes[at + 2] << 8 | bytes[at + 3];
    };
    checkDimensions(be32(16), be32(20));
  }
  cv::Mat image = decodeWithOpenCv(bytes);
  checkDimensions(image.cols, image.rows);
  return image;
}

}  // namespace relais::capture
