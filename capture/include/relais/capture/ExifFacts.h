#pragma once
// The few EXIF facts Relais keeps from a camera JPEG, read from the APP1 "Exif" segment.
// Everything else in EXIF (GPS position above all, thumbnails, maker notes) is dropped with
// the segment itself; hadGps only records that a position was there so it can be reported.
#include <cstdint>
#include <string>

namespace relais::capture {

struct ExifFacts {
  int orientation = 1;          // EXIF/TIFF Orientation 1..8; 1 when absent or invalid
  std::string dateTimeOriginal; // "YYYY:MM:DD HH:MM:SS" as written by the camera, or empty
  std::string make;
  std::string model;
  std::string serialNumber;     // BodySerialNumber, or empty
  bool hadGps = false;
};

// Parses the TIFF structure that follows "Exif\0\0". Malformed or truncated EXIF is not an
// error (cameras write odd things): parsing stops and what was read so far is returned.
ExifFacts parseExif(const std::uint8_t* tiff, std::size_t size);

}  // namespace relais::capture
