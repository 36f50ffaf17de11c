#include "DctTransform.h"

// jpeglib.h needs size_t and FILE declared first.
#include <cstdio>
#include <cstring>
#include <jpeglib.h>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

#include <algorithm>
#include <array>
#include <string>
#include <vector>

#include "relais/capture/CaptureError.h"

namespace relais::capture {
namespace {

// libjpeg reports errors through a callback that must not return; throwing from it unwinds
// through libjpeg's frames (built with unwind tables on Debian), and the RAII owners below
// release its memory. Warnings (corrupt data libjpeg would paper over) are errors here, as for
// the quality gate's decode (TJFLAG_STOPONWARNING).
[[noreturn]] void throwJpegError(j_common_ptr cinfo) {
  char message[JMSG_LENGTH_MAX];
  (*cinfo->err->format_message)(cinfo, message);
  throw CaptureError(std::string("the JPEG image data are damaged: ") + message);
}

void onMessage(j_common_ptr cinfo, int level) {
  if (level < 0) throwJpegError(cinfo);
}

struct Decompressor {
  jpeg_decompress_struct info{};
  jpeg_error_mgr errors{};
  Decompressor() {
    info.err = jpeg_std_error(&errors);
    errors.error_exit = throwJpegError;
    errors.emit_message = onMessage;
    jpeg_create_decompress(&info);
  }
  ~Decompressor() { jpeg_destroy_decompress(&info); }
  Decompressor(const Decompressor&) = delete;
  Decompressor& operator=(const Decompressor&) = delete;
};

// Writes the compressed stream into a byte vector sized from the input, so a photo's new JPEG
// is not grown and copied from libjpeg's 4 KiB start the way jpeg_mem_dest does.
struct VectorDestination {
  jpeg_destination_mgr manager{};
  Bytes* out = nullptr;

  static void init(j_compress_ptr) {}
  static boolean grow(j_compress_ptr cinfo) {
    auto* self = reinterpret_cast<VectorDestination*>(cinfo->dest);
    const std::size_t used = self->out->size();
    self->out->resize(used * 2);
    self->manager.next_output_byte = self->out->data() + used;
    self->manager.free_in_buffer = used;
    return TRUE;
  }
  static void term(j_compress_ptr cinfo) {
    auto* self = reinterpret_cast<VectorDestination*>(cinfo->dest);
    self->out->resize(self->out->size() - self->manager.free_in_buffer);
  }
};

struct Compressor {
  jpeg_compress_struct info{};
  jpeg_error_mgr errors{};
  VectorDestination destination;
  Compressor(Bytes& out, std::size_t expectedSize) {
    info.err = jpeg_std_error(&errors);
    errors.error_exit = throwJpegError;
    errors.emit_message = onMessage;
    jpeg_create_compress(&info);
    out.resize(std::max<std::size_t>(expectedSize, 64 * 1024));
    destination.out = &out;
    destination.manager.next_output_byte = out.data();
    destination.manager.free_in_buffer = out.size();
    destination.manager.init_destination = VectorDestination::init;
    destination.manager.empty_output_buffer = VectorDestination::grow;
    destination.manager.term_destination = VectorDestination::term;
    info.dest = &destination.manager;
  }
  ~Compressor() { jpeg_destroy_compress(&info); }
  Compressor(const Compressor&) = delete;
  Compressor& operator=(const Compressor&) = delete;
};

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

Bytes transformJpegLossless(const Bytes& jpeg, int orientation) {
  const BlockMapping m = mappingFor(orientation);
  Decompressor source;
  jpeg_mem_src(&source.info, jpeg.data(), static_cast<unsigned long>(jpeg.size()));
  jpeg_read_header(&source.info, TRUE);
  j_common_ptr common = reinterpret_cast<j_common_ptr>(&source.info);

  // Output arrays, requested before the coefficients are read so libjpeg allocates them with
  // the input's (a block array of the input turned, for transposing orientations).
  const int components = source.info.num_components;
  struct Plane {
    JDIMENSION width, height;  // input, in blocks, padded to whole MCUs
    jvirt_barray_ptr output = nullptr;
  };
  std::vector<Plane> planes(static_cast<std::size_t>(components));
  for (int c = 0; c < components; ++c) {
    const jpeg_component_info& comp = source.info.comp_info[c];
    const JDIMENSION wide = (source.info.image_width * comp.h_samp_factor + 8 * source.info.max_h_samp_factor - 1) /
                            (8 * source.info.max_h_samp_factor);
    const JDIMENSION high = (source.info.image_height * comp.v_samp_factor + 8 * source.info.max_v_samp_factor - 1) /
                            (8 * source.info.max_v_samp_factor);
    Plane& p = planes[static_cast<std::size_t>(c)];
    p.width = roundUp(wide, comp.h_samp_factor);
    p.height = roundUp(high, comp.v_samp_factor);
    if (orientation == 1) continue;  // re-coded as is: the input arrays are the output's
    p.output = (*source.info.mem->request_virt_barray)(
        common, JPOOL_IMAGE, FALSE, m.transposes ? p.height : p.width, m.transposes ? p.width : p.height,
        static_cast<JDIMENSION>(m.transposes ? comp.h_samp_factor : comp.v_samp_factor));
  }
  jvirt_barray_ptr* input = jpeg_read_coefficients(&source.info);
  std::vector<jvirt_barray_ptr> output(static_cast<std::size_t>(components));
  for (int c = 0; c < components; ++c) {
    output[static_cast<std::size_t>(c)] = orientation == 1 ? input[c] : planes[static_cast<std::size_t>(c)].output;
  }

  Bytes out;
  Compressor target(out, jpeg.size() + jpeg.size() / 8);
  jpeg_copy_critical_parameters(&source.info, &target.info);
  target.info.write_JFIF_header = FALSE;  // stored in DICOM: no application segments
  target.info.write_Adobe_marker = FALSE;
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
  jpeg_write_coefficients(&target.info, output.data());

  if (orientation != 1) {
    constexpr JDIMENSION kTile = 8;  // 8 x 8 blocks of 128 bytes: a tile's source rows stay cached
    for (int c = 0; c < components; ++c) {
      const Plane& p = planes[static_cast<std::size_t>(c)];
      const JDIMENSION outWidth = m.transposes ? p.height : p.width;
      const JDIMENSION outHeight = m.transposes ? p.width : p.height;
      const auto from = rowsOf(common, input[c], p.height, false);
      const auto to = rowsOf(common, output[static_cast<std::size_t>(c)], outHeight, true);
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
  jpeg_finish_decompress(&source.info);
  return out;
}

}  // namespace relais::capture
