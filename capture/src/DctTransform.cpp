#include "DctTransform.h"

#include <cstring>

#include "LibJpeg.h"

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

#include <algorithm>
#include <array>
#include <stdexcept>
#include <string>
#include <vector>

#include "relais/capture/CaptureError.h"

namespace relais::capture {
namespace {

// One EXIF orientation as a DCT-domain operation. Block (x, y) of the output comes from block
// (sourceX, sourceY) of the input, where the input's padded size is w x h blocks; coefficient
// i of an output block is sign[i] * coefficient index[i] of the input block.
struct BlockMapping {
  bool transposes = false;
  bool mirrorsSourceX = false;
  bool mirrorsSourceY = false;
  std::array<int, DCTSIZE2> index{};
  std::array<JCOEF, DCTSIZE2> sign{};
  std::array<JCOEF, DCTSIZE2> negate{};  // -1 (all bits) where sign is -1: x' = (x ^ n) - n
};

BlockMapping mappingFor(int orientation) {
  BlockMapping m;
  m.transposes = orientation >= 5;
  // Which source axis is read backwards (EXIF 2: mirror, 3: 180, 4: flip, 5: transpose,
  // 6: 90 clockwise, 7: transverse, 8: 270).
  m.mirrorsSourceX = orientation == 2 || orientation == 3 || orientation == 7 || orientation == 8;
  m.mirrorsSourceY = orientation == 3 || orientation == 4 || orientation == 6 || orientation == 7;
  for (int k = 0; k < DCTSIZE; ++k) {      // output vertical frequency
    for (int l = 0; l < DCTSIZE; ++l) {    // output horizontal frequency
      const int i = k * DCTSIZE + l;
      m.index[i] = m.transposes ? l * DCTSIZE + k : i;
      // The output frequency along the axis that was the source's mirrored one changes sign
      // when odd: source X is the output's horizontal axis, or its vertical one if transposed.
      const int alongSourceX = m.transposes ? k : l;
      const int alongSourceY = m.transposes ? l : k;
      const bool negate = (m.mirrorsSourceX && alongSourceX % 2 == 1) != (m.mirrorsSourceY && alongSourceY % 2 == 1);
      m.sign[i] = negate ? -1 : 1;
      m.negate[i] = negate ? -1 : 0;
    }
  }
  return m;
}

// One block through the mapping: the 8x8 transposition and the sign changes in SSE2 registers
// (a few dozen instructions instead of 64 table-driven element moves).
inline void mapBlock(const JCOEF* in, JCOEF* out, const BlockMapping& m) {
#if defined(__SSE2__)
  static_assert(sizeof(JCOEF) == 2 && DCTSIZE == 8, "8x8 blocks of 16-bit coefficients");
  __m128i r[8];
  for (int k = 0; k < 8; ++k) r[k] = _mm_loadu_si128(reinterpret_cast<const __m128i*>(in + 8 * k));
  if (m.transposes) {
    const __m128i t0 = _mm_unpacklo_epi16(r[0], r[1]), t1 = _mm_unpackhi_epi16(r[0], r[1]);
    const __m128i t2 = _mm_unpacklo_epi16(r[2], r[3]), t3 = _mm_unpackhi_epi16(r[2], r[3]);
    const __m128i t4 = _mm_unpacklo_epi16(r[4], r[5]), t5 = _mm_unpackhi_epi16(r[4], r[5]);
    const __m128i t6 = _mm_unpacklo_epi16(r[6], r[7]), t7 = _mm_unpackhi_epi16(r[6], r[7]);
    const __m128i u0 = _mm_unpacklo_epi32(t0, t2), u1 = _mm_unpackhi_epi32(t0, t2);
    const __m128i u2 = _mm_unpacklo_epi32(t1, t3), u3 = _mm_unpackhi_epi32(t1, t3);
    const __m128i u4 = _mm_unpacklo_epi32(t4, t6), u5 = _mm_unpackhi_epi32(t4, t6);
    const __m128i u6 = _mm_unpacklo_epi32(t5, t7), u7 = _mm_unpackhi_epi32(t5, t7);
    r[0] = _mm_unpacklo_epi64(u0, u4); r[1] = _mm_unpackhi_epi64(u0, u4);
    r[2] = _mm_unpacklo_epi64(u1, u5); r[3] = _mm_unpackhi_epi64(u1, u5);
    r[4] = _mm_unpacklo_epi64(u2, u6); r[5] = _mm_unpackhi_epi64(u2, u6);
    r[6] = _mm_unpacklo_epi64(u3, u7); r[7] = _mm_unpackhi_epi64(u3, u7);
  }
  for (int k = 0; k < 8; ++k) {
    const __m128i n = _mm_loadu_si128(reinterpret_cast<const __m128i*>(m.negate.data() + 8 * k));
    _mm_storeu_si128(reinterpret_cast<__m128i*>(out + 8 * k), _mm_sub_epi16(_mm_xor_si128(r[k], n), n));
  }
#else
  for (int i = 0; i < DCTSIZE2; ++i) {
    out[i] = static_cast<JCOEF>(in[m.index[static_cast<std::size_t>(i)]] * m.sign[static_cast<std::size_t>(i)]);
  }
#endif
}

// Row pointers of a whole virtual block array. With libjpeg-turbo's memory manager every
// virtual array lives in memory (there is no backing store), so the rows stay where they are;
// writable rows must be fetched in order, which this does.
std::vector<JBLOCKROW> rowsOf(j_common_ptr cinfo, jvirt_barray_ptr array, JDIMENSION rows, bool writable) {
  std::vector<JBLOCKROW> out(rows);
  for (JDIMENSION r = 0; r < rows; ++r) {
    out[r] = (*cinfo->mem->access_virt_barray)(cinfo, array, r, 1, writable ? TRUE : FALSE)[0];
  }
  return out;
}

JDIMENSION roundUp(JDIMENSION value, int multiple) {
  const auto m = static_cast<JDIMENSION>(multiple);
  return (value + m - 1) / m * m;
}

}  // namespace

bool isPerfectTransform(const JpegInfo& info, int orientation) {
  const BlockMapping m = mappingFor(orientation);
  if (m.mirrorsSourceX && info.width % info.mcuWidth != 0) return false;
  if (m.mirrorsSourceY && info.height % info.mcuHeight != 0) return false;
  return true;
}

struct JpegCoefficients::Reader {
  JpegDecompressor source;
  jvirt_barray_ptr* arrays = nullptr;
  cv::Mat reduced;
};

JpegCoefficients::JpegCoefficients(const Bytes& jpeg, int scaleNum, int scaleDenom)
    : reader_(std::make_unique<Reader>()), size_(jpeg.size()) {
  jpeg_decompress_struct& info = reader_->source.info;
  jpeg_mem_src(&info, jpeg.data(), static_cast<unsigned long>(jpeg.size()));
  jpeg_read_header(&info, TRUE);
  if (scaleNum > 0) {
    // Buffered-image mode keeps the coefficients after the output pass, and
    // jpeg_read_coefficients then hands them out (libjpeg.txt, "Really raw data"). The output
    // is the JPEG's own colour space, not grayscale: for a grayscale output libjpeg would not
    // keep the chroma AC coefficients the turn needs. Its first channel (Y) is what
    // tjDecompress2 gives for TJPF_GRAY (a copy of Y); TJFLAG_FASTDCT is JDCT_IFAST.
    if (info.jpeg_color_space != JCS_YCbCr && info.jpeg_color_space != JCS_GRAYSCALE) {
      throw CaptureError("only YCbCr and grayscale JPEGs are re-coded in the DCT domain");
    }
    // At 1/8 libjpeg's decoder keeps only the DC coefficients (jdhuff.c: no AC needed for a
    // 1x1 output), which would ruin the turn.
    if (scaleNum * 8 <= scaleDenom) throw std::logic_error("JpegCoefficients: a 1/8 decode keeps no AC coefficients");
    info.buffered_image = TRUE;
    info.out_color_space = info.jpeg_color_space;
    info.do_fancy_upsampling = FALSE;  // only Y is kept: cheapest chroma upsampling
    info.scale_num = static_cast<unsigned int>(scaleNum);
    info.scale_denom = static_cast<unsigned int>(scaleDenom);
    info.dct_method = JDCT_IFAST;
    jpeg_start_decompress(&info);
    while (!jpeg_input_complete(&info)) {
      if (jpeg_consume_input(&info) == JPEG_SUSPENDED) throw CaptureError("the JPEG is truncated");
    }
    // The coefficients are all in (chroma too, for the re-code); the output pass needs only Y.
    // libjpeg's coefficient controller skips the inverse DCT of a component not needed
    // (jdcoefct.c decompress_data), which saves the chroma IDCTs (6x6 at 3/8: more work than
    // Y's 3x3), about 5 % of a batch's CPU time. The flag is libjpeg's own (private by its
    // header); with a library ignoring it, only the saving is lost: the chroma channels of the
    // output line, unused here, hold whatever the upsampler finds.
    for (int c = 1; c < info.num_components; ++c) info.comp_info[c].component_needed = FALSE;
    jpeg_start_output(&info, info.input_scan_number);
    const int channels = info.output_components;
    reader_->reduced = cv::Mat(static_cast<int>(info.output_height), static_cast<int>(info.output_width), CV_8UC1);
    std::vector<JSAMPLE> line(static_cast<std::size_t>(info.output_width) * static_cast<std::size_t>(channels));
    while (info.output_scanline < info.output_height) {
      const int y = static_cast<int>(info.output_scanline);
      JSAMPROW row = line.data();
      jpeg_read_scanlines(&info, &row, 1);
      JSAMPLE* gray = reader_->reduced.ptr<JSAMPLE>(y);
      for (JDIMENSION x = 0; x < info.output_width; ++x) gray[x] = line[static_cast<std::size_t>(x) * channels];
    }
    jpeg_finish_output(&info);
  }
  reader_->arrays = jpeg_read_coefficients(&info);
}

JpegCoefficients::~JpegCoefficients() = default;

const cv::Mat& JpegCoefficients::reducedGray() const { return reader_->reduced; }

Bytes JpegCoefficients::reoriented(int orientation) {
  const BlockMapping m = mappingFor(orientation);
  jpeg_decompress_struct& source = reader_->source.info;
  jvirt_barray_ptr* input = reader_->arrays;
  Bytes out;
  JpegCompressor target(out, size_ + size_ / 8);
  jpeg_copy_critical_parameters(&source, &target.info);
  target.info.write_JFIF_header = FALSE;  // stored in DICOM: no application segments
  target.info.write_Adobe_marker = FALSE;
  // A restart marker at the start of every MCU row: the hub decodes a large photo in row
  // bands on all its cores, each band starting at a marker, instead of one core reading the
  // entropy data from the top. Costs about 2 bytes a row; libjpeg counts the MCUs per scan.
  target.info.restart_in_rows = 1;

  // The blocks of the input (padded to whole MCUs, as libjpeg stores them) and, for a turn,
  // arrays of the compressor for the output (the input's turned, for transposing orientations).
  const int components = source.num_components;
  struct Plane {
    JDIMENSION width, height;
  };
  std::vector<Plane> planes(static_cast<std::size_t>(components));
  std::vector<jvirt_barray_ptr> output(static_cast<std::size_t>(components));
  j_common_ptr targetCommon = reinterpret_cast<j_common_ptr>(&target.info);
  for (int c = 0; c < components; ++c) {
    const jpeg_component_info& comp = source.comp_info[c];
    Plane& p = planes[static_cast<std::size_t>(c)];
    p.width = roundUp(comp.width_in_blocks, comp.h_samp_factor);
    p.height = roundUp(comp.height_in_blocks, comp.v_samp_factor);
    output[static_cast<std::size_t>(c)] =
        orientation == 1 ? input[c]  // re-coded as is: the input arrays are the output's
                         : (*target.info.mem->request_virt_barray)(
                               targetCommon, JPOOL_IMAGE, FALSE, m.transposes ? p.height : p.width,
                               m.transposes ? p.width : p.height,
                               static_cast<JDIMENSION>(m.transposes ? comp.h_samp_factor : comp.v_samp_factor));
  }
  if (m.transposes) {
    std::swap(target.info.image_width, target.info.image_height);
    for (int c = 0; c < components; ++c) {
      std::swap(target.info.comp_info[c].h_samp_factor, target.info.comp_info[c].v_samp_factor);
    }
    for (JQUANT_TBL* table : target.info.quant_tbl_ptrs) {
      if (table == nullptr) continue;
      std::array<UINT16, DCTSIZE2> turned{};
      for (int i = 0; i < DCTSIZE2; ++i) turned[static_cast<std::size_t>(i)] = table->quantval[m.index[static_cast<std::size_t>(i)]];
      std::copy(turned.begin(), turned.end(), table->quantval);
    }
  }
  jpeg_write_coefficients(&target.info, output.data());  // realizes the output arrays

  if (orientation != 1) {
    constexpr JDIMENSION kTile = 8;  // 8 x 8 blocks of 128 bytes: a tile's source rows stay cached
    j_common_ptr sourceCommon = reinterpret_cast<j_common_ptr>(&source);
    for (int c = 0; c < components; ++c) {
      const Plane& p = planes[static_cast<std::size_t>(c)];
      const JDIMENSION outWidth = m.transposes ? p.height : p.width;
      const JDIMENSION outHeight = m.transposes ? p.width : p.height;
      const auto from = rowsOf(sourceCommon, input[c], p.height, false);
      const auto to = rowsOf(targetCommon, output[static_cast<std::size_t>(c)], outHeight, true);
      for (JDIMENSION tileY = 0; tileY < outHeight; tileY += kTile) {
        for (JDIMENSION tileX = 0; tileX < outWidth; tileX += kTile) {
          for (JDIMENSION y = tileY; y < std::min(tileY + kTile, outHeight); ++y) {
            for (JDIMENSION x = tileX; x < std::min(tileX + kTile, outWidth); ++x) {
              JDIMENSION sourceX = m.transposes ? y : x;
              JDIMENSION sourceY = m.transposes ? x : y;
              if (m.mirrorsSourceX) sourceX = p.width - 1 - sourceX;
              if (m.mirrorsSourceY) sourceY = p.height - 1 - sourceY;
              mapBlock(from[sourceY][sourceX], to[y][x], m);
            }
          }
        }
      }
    }
  }
  jpeg_finish_compress(&target.info);
  return out;
}

Bytes transformJpegLossless(const Bytes& jpeg, int orientation) {
  return JpegCoefficients(jpeg, 0, 0).reoriented(orientation);
}

}  // namespace relais::capture
