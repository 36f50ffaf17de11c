#include <dcmtk/dcmdata/dcuid.h>

#include <algorithm>
#include <atomic>
#include <exception>
#include <mutex>
#include <thread>

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
  // Identities are handed out in input order before any work starts.
  std::vector<InstanceIdentity> identities;
  for (std::size_t i = 0; i < request.photos.size(); ++i) {
    identities.push_back(session.nextInstance(series, sopClass));
    identities.back().frameOfReferenceUid = frameOfReference;
  }
  const std::string noun = request.dermoscopy ? "dermoscopy image " : "photo ";

  // Photos are independent: a batch (a nurse's session, an import from a camera card) runs on
  // several cores. The first failure in input order is reported; nothing is committed then.
  std::atomic<std::size_t> next{0};
  std::atomic<bool> failed{false};
  std::mutex errorMutex;
  std::size_t errorIndex = request.photos.size();
  std::exception_ptr error;
  auto work = [&] {
    for (std::size_t i = next++; i < request.photos.size() && !failed; i = next++) {
      try {
        const auto& path = request.photos[i];
        ImageInput input{noun + std::to_string(i + 1) + " (" + path.filename().string() + ")", {}};
        try {
          input.bytes = readInputFile(path);
        } catch (const CaptureError& e) {
          throw CaptureError(input.label + ": " + e.what());
        }
        DicomObject object = buildPhoto(input, session.study(), identities[i], settings);
        session.add(object, static_cast<long>(i));
      } catch (...) {
        std::lock_guard<std::mutex> lock(errorMutex);
        if (i < errorIndex) {
          errorIndex = i;
          error = std::current_exception();
        }
        failed = true;
      }
    }
  };
  const std::size_t workers =
      std::min<std::size_t>({request.photos.size(), std::max(1u, std::thread::hardware_concurrency()), 4});
  std::vector<std::thread> threads;
  for (std::size_t w = 1; w < workers; ++w) threads.emplace_back(work);
  work();
  for (auto& thread : threads) thread.join();
  if (error) std::rethrow_exception(error);
  return session.finish();
}

}  // namespace relais::capture
