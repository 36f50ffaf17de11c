#pragma once
// GET /relais/v1/instances/{id}/frames/{n}/rendered: one frame of a stored instance as a
// JPEG sized for the screen, with ETag/Cache-Control and an in-memory cache of results.
// Orthanc is reached only here (reading the file, decoding non-JPEG frames); the pixel work
// is relais::rendering's.
#include <functional>
#include <string>

#include "domain/Router.h"
#include "rendering/RenderCache.h"
#include "rendering/RenderRequest.h"

namespace relais::adapter {

class RenderedFrameRoute {
 public:
  // Decides whether the caller may see this instance; throws HttpError (403/404) if not.
  using InstanceAccess = std::function<void(const HttpRequest&, const std::string& orthancInstanceId)>;

  RenderedFrameRoute(size_t cacheBytes, InstanceAccess access);

  HttpResponse serve(const HttpRequest& request);

  rendering::RenderCache& cache() { return cache_; }

 private:
  std::string render(const std::string& instanceId, unsigned frame, const rendering::RenderRequest& r);

  rendering::RenderCache cache_;
  InstanceAccess access_;
};

}  // namespace relais::adapter
