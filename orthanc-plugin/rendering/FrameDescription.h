#pragma once
// What the DICOM attributes of an instance say about its frames, read from Orthanc's
// "short" tag JSON ({"0028,0010": "512", ...}): layout of the stored pixels, the grey model,
// and the transfer syntax. Lets the renderer read plain uncompressed frames itself, straight
// from the bytes Orthanc returns, and leave everything else to Orthanc's decoder.
#include <optional>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>
#include <opencv2/core.hpp>

#include "rendering/PixelCalibration.h"
#include "rendering/VoiWindow.h"

namespace relais::rendering {

struct FrameDescription {
  std::string transferSyntax;
  std::string studyInstanceUid;  // (0020,000D): whose case the frames belong to
  std::string photometric;  // (0028,0004), trailing spaces removed
  int rows = 0;
  int columns = 0;
  int samplesPerPixel = 1;
  int bitsAllocated = 8;
  int bitsStored = 8;
  int highBit = 7;
  bool signedPixels = false;  // (0028,0103) == 1
  bool planar = false;        // (0028,0006) == 1
  int frames = 1;             // (0028,0008), 1 if absent
  double frameTimeMs = 0;     // (0018,1063), else from Cine Rate or Recommended Display Frame Rate; 0 unknown
  GreyscaleModel grey;
  PixelCalibration calibration;  // for measurements on the image

  bool isJpegBaseline() const;
  // Native little-endian pixels in a layout ReadNativeFrame understands.
  bool isPlainNative() const;
  bool isGrey() const { return samplesPerPixel == 1 && photometric != "PALETTE COLOR"; }
};

FrameDescription DescribeFrames(const nlohmann::json& shortTags, const std::string& transferSyntax);

// Bytes one native frame takes.
size_t NativeFrameBytes(const FrameDescription& d);

// The stored values of one native frame (bytes as Orthanc's /frames/{n}/raw gives them), as
// one channel (8/16-bit, signed or not, with bits above High Bit cleared or sign-extended) or
// three 8-bit RGB channels. Where the bytes are usable as they are (interleaved RGB, unsigned
// values filling their bits) the result views `bytes` and lives only as long as they do;
// otherwise it is a copy. Throws std::runtime_error if the bytes are too few.
cv::Mat NativeFrameValues(std::string_view bytes, const FrameDescription& d);

// The same, always a copy of its own.
cv::Mat ReadNativeFrame(std::string_view raw, const FrameDescription& d);

// What the viewer needs to know before showing an instance: size, frames and their timing,
// whether window/level applies, the window a rendering without one uses, and the pixel
// spacing its measurements use.
nlohmann::json ViewerFacts(const FrameDescription& d, const std::optional<Window>& defaultWindow);

}  // namespace relais::rendering
