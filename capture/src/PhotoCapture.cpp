#include <dcmtk/dcmdata/dcuid.h>

#include "relais/capture/Capture.h"
#include "relais/capture/CaptureError.h"

namespace relais::capture {

CaptureResult capturePhotos(const PhotoCaptureRequest& request) {
  if (request.photos.empty()) throw CaptureError("no photo given");
  CaptureSession session(request.options);
  PhotoSettings settings;
  settings.kind = request.dermoscopy ? PhotoKind::Dermoscopic : PhotoKind::Clinical;
  settings.thresholds = session.thresholds(request.dermoscopy ? "dermoscopy" : "photo");
  settings.acceptQualityWarnings = request.options.acceptQualityWarnings;
  settings.device = request.device;
  settings.dermoscopy = request.dermoscopySettings;
  const char* sopClass = request.dermoscopy ? UID_DermoscopicPhotographyImageStorage : UID_VLPhotographicImageStorage;
  const int series = session.newSeries(request.dermoscopy ? "DMS" : "XC", request.dermoscopy ? "Dermoscopy" : "Photographs");
  std::string frameOfReference;
  if (request.dermoscopy) frameOfReference = session.newUid();
  int index = 0;
  for (const auto& path : request.photos) {
    ++index;
    const std::string noun = request.dermoscopy ? "dermoscopy image " : "photo ";
    ImageInput input{noun + std::to_string(index) + " (" + path.filename().string() + ")", {}};
    try {
      input.bytes = readInputFile(path);
    } catch (const CaptureError& e) {
      throw CaptureError(input.label + ": " + e.what());
    }
    InstanceIdentity identity = session.nextInstance(series, sopClass);
    identity.frameOfReferenceUid = frameOfReference;
    DicomObject object = buildPhoto(input, session.study(), identity, settings);
    session.add(object);
  }
  return session.finish();
}

}  // namespace relais::capture
