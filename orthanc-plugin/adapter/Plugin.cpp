// Entry points Orthanc calls, and the route table of the /relais/ REST API.
#include <orthanc/OrthancCPlugin.h>

#include <memory>
#include <string>

#include <nlohmann/json.hpp>

#include "adapter/OrthancContext.h"
#include "adapter/RenderedFrameRoute.h"
#include "adapter/RestBridge.h"
#include "adapter/ViewerAssets.h"
#include "domain/Router.h"
#include "relais/version.h"

namespace {

struct PluginState {
  relais::Router router;
  // [7] viewer
  std::unique_ptr<relais::adapter::RenderedFrameRoute> renderedFrames;
  std::unique_ptr<relais::adapter::ViewerAssets> viewerAssets;
};

std::unique_ptr<PluginState> g_state;

// [7] The specialists' viewer: its static files (public) and frame rendering.
void RegisterViewerRoutes(PluginState& state) {
  state.viewerAssets = std::make_unique<relais::adapter::ViewerAssets>(relais::adapter::ConfiguredViewerDirectory());
  state.renderedFrames = std::make_unique<relais::adapter::RenderedFrameRoute>(
      relais::adapter::ConfiguredRenderCacheBytes(), nullptr);
  auto* assets = state.viewerAssets.get();
  auto* frames = state.renderedFrames.get();
  state.router.add("GET", "/relais/app", [assets](const relais::HttpRequest& r) { return assets->serve(r, ""); });
  state.router.add("GET", "/relais/app/{file*}",
                   [assets](const relais::HttpRequest& r) { return assets->serve(r, r.param("file")); });
  state.router.add("GET", "/relais/v1/instances/{id}/frames/{n}/rendered",
                   [frames](const relais::HttpRequest& r) { return frames->serve(r); });
  state.router.add("GET", "/relais/v1/instances/{id}/rendering",
                   [frames](const relais::HttpRequest& r) { return frames->facts(r); });
}

void RegisterRoutes(relais::Router& router) {
  router.add("GET", "/relais/version", [](const relais::HttpRequest&) {
    nlohmann::json v = {{"relais", relais::kVersion},
                        {"orthanc", relais::adapter::Context()->orthancVersion},
                        {"api", "v1"}};
    return relais::HttpResponse::Json(v.dump());
  });
}

}  // namespace

extern "C" {

__attribute__((visibility("default"))) int32_t OrthancPluginInitialize(OrthancPluginContext* context) {
  relais::adapter::SetContext(context);
  if (!OrthancPluginCheckVersion(context)) {
    OrthancPluginLogError(context, "Relais needs Orthanc 1.10.1 or newer");
    return -1;
  }
  try {
    OrthancPluginSetDescription(context, "Relais: teleexpertise routing, cases, reports and viewer");
    g_state = std::make_unique<PluginState>();
    RegisterRoutes(g_state->router);
    RegisterViewerRoutes(*g_state);
    relais::adapter::InstallRouter(&g_state->router);
    OrthancPluginRegisterRestCallbackNoLock(context, "/relais/(.*)", relais::adapter::ServeRelaisRoute);
    OrthancPluginLogWarning(context, (std::string("Relais ") + relais::kVersion + " loaded").c_str());
    return 0;
  } catch (const std::exception& e) {
    OrthancPluginLogError(context, (std::string("Relais cannot start: ") + e.what()).c_str());
    return -1;
  }
}

__attribute__((visibility("default"))) void OrthancPluginFinalize() {
  relais::adapter::InstallRouter(nullptr);
  g_state.reset();
}

__attribute__((visibility("default"))) const char* OrthancPluginGetName() { return "relais"; }

__attribute__((visibility("default"))) const char* OrthancPluginGetVersion() { return relais::kVersion; }

}  // extern "C"
