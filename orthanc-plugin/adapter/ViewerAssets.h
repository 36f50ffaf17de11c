#pragma once
// GET /relais/app/{file*}: the viewer's static files from a folder on disk (configuration
// Relais.ViewerDirectory, default the source tree's viewer/ compiled in). Public, so the
// sign-in page loads before credentials exist; answers carry a content ETag and revalidate,
// so a new build of the viewer is picked up at once while unchanged files cost a 304.
#include <filesystem>
#include <string>

#include "domain/Router.h"

namespace relais::adapter {

class ViewerAssets {
 public:
  explicit ViewerAssets(std::filesystem::path root);
  HttpResponse serve(const HttpRequest& request, const std::string& relative) const;
  const std::filesystem::path& root() const { return root_; }

 private:
  std::filesystem::path root_;
};

// Relais.ViewerDirectory from Orthanc's configuration, else RELAIS_VIEWER_DIR.
std::filesystem::path ConfiguredViewerDirectory();

// Relais.RenderCacheMegabytes from Orthanc's configuration, else 256.
size_t ConfiguredRenderCacheBytes();

}  // namespace relais::adapter
