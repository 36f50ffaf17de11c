#include "relais/capture/JpegOrientation.h"

#include <opencv2/core.hpp>

#include "DctTransform.h"
#include "TurboJpeg.h"

namespace relais::capture {

cv::Mat orientPixels(const cv::Mat& image, int orientation) {
  cv::Mat out;
  switch (orientation) {
    case 2: cv::flip(image, out, 1); break;
    case 3: cv::flip(image, out, -1); break;
    case 4: cv::flip(image, out, 0); break;
    case 5: cv::transpose(image, out); break;
    case 6: cv::transpose(image, out); cv::flip(out, out, 1); break;
    case 7: cv::transpose(image, out); cv::flip(out, out, -1); break;
    case 8: cv::transpose(image, out); cv::flip(out, out, 0); break;
    default: out = image; break;
  }
  return out;
}

cv::Mat decodeJpegPixels(const Bytes& jpeg, const JpegInfo& info) {
  TjHandle decoder = makeTj(tjInitDecompress);
  const bool gray = info.colour == JpegColour::Gray;
  cv::Mat pixels(info.height, info.width, gray ? CV_8UC1 : CV_8UC3);
  if (tjDecompress2(decoder.get(), jpeg.data(), jpeg.size(), pixels.data, info.width, 0, info.height,
                    gray ? TJPF_GRAY : TJPF_BGR, TJFLAG_STOPONWARNING | TJFLAG_ACCURATEDCT) != 0) {
    throw CaptureError("the JPEG cannot be decoded: " + tjError(decoder.get()));
  }
  return pixels;
}

namespace {

Bytes reencode(const Bytes& jpeg, const JpegInfo& info, int orientation, int quality) {
  const bool gray = info.colour == JpegColour::Gray;
  const int pixelFormat = gray ? TJPF_GRAY : TJPF_BGR;
  cv::Mat upright = orientPixels(decodeJpegPixels(jpeg, info), orientation);
  if (!upright.isContinuous()) upright = upright.clone();
  TjHandle encoder = makeTj(tjInitCompress);
  unsigned char* output = nullptr;
  unsigned long outputSize = 0;
  const int subsampling = gray ? TJSAMP_GRAY : (info.subsampled ? TJSAMP_420 : TJSAMP_444);
  const int rc = tjCompress2(encoder.get(), upright.data, upright.cols, 0, upright.rows, pixelFormat, &output,
                             &outputSize, subsampling, quality, TJFLAG_ACCURATEDCT);
  TjBuffer owned(output);
  if (rc != 0) throw CaptureError("re-encoding the turned JPEG failed: " + tjError(encoder.get()));
  return Bytes(output, output + outputSize);
}

}  // namespace

bool turnsLosslessly(const JpegInfo& info) {
  const int orientation = info.exif.orientation;
  if (orientation == 1 && info.coding == JpegCoding::Baseline) return false;
  return info.precision == 8 && isPerfectTransform(info, orientation);
}

OrientedJpeg orientJpeg(const Bytes& jpeg, const JpegInfo& info, int fallbackQuality, JpegCoefficients* decoded) {
  const int orientation = info.exif.orientation;
  OrientedJpeg result;
  if (orientation == 1 && info.coding == JpegCoding::Baseline) return result;  // the caller keeps `jpeg`
  if (info.precision != 8) {
    throw CaptureError("the JPEG has " + std::to_string(info.precision) + "-bit samples; cameras write 8-bit");
  }
  const std::string what = orientation == 1 ? std::string("rewritten as baseline JPEG")
                                             : "EXIF orientation " + std::to_string(orientation) + " applied";
  if (turnsLosslessly(info)) {
    result.jpeg = decoded != nullptr ? decoded->reoriented(orientation) : transformJpegLossless(jpeg, orientation);
    result.method = OrientationMethod::Lossless;
    result.description = what + " losslessly (JPEG DCT-domain transform, no re-encoding)";
    return result;
  }
  result.jpeg = reencode(jpeg, info, orientation, fallbackQuality);
  result.method = OrientationMethod::Reencoded;
  result.description = what + " by decoding and re-encoding at JPEG quality " + std::to_string(fallbackQuality) +
                       " (image " + std::to_string(info.width) + "x" + std::to_string(info.height) +
                       " is not a multiple of the " + std::to_string(info.mcuWidth) + "x" +
                       std::to_string(info.mcuHeight) + " JPEG block, a lossless turn would cut its edges)";
  return result;
}

}  // namespace relais::capture
