#pragma once
// Recognises an input image by its first bytes (never by its extension: phones and PACS
// exports lie about those) and checks the size it announces before anything decodes it.
#include <opencv2/core.hpp>
#include <string>

#include "relais/capture/JpegStream.h"

namespace relais::capture {

enum class ImageFormat { Jpeg, Png, Tiff, Bmp, Unknown };

// Throws CaptureError for an empty input; returns Unknown for anything unrecognised.
ImageFormat detectImageFormat(const Bytes& bytes);

// Decodes a PNG, TIFF or BMP as stored (no EXIF rotation, depth and channels kept), after
// checking the announced dimensions. Throws CaptureError when it cannot be decoded.
cv::Mat decodeRaster(const Bytes& bytes, ImageFormat format);

// Throws CaptureError("absurd image dimensions ...") outside 1..kMaxDimension / kMaxPixels.
void checkDimensions(long long width, long long height);

}  // namespace relais::capture
