#include "rendering/JpegCodec.h"

#include <turbojpeg.h>

#include <atomic>
#include <memory>
#include <optional>
#include <stdexcept>
#include <vector>

#include "rendering/BandWorkers.h"
#include "rendering/JpegBands.h"
#include "rendering/JpegRestarts.h"
#include "rendering/JpegRows.h"
#include "rendering/ScratchPool.h"

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

// Below this, the band that skips ahead saves less than a millisecond.
constexpr long long kBandedDecodePixels = 4'000'000;
// With restart markers each band does only its own share: worth a helper's wake-up from about
// a megapixel at any scale (entropy decoding, most of a photo's decoding, is shared too).
constexpr long long kRestartBandedPixels = 1'000'000;

// The photo cut at its restart markers, one band per core; false if it has none to cut at.
bool DecodeAtRestarts(const std::string& jpeg, ScalingFactor factor, BandWorkers& workers, cv::Mat& out) {
  const std::optional<RestartLayout> layout = FindRestartLayout(jpeg);
  if (!layout) return false;
  const std::vector<int> starts = RestartBandStarts(*layout, static_cast<int>(workers.helpers()) + 1);
  if (starts.size() < 2) return false;
  workers.run(starts.size(), [&](size_t band) {
    const int end = band + 1 < starts.size() ? starts[band + 1] : layout->mcuRows;
    DecodeRestartBand(jpeg, *layout, factor, starts[band], end, out);
  });
  return true;
}

}  // namespace

JpegHeader ReadJpegHeader(const std::string& jpeg) {
  TurboHandle d(tjInitDecompress());
  int width = 0, height = 0, subsampling = 0, colorspace = 0;
  if (tjDecompressHeader3(d.handle, Bytes(jpeg), jpeg.size(), &width, &height, &subsampling, &colorspace) != 0) {
    Fail(d.handle, "not a readable JPEG");
  }
  return JpegHeader{PixelSize{width, height}, colorspace == TJCS_GRAY};
}

cv::Mat DecodeJpeg(const std::string& jpeg, ScalingFactor factor) { return DecodeJpeg(jpeg, factor, RenderBands()); }

cv::Mat DecodeJpeg(const std::string& jpeg, ScalingFactor factor, BandWorkers& workers) {
  TurboHandle d(tjInitDecompress());
  int width = 0, height = 0, subsampling = 0, colorspace = 0;
  if (tjDecompressHeader3(d.handle, Bytes(jpeg), jpeg.size(), &width, &height, &subsampling, &colorspace) != 0) {
    Fail(d.handle, "not a readable JPEG");
  }
  const bool grey = colorspace == TJCS_GRAY;
  cv::Mat out(ScaledSide(height, factor), ScaledSide(width, factor), grey ? CV_8UC1 : CV_8UC3);
  if (workers.helpers() > 0 && static_cast<long long>(width) * height >= kRestartBandedPixels) {
    try {
      if (DecodeAtRestarts(jpeg, factor, workers, out)) return out;
    } catch (const std::runtime_error&) {
      // Damaged somewhere: decoded whole below, which copes or names the problem.
    }
  }
  // Without restart markers, in bands where the work beside entropy decoding is worth sharing:
  // large photos at half scale or more. Entropy decoding is about 0.8 of a camera photo's
  // decoding at half scale, 0.7 at full scale (libjpeg-turbo 2.1, measured).
  if (workers.helpers() > 0 && factor.num * 2 >= factor.denom &&
      static_cast<long long>(width) * height >= kBandedDecodePixels) {
    const double entropyShare = factor.num >= factor.denom ? 0.7 : 0.8;
    const std::vector<int> starts =
        BalancedBandStarts(out.rows, static_cast<int>(workers.helpers()) + 1, entropyShare, 1.0, 16);
    if (starts.size() > 1) {
      try {
        // Each band is decoded once: by its own thread, or by the one above reading on into it.
        std::vector<std::atomic<bool>> taken(starts.size());
        workers.run(starts.size(), [&](size_t band) {
          if (taken[band].exchange(true)) return;
          DecodeJpegBand(jpeg, factor, starts, band, out,
                         [&taken](size_t next) { return !taken[next].exchange(true); });
        });
        return out;
      } catch (const std::runtime_error&) {
        // Whole, below: TurboJPEG copes or names the problem.
      }
    }
  }
  // Fast DCT: the result is shrunk afterwards, where its small error disappears.
  if (tjDecompress2(d.handle, Bytes(jpeg), jpeg.size(), out.data, out.cols, static_cast<int>(out.step), out.rows,
                    grey ? TJPF_GRAY : TJPF_RGB, TJFLAG_FASTDCT) != 0) {
    // Warnings (e.g. trailing garbage after EOI, frequent in camera files) still give pixels.
    if (tjGetErrorCode(d.handle) != TJERR_WARNING) Fail(d.handle, "cannot decode");
  }
  return out;
}

namespace {

std::string EncodeWhole(const cv::Mat& image, int quality) {
  TurboHandle c(tjInitCompress());
  const bool grey = image.channels() == 1;
  const int subsampling = grey ? TJSAMP_GRAY : TJSAMP_420;
  // Into reused memory of the worst-case size: TurboJPEG's own buffer was fresh memory every
  // time, and faulting it in took as long as the encoding (an 800x600 frame: 1.9 -> 1.1 ms).
  const unsigned long bound = tjBufSize(image.cols, image.rows, subsampling);
  const auto lease = RenderScratch().acquire(bound);
  unsigned char* buffer = lease.data();
  unsigned long size = bound;
  if (tjCompress2(c.handle, image.data, image.cols, static_cast<int>(image.step), image.rows,
                  grey ? TJPF_GRAY : TJPF_RGB, &buffer, &size, subsampling, quality,
                  TJFLAG_FASTDCT | TJFLAG_NOREALLOC) != 0) {
    Fail(c.handle, "cannot encode");
  }
  return std::string(reinterpret_cast<const char*>(buffer), size);
}

// Below this, waking a helper costs what its band saves. An 800x600 ultrasound frame's
// answer (640x480) still gains on the hub: 2.35 -> 1.8 ms cold over HTTP, the helper being
// awake from the resize just before; encoded alone in-process it would not.
constexpr size_t kBandedPixels = 128 * 1024;

}  // namespace

std::string EncodeJpeg(const cv::Mat& image, int quality) {
  return EncodeJpeg(image, quality, RenderBands());
}

std::string EncodeJpeg(const cv::Mat& image, int quality, BandWorkers& workers) {
  CV_Assert(image.depth() == CV_8U && (image.channels() == 1 || image.channels() == 3));
  if (image.total() >= kBandedPixels && workers.helpers() > 0) {
    const BandLayout layout =
        LayOutBands(image.rows, image.cols, image.channels() == 1 ? 8 : 16, static_cast<int>(workers.helpers()) + 1);
    if (layout.bands > 1) {
      std::vector<std::string> bands(static_cast<size_t>(layout.bands));
      workers.run(bands.size(), [&](size_t i) {
        const int top = static_cast<int>(i) * layout.bandRows;
        bands[i] = EncodeWhole(image.rowRange(top, std::min(image.rows, top + layout.bandRows)), quality);
      });
      if (auto joined = JoinJpegBands(bands, image.rows, layout.restartInterval)) return std::move(*joined);
    }
  }
  return EncodeWhole(image, quality);
}

}  // namespace relais::rendering
