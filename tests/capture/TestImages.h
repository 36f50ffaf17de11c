#pragma once
// Test inputs made on the spot: an asymmetric colour pattern whose four quadrants tell every
// one of the eight EXIF orientations apart, JPEGs encoded with TurboJPEG, and EXIF APP1
// segments (orientation, camera, date, GPS) written byte by byte.
#include <opencv2/core.hpp>
#include <string>

#include "relais/capture/JpegStream.h"

namespace relais::capture::test {

// Quadrant colours (BGR) of the upright pattern: top-left, top-right, bottom-left, bottom-right.
extern const cv::Vec3b kQuadrantColours[4];

// Upright pattern: four coloured quadrants with a fine checker texture (sharp, mid-exposure).
cv::Mat uprightPattern(int width, int height);

// The picture a camera held in orientation `orientation` stores, so that applying that EXIF
// orientation gives back `upright`.
cv::Mat storedForOrientation(const cv::Mat& upright, int orientation);

// BGR image -> baseline YCbCr 4:2:0 JPEG.
Bytes encodeJpeg(const cv::Mat& bgr, int quality = 92);
// BGR image -> baseline JPEG coded in RGB (no colour transform, Adobe APP14 transform 0).
Bytes encodeRgbJpeg(const cv::Mat& bgr, int quality = 92);

struct ExifSpec {
  int orientation = 1;
  std::string make = "TestCam";
  std::string model = "TC-1";
  std::string dateTimeOriginal = "2026:11:20 14:35:07";
  bool gps = false;
};
// The distinctive GPS latitude bytes the segment carries, to look for in the output.
Bytes gpsLatitudeBlob();
Bytes exifSegment(const ExifSpec& spec);
Bytes withSegmentAfterSoi(const Bytes& jpeg, const Bytes& segment);

// 0..1 agreement of a decoded image with the upright pattern: the share of the four quadrant
// centres whose mean colour is within tolerance.
bool looksUpright(const cv::Mat& decodedBgr, const cv::Mat& upright, std::string* why = nullptr);

void writeFile(const std::string& path, const Bytes& bytes);

}  // namespace relais::capture::test
