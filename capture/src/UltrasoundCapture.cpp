#include <dcmtk/dcmdata/dcuid.h>

#include "relais/capture/Capture.h"
#include "relais/capture/CaptureError.h"

namespace relais::capture {

CaptureResult captureUltrasound(const UltrasoundCaptureRequest& request) {
  if (request.stills.empty() && request.clips.empty()) throw CaptureError("no ultrasound image or clip given");
  CaptureSession session(request.options);
  UltrasoundSettings settings = request.settings;
  settings.thresholds = session.thresholds("ultrasound");
  settings.acceptQualityWarnings = request.options.acceptQualityWarnings;
  if (!request.stills.empty()) {
    const int series = session.newSeries("US", "Ultrasound images");
    int index = 0;
    for (const auto& path : request.stills) {
      ImageInput input{"ultrasound image " + std::to_string(++index) + " (" + path.filename().string() + ")", {}};
      try {
        input.bytes = readInputFile(path);
      } catch (const CaptureError& e) {
        throw CaptureError(input.label + ": " + e.what());
      }
      DicomObject object = buildUltrasoundStill(input, session.study(),
                                                session.nextInstance(series, UID_UltrasoundImageStorage), settings);
      session.add(object);
    }
  }
  int index = 0;
  for (const auto& path : request.clips) {
    const std::string label = "ultrasound clip " + std::to_string(++index) + " (" + path.filename().string() + ")";
    Clip clip;
    try {
      clip = readClip(path, settings.framesPerSecond, settings.maxFrames);
    } catch (const CaptureError& e) {
      throw CaptureError(label + ": " + e.what());
    }
    const int series = session.newSeries("US", "Ultrasound clip " + std::to_string(index));
    DicomObject object = buildUltrasoundClip(label, clip, session.study(),
                                             session.nextInstance(series, UID_UltrasoundMultiframeImageStorage), settings);
    session.add(object);
  }
  return session.finish();
}

}  // namespace relais::capture
