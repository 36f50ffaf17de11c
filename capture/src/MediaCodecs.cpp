#include "relais/capture/MediaCodecs.h"

#include <dlfcn.h>
#include <unistd.h>

#include <filesystem>
#include <mutex>

#include "relais/capture/CaptureError.h"

#ifndef RELAIS_CAPTURE_MEDIA_PATH
#define RELAIS_CAPTURE_MEDIA_PATH ""
#endif

namespace relais::capture {
namespace {

using DecodeFunction = int (*)(const unsigned char*, std::size_t, cv::Mat*, char*, std::size_t);
using VideoFunction = int (*)(const char*, int, std::vector<cv::Mat>*, double*, char*, std::size_t);

struct MediaModule {
  DecodeFunction decode = nullptr;
  VideoFunction readVideo = nullptr;
  std::string error;
};

const MediaModule& module() {
  static MediaModule loaded;
  static std::once_flag once;
  std::call_once(once, [] {
    constexpr const char* kName = "librelais_capture_media.so";
    std::vector<std::string> candidates;
    if (const char* env = std::getenv("RELAIS_CAPTURE_MEDIA"); env && *env) candidates.emplace_back(env);
    std::error_code ignored;
    const auto self = std::filesystem::read_symlink("/proc/self/exe", ignored);
    if (!self.empty()) candidates.push_back((self.parent_path() / kName).string());
    if (*RELAIS_CAPTURE_MEDIA_PATH) candidates.emplace_back(RELAIS_CAPTURE_MEDIA_PATH);
    for (const auto& candidate : candidates) {
      if (!std::filesystem::exists(candidate, ignored)) continue;
      void* handle = dlopen(candidate.c_str(), RTLD_NOW | RTLD_LOCAL);
      if (!handle) {
        loaded.error = dlerror();
        continue;
      }
      loaded.decode = reinterpret_cast<DecodeFunction>(dlsym(handle, "relais_media_decode"));
      loaded.readVideo = reinterpret_cast<VideoFunction>(dlsym(handle, "relais_media_read_video"));
      if (loaded.decode && loaded.readVideo) return;
      loaded.error = candidate + " lacks the relais_media functions";
    }
    if (loaded.error.empty()) loaded.error = std::string(kName) + " not found (set RELAIS_CAPTURE_MEDIA)";
  });
  if (!loaded.decode) throw CaptureError("PNG, TIFF, BMP and video support is not available: " + loaded.error);
  return loaded;
}

}  // namespace

cv::Mat decodeWithOpenCv(const Bytes& bytes) {
  cv::Mat image;
  char error[256] = {0};
  if (module().decode(bytes.data(), bytes.size(), &image, error, sizeof error) != 0) throw CaptureError(error);
  return image;
}

std::vector<cv::Mat> readVideoFrames(const std::string& path, int maxFrames, double& fps) {
  std::vector<cv::Mat> frames;
  char error[256] = {0};
  fps = 0;
  if (module().readVideo(path.c_str(), maxFrames, &frames, &fps, error, sizeof error) != 0) throw CaptureError(error);
  return frames;
}

}  // namespace relais::capture
