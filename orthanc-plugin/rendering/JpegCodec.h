#pragma once
// libjpeg-turbo (TurboJPEG API) behind two calls. Decoding may shrink by 1/2, 1/4 or 1/8
// inside the decoder (DCT scaling), which is how a 12-megapixel photo becomes a screen-sized
// image without ever being decoded at full size.
#include <string>

#include <opencv2/core.hpp>

#include "rendering/BandWorkers.h"
#include "rendering/RenderGeometry.h"

namespace relais::rendering {

struct JpegHeader {
  PixelSize size;
  bool grey = false;  // one component: decode to one channel
};

// Throws std::runtime_error naming TurboJPEG's complaint when the bytes are not a JPEG.
JpegHeader ReadJpegHeader(const std::string& jpeg);

// Decodes to CV_8UC1 (grey JPEG) or CV_8UC3 in RGB order, scaled by `factor`.
// A large photo is decoded in bands: cut at its restart markers if it has them, at any scale
// (rendering/JpegRestarts.h), otherwise at half scale or more (rendering/JpegRows.h).
cv::Mat DecodeJpeg(const std::string& jpeg, ScalingFactor factor);
cv::Mat DecodeJpeg(const std::string& jpeg, ScalingFactor factor, BandWorkers& workers);

// Encodes CV_8UC1 or CV_8UC3 (RGB order); colour uses 4:2:0 chroma subsampling. A large
// image is encoded in bands on the shared render workers (rendering/JpegBands.h).
std::string EncodeJpeg(const cv::Mat& image, int quality);
std::string EncodeJpeg(const cv::Mat& image, int quality, BandWorkers& workers);

}  // namespace relais::rendering
