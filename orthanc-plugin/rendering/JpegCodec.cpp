#include "rendering/JpegCodec.h"

#include <turbojpeg.h>

#include <memory>
#include <stdexcept>

namespace relais::rendering {

namespace {

struct TurboHandle {
  explicit TurboHandle(tjhandle h) : handle(h) {
    if (handle == nullptr) throw std::runtime_error("TurboJPEG: cannot create a handle");
  }
  ~TurboHandle() { tjDestroy(handle); }
  TurboHandle(const TurboHandle&) = delete;
  TurboHandle& operator=(const TurboHandle&) = delete;
  tjhandle handle;
};

[[noreturn]] void Fail(tjhandle handle, const char* what) {
  throw std::runtime_error(std::string("TurboJPEG: ") + what + ": " + tjGetErrorStr2(handle));
}

const unsigned char* Bytes(const std::string& s) { return reinterpret_cast<const unsigned char*>(s.data()); }

}  // namespace

JpegHeader ReadJpegHeader(const std::string& jpeg) {
  TurboHandle d(tjInitDecompress());
  int width = 0, height = 0, subsampling = 0, colorspace = 0;
  if (tjDecompressHeader3(d.handle, Bytes(jpeg), jpeg.size(), &width, &height, &subsampling, &colorspace) != 0) {
    Fail(d.handle, "not a readable JPEG");
  }
  return JpegHeader{PixelSize{width, height}, colorspace == TJCS_GRAY};
}

cv::Mat DecodeJpeg(const std::string& jpeg, ScalingFactor factor) {
  TurboHandle d(tjInitDecompress());
  int width = 0, height = 0, subsampling = 0, colorspace = 0;
  if (tjDecompressHeader3(d.handle, Bytes(jpeg), jpeg.size(), &width, &height, &subsampling, &colorspace) != 0) {
    Fail(d.handle, "not a readable JPEG");
  }
  const bool grey = colorspace == TJCS_GRAY;
  cv::Mat out(ScaledSide(height, factor), ScaledSide(width, factor), grey ? CV_8UC1 : CV_8UC3);
  // Fast DCT: the result is shrunk afterwards, where its small error disappears.
  if (tjDecompress2(d.handle, Bytes(jpeg), jpeg.size(), out.data, out.cols, static_cast<int>(out.step), out.rows,
                    grey ? TJPF_GRAY : TJPF_RGB, TJFLAG_FASTDCT) != 0) {
    // Warnings (e.g. trailing garbage after EOI, frequent in camera files) still give pixels.
    if (tjGetErrorCode(d.handle) != TJERR_WARNING) Fail(d.handle, "cannot decode");
  }
  return out;
}

std::string EncodeJpeg(const cv::Mat& image, int quality) {
  CV_Assert(image.depth() == CV_8U && (image.channels() == 1 || image.channels() == 3));
  cv::Mat continuous = image.isContinuous() ? image : image.clone();
  TurboHandle c(tjInitCompress());
  unsigned char* buffer = nullptr;
  unsigned long size = 0;
  const bool grey = continuous.channels() == 1;
  if (tjCompress2(c.handle, continuous.data, continuous.cols, static_cast<int>(continuous.step), continuous.rows,
                  grey ? TJPF_GRAY : TJPF_RGB, &buffer, &size, grey ? TJSAMP_GRAY : TJSAMP_420, quality,
                  TJFLAG_FASTDCT) != 0) {
    if (buffer != nullptr) tjFree(buffer);
    Fail(c.handle, "cannot encode");
  }
  std::unique_ptr<unsigned char, decltype(&tjFree)> owned(buffer, &tjFree);
  return std::string(reinterpret_cast<const char*>(buffer), size);
}

}  // namespace relais::rendering
