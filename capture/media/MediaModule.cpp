// relais_capture_media: OpenCV's image and video readers behind a C interface, loaded with
// dlopen only when a capture needs them (PNG/TIFF/BMP pictures, ultrasound clips).
// imgcodecs and videoio pull in about 220 shared libraries (GDAL, FFmpeg, GStreamer...) whose
// loading costs more than half a second per process; a camera JPEG needs none of them.
#include <algorithm>
#include <cstring>
#include <opencv2/imgcodecs.hpp>
#include <opencv2/videoio.hpp>
#include <string>
#include <vector>

namespace {

void setError(char* error, std::size_t size, const std::string& text) {
  if (!error || size == 0) return;
  const std::size_t n = std::min(size - 1, text.size());
  std::memcpy(error, text.data(), n);
  error[n] = '\0';
}

}  // namespace

extern "C" {

// Decodes an encoded picture as stored (IMREAD_UNCHANGED: no EXIF rotation, depth kept).
// Returns 0 and fills *image, or -1 with a message.
int relais_media_decode(const unsigned char* data, std::size_t size, cv::Mat* image, char* error,
                        std::size_t errorSize) {
  try {
    const cv::Mat input(1, static_cast<int>(size), CV_8UC1, const_cast<unsigned char*>(data));
    *image = cv::imdecode(input, cv::IMREAD_UNCHANGED);
    if (image->empty()) {
      setError(error, errorSize, "the image cannot be decoded (corrupt or truncated file)");
      return -1;
    }
    return 0;
  } catch (const std::exception& e) {
    setError(error, errorSize, std::string("the image cannot be decoded: ") + e.what());
    return -1;
  }
}

// Reads every frame of a video file (at most maxFrames; -2 when there are more). *fps gets the
// container's frame rate (0 when unknown).
int relais_media_read_video(const char* path, int maxFrames, std::vector<cv::Mat>* frames, double* fps, char* error,
                            std::size_t errorSize) {
  try {
    cv::VideoCapture video(path);
    if (!video.isOpened()) {
      setError(error, errorSize, "cannot read the video (unknown or corrupt format)");
      return -1;
    }
    *fps = video.get(cv::CAP_PROP_FPS);
    for (cv::Mat frame; video.read(frame);) {
      if (frame.empty()) break;
      if (static_cast<int>(frames->size()) >= maxFrames) {
        setError(error, errorSize, "the clip has more than " + std::to_string(maxFrames) + " frames");
        return -2;
      }
      frames->push_back(frame.clone());
    }
    return 0;
  } catch (const std::exception& e) {
    setError(error, errorSize, std::string("cannot read the video: ") + e.what());
    return -1;
  }
}

}  // extern "C"
