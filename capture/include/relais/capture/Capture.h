#pragma once
// The capture sessions the tools run, as library calls: each reads its input files, builds
// every object, and writes the study atomically (nothing is written if any input is refused).
// The returned CaptureResult lists the files and the Study Instance UID (for the outbox).
#include <filesystem>
#include <string>
#include <vector>

#include "relais/capture/CaptureSession.h"
#include "relais/capture/PhotoBuilder.h"
#include "relais/capture/UltrasoundBuilder.h"
#include "relais/capture/XrayBuilder.h"

namespace relais::capture {

struct PhotoCaptureRequest {
  CaptureOptions options;
  std::vector<std::filesystem::path> photos;
  bool dermoscopy = false;
  DermoscopySettings dermoscopySettings;
  Device device;
};
CaptureResult capturePhotos(const PhotoCaptureRequest& request);

struct UltrasoundCaptureRequest {
  CaptureOptions options;
  std::vector<std::filesystem::path> stills;  // US Image each, one series
  std::vector<std::filesystem::path> clips;   // video files or folders of numbered frames; a series each
  UltrasoundSettings settings;                 // thresholds and override are filled from options/config
};
CaptureResult captureUltrasound(const UltrasoundCaptureRequest& request);

struct XrayCaptureRequest {
  CaptureOptions options;
  std::vector<std::filesystem::path> detectorImages;  // 16-bit PNG/TIFF -> DX For Presentation
  std::vector<std::filesystem::path> films;           // photos/scans of films -> Secondary Capture DF
  XraySettings settings;
};
CaptureResult captureXray(const XrayCaptureRequest& request);

}  // namespace relais::capture
