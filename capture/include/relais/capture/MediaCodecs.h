#pragma once
// Access to OpenCV's image and video readers, which live in a module (relais_capture_media)
// loaded on first use so that converting camera JPEGs never pays for loading them. The module
// is looked up in $RELAIS_CAPTURE_MEDIA, beside the running executable, then in the build tree.
#include <opencv2/core.hpp>
#include <string>
#include <vector>

#include "relais/capture/JpegStream.h"

namespace relais::capture {

// cv::imdecode(IMREAD_UNCHANGED); throws CaptureError when it cannot decode.
cv::Mat decodeWithOpenCv(const Bytes& bytes);

// Every frame of a video file; fps is 0 when the container does not say. Throws CaptureError.
std::vector<cv::Mat> readVideoFrames(const std::string& path, int maxFrames, double& fps);

}  // namespace relais::capture
