#include "rendering/JpegRestarts.h"

#include <algorithm>
#include <cstdio>
#include <cstring>
#include <numeric>
#include <stdexcept>

#include <jpeglib.h>

#include "rendering/LibjpegDecoding.h"
#include "rendering/ScratchPool.h"

namespace relais::rendering {

namespace {

int BigEndian16(const unsigned char* p) { return (p[0] << 8) | p[1]; }

bool IsRestart(unsigned char code) { return code >= 0xD0 && code <= 0xD7; }

// Start-of-frame codes this decoder cannot enter at a marker: progressive, lossless,
// hierarchical and arithmetic-coded frames.
bool IsOtherFrame(unsigned char code) {
  return (code >= 0xC2 && code <= 0xCF) && code != 0xC4 && code != 0xC8 && code != 0xCC;
}

struct Frame {
  int width = 0, height = 0, components = 0, maxH = 1, maxV = 1;
  size_t heightOffset = 0;
};

// Reads the headers up to the scan. Returns the first entropy byte, or 0 if this is not a
// JPEG this decoder can cut.
size_t ReadHeaders(const unsigned char* p, size_t n, Frame& frame, int& interval) {
  if (n < 4 || p[0] != 0xFF || p[1] != 0xD8) return 0;
  size_t pos = 2;
  bool haveFrame = false;
  while (pos + 4 <= n) {
    if (p[pos] != 0xFF) return 0;
    while (pos < n && p[pos] == 0xFF) ++pos;  // fill bytes
    if (pos + 3 > n) return 0;
    const unsigned char code = p[pos++];
    if (IsRestart(code) || code == 0x01) continue;  // no length
    if (code == 0xD9) return 0;
    const size_t length = static_cast<size_t>(BigEndian16(p + pos));
    if (length < 2 || pos + length > n) return 0;
    const unsigned char* body = p + pos + 2;
    if (code == 0xC0 || code == 0xC1) {
      if (length < 8 || body[0] != 8) return 0;
      frame.heightOffset = pos + 3;
      frame.height = BigEndian16(body + 1);
      frame.width = BigEndian16(body + 3);
      frame.components = body[5];
      if (frame.components < 1 || length < 8 + 3u * static_cast<size_t>(frame.components)) return 0;
      for (int c = 0; c < frame.components; ++c) {
        const int sampling = body[6 + 3 * c + 1];
        frame.maxH = std::max(frame.maxH, sampling >> 4);
        frame.maxV = std::max(frame.maxV, sampling & 15);
      }
      haveFrame = true;
    } else if (IsOtherFrame(code)) {
      return 0;
    } else if (code == 0xDD) {
      if (length < 4) return 0;
      interval = BigEndian16(body);
    } else if (code == 0xDA) {
      // One interleaved scan of every component; a grey image's single component likewise.
      if (!haveFrame || length < 3 || body[0] != frame.components) return 0;
      return pos + length;
    }
    pos += length;
  }
  return 0;
}

// No C++ object with a destructor lives in this frame: longjmp out of libjpeg lands here.
bool DecodeOrSayWhy(const unsigned char* band, size_t size, ScalingFactor factor, int outTop, int keepFrom,
                    int keepTo, cv::Mat& out, unsigned char* discard, LibjpegErrorJump& error) {
  jpeg_decompress_struct cinfo;
  cinfo.err = JumpOnLibjpegError(error);
  if (setjmp(error.jump) != 0) {
    jpeg_destroy_decompress(&cinfo);
    return false;
  }
  jpeg_create_decompress(&cinfo);
  jpeg_mem_src(&cinfo, band, static_cast<unsigned long>(size));
  jpeg_read_header(&cinfo, TRUE);
  if (!StartRenderDecoding(cinfo, factor, out.type(), error)) {
    jpeg_destroy_decompress(&cinfo);
    return false;
  }
  if (static_cast<int>(cinfo.output_width) != out.cols || outTop + static_cast<int>(cinfo.output_height) < keepTo) {
    std::snprintf(error.message, sizeof(error.message), "band decodes to %ux%u, expected %d columns and %d rows",
                  cinfo.output_width, cinfo.output_height, out.cols, keepTo - outTop);
    jpeg_destroy_decompress(&cinfo);
    return false;
  }
  while (outTop + static_cast<int>(cinfo.output_scanline) < keepTo) {
    const int row = outTop + static_cast<int>(cinfo.output_scanline);
    JSAMPROW target = row < keepFrom ? discard : out.ptr(row);
    jpeg_read_scanlines(&cinfo, &target, 1);
  }
  if (cinfo.err->num_warnings > 0) {
    // Damaged data that a whole decoding would get past with a warning: leave it that one.
    std::snprintf(error.message, sizeof(error.message), "damaged data in the band");
    jpeg_destroy_decompress(&cinfo);
    return false;
  }
  jpeg_abort_decompress(&cinfo);  // the overlap rows below are the next band's
  jpeg_destroy_decompress(&cinfo);
  return true;
}

}  // namespace

std::optional<RestartLayout> FindRestartLayout(const std::string& jpeg) {
  const auto* p = reinterpret_cast<const unsigned char*>(jpeg.data());
  const size_t n = jpeg.size();
  Frame frame;
  int interval = 0;
  const size_t entropyStart = ReadHeaders(p, n, frame, interval);
  if (entropyStart == 0 || interval == 0 || frame.width == 0 || frame.height == 0) return std::nullopt;

  RestartLayout layout;
  layout.width = frame.width;
  layout.height = frame.height;
  // A single-component scan is not interleaved: its MCU is one block, whatever the sampling.
  layout.mcuWidth = frame.components == 1 ? 8 : 8 * frame.maxH;
  layout.mcuHeight = frame.components == 1 ? 8 : 8 * frame.maxV;
  layout.mcuColumns = (frame.width + layout.mcuWidth - 1) / layout.mcuWidth;
  layout.mcuRows = (frame.height + layout.mcuHeight - 1) / layout.mcuHeight;
  layout.interval = interval;
  layout.entryStep = interval / std::gcd(interval, layout.mcuColumns);
  layout.frameHeightOffset = frame.heightOffset;
  layout.entropyStart = entropyStart;
  layout.entropyEnd = n;

  const long long mcus = static_cast<long long>(layout.mcuColumns) * layout.mcuRows;
  const long long segments = (mcus + interval - 1) / interval;
  layout.segmentStarts.reserve(static_cast<size_t>(segments));
  layout.segmentStarts.push_back(entropyStart);
  // In entropy-coded data 0xFF is followed by 0x00 (a stuffed data byte), more 0xFF (fill)
  // or a marker: a restart marker, numbered 0 to 7 in turn, or the end of the scan.
  size_t pos = entropyStart;
  while (pos + 1 < n) {
    const void* found = std::memchr(p + pos, 0xFF, n - pos - 1);
    if (found == nullptr) break;
    const size_t at = static_cast<size_t>(static_cast<const unsigned char*>(found) - p);
    const unsigned char code = p[at + 1];
    if (code == 0x00 || code == 0xFF) {
      pos = at + 1 + (code == 0x00);
      continue;
    }
    if (!IsRestart(code)) {
      layout.entropyEnd = at;
      break;
    }
    if (code - 0xD0 != static_cast<int>((layout.segmentStarts.size() - 1) % 8)) return std::nullopt;
    layout.segmentStarts.push_back(at + 2);
    pos = at + 2;
  }
  if (static_cast<long long>(layout.segmentStarts.size()) != segments) return std::nullopt;
  return layout;
}

std::vector<int> RestartBandStarts(const RestartLayout& layout, int bands) {
  std::vector<int> starts{0};
  // Each band decodes one entry step beyond each edge and drops it: worth it while that is a
  // small part of the band.
  if (bands < 2 || layout.entryStep * 8 * bands > layout.mcuRows) return starts;
  for (int i = 1; i < bands; ++i) {
    const double ideal = static_cast<double>(layout.mcuRows) * i / bands;
    const int start = static_cast<int>(ideal / layout.entryStep + 0.5) * layout.entryStep;
    if (start > starts.back() && start < layout.mcuRows) starts.push_back(start);
  }
  return starts;
}

void DecodeRestartBand(const std::string& jpeg, const RestartLayout& layout, ScalingFactor factor, int firstRow,
                       int endRow, cv::Mat& out) {
  const int step = layout.entryStep;
  if (firstRow < 0 || endRow > layout.mcuRows || firstRow >= endRow || firstRow % step != 0 ||
      (endRow != layout.mcuRows && endRow % step != 0)) {
    throw std::runtime_error("JPEG restart band out of range");
  }
  // The rows decoded: one entry step beyond each edge, for the chroma upsampling's context.
  const int decodeFrom = std::max(0, firstRow - step);
  const int decodeTo = std::min(layout.mcuRows, endRow + step);
  const auto segmentOf = [&](int row) {
    return static_cast<size_t>(static_cast<long long>(row) * layout.mcuColumns / layout.interval);
  };
  const size_t firstSegment = segmentOf(decodeFrom);
  const size_t endSegment = decodeTo == layout.mcuRows ? layout.segmentStarts.size() : segmentOf(decodeTo);
  const size_t dataBegin = layout.segmentStarts[firstSegment];
  // Up to the marker that starts the first segment left out (its two bytes excluded).
  const size_t dataEnd =
      endSegment < layout.segmentStarts.size() ? layout.segmentStarts[endSegment] - 2 : layout.entropyEnd;

  // The band as a JPEG of its own: the headers, the band's data, EOI; in reused memory (a
  // fresh megabyte is faulted in page by page).
  const size_t headers = layout.entropyStart, data = dataEnd - dataBegin, size = headers + data + 2;
  const auto lease = RenderScratch().acquire(size);
  unsigned char* band = lease.data();
  std::memcpy(band, jpeg.data(), headers);
  std::memcpy(band + headers, jpeg.data() + dataBegin, data);
  band[size - 2] = 0xFF;
  band[size - 1] = 0xD9;
  const int bandHeight = decodeTo == layout.mcuRows ? layout.height - decodeFrom * layout.mcuHeight
                                                    : (decodeTo - decodeFrom) * layout.mcuHeight;
  band[layout.frameHeightOffset] = static_cast<unsigned char>(bandHeight >> 8);
  band[layout.frameHeightOffset + 1] = static_cast<unsigned char>(bandHeight & 0xFF);
  // The decoder expects RST0 first, then 1, 2 ... 7, 0 ...
  for (size_t k = firstSegment + 1; k < endSegment; ++k) {
    const size_t code = headers + (layout.segmentStarts[k] - 1 - dataBegin);
    band[code] = static_cast<unsigned char>(0xD0 + (k - firstSegment - 1) % 8);
  }

  const auto scaled = [&](int mcuRow) { return mcuRow * layout.mcuHeight * factor.num / factor.denom; };
  const int keepTo = endRow == layout.mcuRows ? out.rows : scaled(endRow);
  std::vector<unsigned char> discard(out.step);
  LibjpegErrorJump error{};
  if (!DecodeOrSayWhy(band, size, factor, scaled(decodeFrom), scaled(firstRow), keepTo, out, discard.data(), error)) {
    throw std::runtime_error(std::string("libjpeg: ") + error.message);
  }
}

}  // namespace relais::rendering
