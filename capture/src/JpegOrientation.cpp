#include "relais/capture/JpegOrientation.h"

#include <opencv2/core.hpp>

#include <algorithm>
#include <array>
#include <vector>

#include "relais/capture/CaptureError.h"

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

// How the camera quantized its JPEG: the tables (natural order), the table and the sampling
// factors of each component. A re-encode that quantizes with the same tables keeps the
// camera's choice of quality and, near enough, its size; a fixed quality 95 doubled the bytes
// of an ordinary phone photo (quality 80-90) for detail that was no longer there.
struct CameraQuantization {
  int components = 0;
  std::array<std::array<unsigned int, DCTSIZE2>, NUM_QUANT_TBLS> tables{};
  std::array<bool, NUM_QUANT_TBLS> present{};
  std::array<int, MAX_COMPONENTS> table{}, h{}, v{};
};

CameraQuantization readQuantization(const Bytes& jpeg) {
  JpegDecompressor decoder;
  jpeg_mem_src(&decoder.info, jpeg.data(), static_cast<unsigned long>(jpeg.size()));
  jpeg_read_header(&decoder.info, TRUE);
  CameraQuantization q;
  for (int i = 0; i < NUM_QUANT_TBLS; ++i) {
    const JQUANT_TBL* table = decoder.info.quant_tbl_ptrs[i];
    if (table == nullptr) continue;
    q.present[static_cast<std::size_t>(i)] = true;
    std::copy(table->quantval, table->quantval + DCTSIZE2, q.tables[static_cast<std::size_t>(i)].begin());
  }
  q.components = decoder.info.num_components;
  for (int c = 0; c < q.components && c < MAX_COMPONENTS; ++c) {
    const jpeg_component_info& component = decoder.info.comp_info[c];
    q.table[static_cast<std::size_t>(c)] = component.quant_tbl_no;
    q.h[static_cast<std::size_t>(c)] = component.h_samp_factor;
    q.v[static_cast<std::size_t>(c)] = component.v_samp_factor;
  }
  return q;
}

// The IJG quality (1-100) whose scaled standard luminance table is nearest the camera's table
// 0: how the re-encode is described to a reader (cameras use their own tables, so "about").
int estimatedQuality(const CameraQuantization& q) {
  if (!q.present[0]) return 0;
  jpeg_compress_struct scratch{};
  jpeg_error_mgr errors{};
  scratch.err = jpeg_std_error(&errors);
  jpeg_create_compress(&scratch);
  scratch.in_color_space = JCS_GRAYSCALE;
  scratch.input_components = 1;
  jpeg_set_defaults(&scratch);
  int best = 0;
  double bestDistance = 0;
  for (int quality = 1; quality <= 100; ++quality) {
    jpeg_set_quality(&scratch, quality, TRUE);
    double distance = 0;
    for (int k = 0; k < DCTSIZE2; ++k) {
      const double d = static_cast<double>(scratch.quant_tbl_ptrs[0]->quantval[k]) - q.tables[0][static_cast<std::size_t>(k)];
      distance += d * d;
    }
    if (best == 0 || distance < bestDistance) {
      best = quality;
      bestDistance = distance;
    }
  }
  jpeg_destroy_compress(&scratch);
  return best;
}

// Pixels to baseline JPEG quantized with the camera's own tables and sampling (turned with
// the picture when the turn swaps rows and columns), Huffman tables fitted to the picture,
// and what TurboJPEG 2.1 cannot ask for: a restart marker at the start of every MCU row.
Bytes encodeWithRowRestarts(const cv::Mat& pixels, const CameraQuantization& camera, bool transposed) {
  const bool gray = pixels.channels() == 1;
  if (camera.components != pixels.channels()) throw CaptureError("the JPEG's components do not match its pixels");
  Bytes out;
  JpegCompressor encoder(out, pixels.total() * pixels.elemSize() / 4);
  jpeg_compress_struct& info = encoder.info;
  info.image_width = static_cast<JDIMENSION>(pixels.cols);
  info.image_height = static_cast<JDIMENSION>(pixels.rows);
  info.input_components = pixels.channels();
  info.in_color_space = gray ? JCS_GRAYSCALE : JCS_EXT_BGR;
  jpeg_set_defaults(&info);  // YCbCr for colour input
  for (int i = 0; i < NUM_QUANT_TBLS; ++i) {
    if (camera.present[static_cast<std::size_t>(i)]) {
      jpeg_add_quant_table(&info, i, camera.tables[static_cast<std::size_t>(i)].data(), 100, TRUE);
    }
  }
  for (int c = 0; c < camera.components; ++c) {
    const auto k = static_cast<std::size_t>(c);
    if (!camera.present[static_cast<std::size_t>(camera.table[k])]) throw CaptureError("the JPEG lacks a quantization table");
    info.comp_info[c].quant_tbl_no = camera.table[k];
    info.comp_info[c].h_samp_factor = transposed ? camera.v[k] : camera.h[k];
    info.comp_info[c].v_samp_factor = transposed ? camera.h[k] : camera.v[k];
  }
  info.optimize_coding = TRUE;
  info.dct_method = JDCT_ISLOW;
  info.write_JFIF_header = FALSE;  // stored in DICOM: no application segments
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

const char* const kRowRestarts = "restart markers every MCU row";

}  // namespace

bool recodesLosslessly(const JpegInfo& info) {
  const int orientation = info.exif.orientation;
  if (orientation == 1 && restartsEveryMcuRow(info)) return false;
  return info.precision == 8 && isPerfectTransform(info, orientation);
}

OrientedJpeg orientJpeg(const Bytes& jpeg, const JpegInfo& info, JpegCoefficients* decoded) {
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
  const CameraQuantization camera = readQuantization(jpeg);
  const cv::Mat upright = orientPixels(decodeJpegPixels(jpeg, info), orientation);
  result.jpeg = encodeWithRowRestarts(upright, camera, orientation >= 5);
  result.method = OrientationMethod::Reencoded;
  result.description = turn + " by decoding and re-encoding with the camera's own quantization tables (about JPEG quality " +
                       std::to_string(estimatedQuality(camera)) + ") and " + kRowRestarts + " (image " +
                       std::to_string(info.width) + "x" + std::to_string(info.height) + " is not a multiple of the " +
                       std::to_string(info.mcuWidth) + "x" + std::to_string(info.mcuHeight) +
                       " JPEG block, a lossless turn would cut its edges)";
  return result;
}

}  // namespace relais::capture
