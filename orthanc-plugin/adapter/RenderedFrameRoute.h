#pragma once
// GET /relais/v1/instances/{id}/frames/{n}/rendered: one frame of a stored instance as a
// JPEG sized for the screen, with ETag/Cache-Control and an in-memory cache of results.
// Orthanc is reached only here (reading the file, decoding non-JPEG frames); the pixel work
// is relais::rendering's.
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>

#include <opencv2/core.hpp>

#include "adapter/StoredInstanceFiles.h"
#include "domain/Router.h"
#include "rendering/FrameDescription.h"
#include "rendering/OpenCvBands.h"
#include "rendering/RenderCache.h"
#include "rendering/RenderRequest.h"
#include "rendering/StoredFrames.h"
#include "rendering/StripRenderer.h"

namespace relais::adapter {

class RenderedFrameRoute {
 public:
  // Decides whether the caller may see frames of this study (by its Study Instance UID):
  // throws HttpError (403/404) if not. Called for every request, cached answers included.
  using InstanceAccess = std::function<void(const HttpRequest&, const std::string& studyInstanceUid)>;

  RenderedFrameRoute(size_t cacheBytes, InstanceAccess access, StoredInstanceFiles files = StoredInstanceFiles({}));

  HttpResponse serve(const HttpRequest& request);
  // GET /relais/v1/instances/{id}/rendering: ViewerFacts of the instance, as JSON.
  HttpResponse facts(const HttpRequest& request);

  rendering::RenderCache& cache() { return cache_; }

 private:
  struct OpenedFile;
  std::unique_ptr<OpenedFile> open(const std::string& instanceId);

  std::string render(const std::string& instanceId, unsigned frame, const rendering::RenderRequest& r);
  static void checkFrame(const std::string& instanceId, unsigned frame, const rendering::FrameDescription& d);
  static std::optional<std::string> renderRaw(const std::string& raw, const rendering::FrameDescription& d,
                                              const rendering::RenderRequest& r);
  static std::string renderDecoded(const std::string& instanceId, unsigned frame, const OpenedFile& opened,
                                   const rendering::FrameDescription& d, const rendering::RenderRequest& r);
  // An instance's attributes never change, so they are read once per instance (a clip's
  // frames and a photo's zoom levels then cost one raw-frame read each).
  std::shared_ptr<const rendering::FrameDescription> cachedDescription(const std::string& instanceId);
  // Read through Orthanc's REST API, which shares Orthanc's cache of parsed files: the frame
  // read that follows finds the file already parsed.
  std::shared_ptr<const rendering::FrameDescription> describe(const std::string& instanceId);
  std::string studyOf(const std::string& instanceId);
  // An instance whose file can be read where Orthanc stores it: its header, read once.
  struct StoredSource {
    StoredFileLocation location;
    rendering::StoredFrames frames;
  };
  std::shared_ptr<const StoredSource> storedSource(const std::string& instanceId);
  std::optional<std::string> readStoredFrame(const StoredSource& source, unsigned frame);
  // A native frame rendered from the stored file: in strips where it is shrunk (large grey
  // frames), else read whole into one buffer the pixel work reads in place.
  std::optional<std::string> renderStoredNative(const std::string& instanceId, const StoredSource& source,
                                                unsigned frame, const rendering::RenderRequest& r);
  // Stored values of one frame, decoded whichever way its transfer syntax needs.
  cv::Mat storedFrame(const std::string& instanceId, unsigned frame, const rendering::FrameDescription& d);

  // OpenCV splits its loops across the render workers while this route serves.
  rendering::OpenCvOnBands openCvOnBands_{rendering::RenderBands()};
  rendering::RenderCache cache_;
  // Block averages of large grey frames (a radiograph's 15 MB as 3.75 MB at half size): window
  // and level changes and other widths with the same whole factor start from them. A quarter
  // of the rendered-frame cache's bytes.
  rendering::ByteBoundedCache<rendering::AveragedFrame> averages_;
  std::mutex descriptionsMutex_;
  std::unordered_map<std::string, std::shared_ptr<const rendering::FrameDescription>> descriptions_;
  std::unordered_map<std::string, std::string> studies_;  // instance id -> Study Instance UID
  // nullptr: looked at, not readable directly (compressed storage, big endian, ...).
  std::unordered_map<std::string, std::shared_ptr<const StoredSource>> sources_;
  InstanceAccess access_;
  StoredInstanceFiles files_;
};

}  // namespace relais::adapter
