#include "rendering/JpegRows.h"

#include <algorithm>
#include <cstdio>
#include <stdexcept>
#include <vector>

#include <jpeglib.h>

#include "rendering/LibjpegDecoding.h"

namespace relais::rendering {

namespace {

// No C++ object with a destructor lives in this frame: longjmp out of libjpeg lands here.
bool DecodeBandOrSayWhy(const std::string& jpeg, ScalingFactor factor, const std::vector<int>& starts, size_t band,
                        cv::Mat& out, const std::function<bool(size_t)>& readOn, LibjpegErrorJump& error) {
  jpeg_decompress_struct cinfo;
  cinfo.err = JumpOnLibjpegError(error);  // warnings (trailing bytes after EOI...) still give pixels
  if (setjmp(error.jump) != 0) {
    jpeg_destroy_decompress(&cinfo);
    return false;
  }
  jpeg_create_decompress(&cinfo);
  jpeg_mem_src(&cinfo, reinterpret_cast<const unsigned char*>(jpeg.data()), static_cast<unsigned long>(jpeg.size()));
  jpeg_read_header(&cinfo, TRUE);
  if (!StartRenderDecoding(cinfo, factor, out.type(), error)) {
    jpeg_destroy_decompress(&cinfo);
    return false;
  }
  if (static_cast<int>(cinfo.output_width) != out.cols || static_cast<int>(cinfo.output_height) != out.rows) {
    std::snprintf(error.message, sizeof(error.message), "scaled size %ux%u, expected %dx%d", cinfo.output_width,
                  cinfo.output_height, out.cols, out.rows);
    jpeg_destroy_decompress(&cinfo);
    return false;
  }
  if (starts[band] > 0) jpeg_skip_scanlines(&cinfo, static_cast<JDIMENSION>(starts[band]));
  for (size_t next = band + 1;; ++next) {
    const int end = next < starts.size() ? starts[next] : out.rows;
    while (static_cast<int>(cinfo.output_scanline) < end) {
      JSAMPROW row = out.ptr(static_cast<int>(cinfo.output_scanline));
      jpeg_read_scanlines(&cinfo, &row, 1);
    }
    if (next >= starts.size() || !readOn(next)) break;
  }
  jpeg_abort_decompress(&cinfo);  // the rows below, if any, are another band's
  jpeg_destroy_decompress(&cinfo);
  return true;
}

}  // namespace

void DecodeJpegBand(const std::string& jpeg, ScalingFactor factor, const std::vector<int>& starts, size_t band,
                    cv::Mat& out, const std::function<bool(size_t nextBand)>& readOn) {
  if (band >= starts.size() || starts.front() != 0 || !std::is_sorted(starts.begin(), starts.end()) ||
      starts.back() >= out.rows) {
    throw std::runtime_error("JPEG bands out of range");
  }
  LibjpegErrorJump error{};
  if (!DecodeBandOrSayWhy(jpeg, factor, starts, band, out, readOn, error)) {
    throw std::runtime_error(std::string("libjpeg: ") + error.message);
  }
}

std::vector<int> BalancedBandStarts(int rows, int bands, double skipCost, double fullCost, int step) {
  // Band i starts at r(i) and ends at r(i+1), costing r(i)·skip + (r(i+1) - r(i))·full; all
  // equal to t: r(i+1) = r(i)·(1 - skip/full) + t/full, linear in t, solved for r(bands) = rows.
  const double keep = 1.0 - skipCost / fullCost;
  double sum = 0, power = 1;
  for (int i = 0; i < bands; ++i, power *= keep) sum += power;
  const double share = rows / sum;  // t / full
  std::vector<int> starts{0};
  double r = 0;
  for (int i = 1; i < bands; ++i) {
    r = r * keep + share;
    const int start = static_cast<int>(r / step + 0.5) * step;
    if (start <= starts.back() || start >= rows) break;
    starts.push_back(start);
  }
  return starts;
}

}  // namespace relais::rendering
