#include <dcmtk/dcmdata/dcuid.h>

#include "relais/capture/Capture.h"
#include "relais/capture/CaptureError.h"

namespace relais::capture {
namespace {

ImageInput readLabelled(const std::string& noun, int index, const std::filesystem::path& path) {
  ImageInput input{noun + " " + std::to_string(index) + " (" + path.filename().string() + ")", {}};
  try {
    input.bytes = readInputFile(path);
  } catch (const CaptureError& e) {
    throw CaptureError(input.label + ": " + e.what());
  }
  return input;
}

}  // namespace

CaptureResult captureXray(const XrayCaptureRequest& request) {
  if (request.detectorImages.empty() && request.films.empty()) throw CaptureError("no X-ray image or film given");
  CaptureSession session(request.options);
  XraySettings settings = request.settings;
  settings.acceptQualityWarnings = request.options.acceptQualityWarnings;
  if (!request.detectorImages.empty()) {
    settings.thresholds = session.thresholds("xray");
    const int series = session.newSeries("DX", "X-ray");
    int index = 0;
    for (const auto& path : request.detectorImages) {
      DicomObject object =
          buildDigitalXray(readLabelled("X-ray", ++index, path), session.study(),
                           session.nextInstance(series, UID_DigitalXRayImageStorageForPresentation), settings);
      session.add(object);
    }
  }
  if (!request.films.empty()) {
    settings.thresholds = session.thresholds("film");
    const int series = session.newSeries("OT", "Digitized film");
    int index = 0;
    for (const auto& path : request.films) {
      DicomObject object = buildFilmCapture(readLabelled("film", ++index, path), session.study(),
                                            session.nextInstance(series, UID_SecondaryCaptureImageStorage), settings);
      session.add(object);
    }
  }
  return session.finish();
}

}  // namespace relais::capture
