#pragma once
// An APP1 EXIF segment as a phone camera writes one (Make, Model, Orientation, optionally
// DateTime, and a GPS latitude): inputs for the sample studies and the capture benchmark, so
// that orientation is applied and GPS stripped on realistic files.
#include <string>
#include <vector>

namespace relais::capture::samples {

struct CameraExif {
  std::string make = "SampleCo";   // at most 7 characters (stored in 8 with the terminator)
  std::string model = "Phone-12";  // at most 8 characters
  int orientation = 1;             // EXIF orientation, 1..8
  std::string dateTime;            // "YYYY:MM:DD HH:MM:SS", or empty for none
  unsigned latitude[6] = {14, 1, 26, 1, 3100, 100};  // degrees, minutes, seconds as rationals
};

// The whole segment, marker (FF E1) and length included.
std::vector<unsigned char> CameraExifSegment(const CameraExif& exif);

}  // namespace relais::capture::samples
