#include "relais/capture/JpegOrientation.h"

#include <opencv2/core.hpp>

#include <vector>

#include "DctTransform.h"
#include "LibJpeg.h"
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

// Pixels to baseline JPEG as tjCompress2 with TJFLAG_ACCURATEDCT codes them (same colour
// conversion, sampling, tables and DCT, so the same coefficients), plus what TurboJPEG 2.1
// cannot ask for: a restart marker at the start of every MCU row.
Bytes encodeWithRowRestarts(const cv::Mat& pixels, bool subsampled, int quality) {
  const bool gray = pixels.channels() == 1;
  Bytes out;
  JpegCompressor encoder(out, pixels.total() * pixels.elemSize() / 4);
  jpeg_compress_struct& info = encoder.info;
  info.image_width = static_cast<JDIMENSION>(pixels.cols);
  info.image_height = static_cast<JDIMENSION>(pixels.rows);
  info.input_components = pixels.channels();
  info.in_color_space = gray ? JCS_GRAYSCALE : JCS_EXT_BGR;
  jpeg_set_defaults(&info);  // YCbCr 4:2:0 for colour input, like TJSAMP_420
  jpeg_set_quality(&info, quality, TRUE);
  info.dct_method = JDCT_ISLOW;
  info.write_JFIF_header = FALSE;  // stored in DICOM: no application segments
  if (!gray && !subsampled) info.comp_info[0].h_samp_factor = info.comp_info[0].v_samp_factor = 1;
  info.restart_in_rows = 1;
  std::vector<JSAMPROW> rows(static_cast<std::size_t>(pixels.rows));
  for (int y = 0; y < pixels.rows; ++y) rows[static_cast<std::size_t>(y)] = const_cast<JSAMPLE*>(pixels.ptr<JSAMPLE>(y));
  jpeg_start_compress(&info, TRUE);
  while (info.next_scanline < info.image_height) {
    jpeg_write_scanlines(&info, rows.data() + info.next_scanline, info.image_height - info.next_scanline);
  }
  jpeg_finish_compress(&info);
  return out;
}

Bytes reencode(const Bytes& jpeg, const JpegInfo& info, int orientation, int quality) {
  const cv::Mat upright = orientPixels(decodeJpegPixels(jpeg, info), orientation);
  return encodeWithRowRestarts(upright, info.subsampled, quality);
}

const char* const kRowRestarts = "restart markers every MCU row";

}  // namespace

bool recodesLosslessly(const JpegInfo& info) {
  const int orientation = info.exif.orientation;
  if (orientation == 1 && restartsEveryMcuRow(info)) return false;
  return info.precision == 8 && isPerfectTransform(info, orientation);
}

OrientedJpeg orientJpeg(const Bytes& jpeg, const JpegInfo& info, int fallbackQuality, JpegCoefficients* decoded) {
  const int orientation = info.exif.orientation;
  OrientedJpeg result;
  if (orientation == 1 && restartsEveryMcuRow(info)) return result;  // the caller keeps `jpeg`
  if (info.precision != 8) {
    throw CaptureError("the JPEG has " + std::to_string(info.precision) + "-bit samples; cameras write 8-bit");
  }
  const std::string turn = "EXIF orientation " + std::to_string(orientation) + " applied";
  if (recodesLosslessly(info)) {
    result.jpeg = decoded != nullptr ? decoded->reoriented(orientation) : transformJpegLossless(jpeg, orientation);
    result.method = OrientationMethod::Lossless;
    result.description = (orientation == 1 ? std::string() : turn + " in the JPEG DCT domain, ") +
                         "re-coded losslessly as baseline JPEG with " + kRowRestarts +
                         " (DCT coefficients unchanged, no re-encoding)";
    return result;
  }
  result.jpeg = reencode(jpeg, info, orientation, fallbackQuality);
  result.method = OrientationMethod::Reencoded;
  result.description = turn + " by decoding and re-encoding at JPEG quality " + std::to_string(fallbackQuality) +
                       " with " + kRowRestarts + " (image " + std::to_string(info.width) + "x" +
                       std::to_string(info.height) + " is not a multiple of the " + std::to_string(info.mcuWidth) +
                       "x" + std::to_string(info.mcuHeight) + " JPEG block, a lossless turn would cut its edges)";
  return result;
}

}  // namespace relais::capture
