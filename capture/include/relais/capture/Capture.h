#pragma once
// The capture sessions the tools run, as library calls: each reads its input files, builds
// every object, and writes the study atomically (nothing is written if any input is refused).
// The returned CaptureResult lists the files and the Study Instance UID (for the outbox).
#include <filesystem>
#include <string>
#include <vector>

#include "relais/capture/CaptureSession.h"
#include "relais/capture/PhotoBuilder.h"

namespace relais::capture {

struct PhotoCaptureRequest {
  CaptureOptions options;
  std::vector<std::filesystem::path> photos;
  bool dermoscopy = false;
  DermoscopySettings dermoscopySettings;
  Device device;
};
CaptureResult capturePhotos(const PhotoCaptureRequest& request);

}  // namespace relais::capture
