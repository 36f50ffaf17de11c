// Entry points Orthanc calls, and the route table of the /relais/ REST API.
#include <orthanc/OrthancCPlugin.h>

#include <memory>
#include <string>

#include <nlohmann/json.hpp>

#include "adapter/CaseRoutes.h"
#include "adapter/Hub.h"
#include "adapter/OrthancContext.h"
#include "adapter/RenderedFrameRoute.h"
#include "adapter/ReportRoutes.h"
#include "adapter/Reporting.h"
#include "adapter/RequestFilter.h"
#include "adapter/RestBridge.h"
#include "adapter/RoutingWorker.h"
#include "adapter/StudyRouter.h"
#include "adapter/UploadReception.h"
#include "adapter/ViewerAccess.h"
#include "adapter/ViewerAssets.h"
#include "domain/ConfigError.h"
#include "domain/Router.h"
#include "infra/DeclaredSenders.h"
#include "infra/OpenCaseStore.h"
#include "relais/version.h"

namespace {

struct PluginState {
  relais::adapter::Hub hub;
  relais::Router router;
  // [4] routing: the worker routes what the change callback signals.
  std::unique_ptr<relais::adapter::StudyRouter> studies;
  std::unique_ptr<relais::adapter::RoutingWorker> worker;
  // Resumable uploads from the units, with their sweep thread.
  std::unique_ptr<relais::adapter::UploadReception> uploads;
  // [7] viewer
  std::unique_ptr<relais::adapter::RenderedFrameRoute> renderedFrames;
  std::unique_ptr<relais::adapter::ViewerAssets> viewerAssets;
  // [6] reports, the units' inbox, PACS forwarding (declared last: its thread stops first)
  std::unique_ptr<relais::adapter::Reporting> reporting;
};

std::unique_ptr<PluginState> g_state;

// [7] The specialists' viewer: its static files (public) and frame rendering.
void RegisterViewerRoutes(PluginState& state) {
  state.viewerAssets = std::make_unique<relais::adapter::ViewerAssets>(relais::adapter::ConfiguredViewerDirectory());
  state.renderedFrames = std::make_unique<relais::adapter::RenderedFrameRoute>(
      relais::adapter::ConfiguredRenderCacheBytes(), relais::adapter::CaseScopedAccess(state.hub),
      relais::adapter::ConfiguredStoredInstanceFiles());
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

std::string OwnedString(char* text) {
  std::string out = text ? text : "";
  if (text) OrthancPluginFreeString(relais::adapter::Context(), text);
  return out;
}

// Builds the hub from Orthanc's configuration; ConfigError names file, key and expectation.
void LoadHub(relais::adapter::Hub& hub) {
  OrthancPluginContext* context = relais::adapter::Context();
  std::string file = OwnedString(OrthancPluginGetConfigurationPath(context));
  if (file.empty()) file = "Orthanc configuration";
  const auto orthanc = nlohmann::json::parse(OwnedString(OrthancPluginGetConfiguration(context)));
  hub.config = relais::HubConfiguration::Parse(orthanc, file);
  std::string senders;
  for (const auto& aet : relais::DeclaredDicomSenders(orthanc, file)) senders += (senders.empty() ? "" : ", ") + aet;
  OrthancPluginLogWarning(context, ("Relais: C-STORE accepted only from the declared AETs: " +
                                    (senders.empty() ? std::string("none") : senders)).c_str());
  auto warn = [](const std::string& line) { OrthancPluginLogWarning(relais::adapter::Context(), line.c_str()); };
  hub.signIn = std::make_unique<relais::SignIn>(hub.config.signIn, warn);
  if (hub.config.usersFile) {
    hub.users.watch(*hub.config.usersFile, warn);
  } else {
    OrthancPluginLogWarning(context, "Relais: no Relais.UsersFile: only /relais/version and the viewer's assets answer");
  }
  if (hub.config.rulesFile) {
    hub.rules = relais::RoutingRules::Load(*hub.config.rulesFile);
  } else {
    OrthancPluginLogWarning(context, "Relais: no Relais.RulesFile: every study goes to the triage queue");
  }
  hub.cases = relais::OpenCaseStore(hub.config);
  hub.uploads = relais::OpenUploadStore(hub.config);
}

void RegisterRoutes(relais::Router& router, relais::adapter::Hub& /*hub*/) {
  router.add("GET", "/relais/version", [](const relais::HttpRequest&) {
    nlohmann::json v = {{"relais", relais::kVersion},
                        {"orthanc", relais::adapter::Context()->orthancVersion},
                        {"api", "v1"}};
    return relais::HttpResponse::Json(v.dump());
  });
  router.add("GET", "/relais/v1/me", [](const relais::HttpRequest& r) {
    const relais::User& u = *r.account;
    nlohmann::json me = {{"name", u.name},           {"role", relais::ToString(u.role)},
                         {"unit", u.unit},           {"specialties", u.specialties},
                         {"displayName", u.displayName}};
    return relais::HttpResponse::Json(me.dump());
  });
}

// Orthanc's change thread: hand over and return at once.
OrthancPluginErrorCode OnChange(OrthancPluginChangeType change, OrthancPluginResourceType, const char*) {
  if (g_state && g_state->worker) {
    if (change == OrthancPluginChangeType_OrthancStopped) {
      g_state->worker->stop();
    } else {
      g_state->worker->onChange(change);
    }
  }
  return OrthancPluginErrorCode_Success;
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
    LoadHub(g_state->hub);
    RegisterRoutes(g_state->router, g_state->hub);
    g_state->studies = std::make_unique<relais::adapter::StudyRouter>(
        g_state->hub, relais::adapter::ConfiguredStoredInstanceFiles());
    g_state->worker = std::make_unique<relais::adapter::RoutingWorker>(g_state->hub, *g_state->studies);
    relais::adapter::RegisterCaseRoutes(g_state->router, g_state->hub, *g_state->studies);
    g_state->uploads = std::make_unique<relais::adapter::UploadReception>(g_state->hub);
    relais::adapter::RegisterUploadRoutes(g_state->router, *g_state->uploads);
    RegisterViewerRoutes(*g_state);
    g_state->reporting = relais::adapter::StartReporting();
    relais::adapter::RegisterReportRoutes(g_state->router, g_state->hub, *g_state->reporting);
    g_state->router.setGuard(relais::adapter::GuardRelaisRoute);
    relais::adapter::InstallUserDirectory(&g_state->hub.users, g_state->hub.signIn.get());
    relais::adapter::InstallRouter(&g_state->router, &g_state->hub.config.bodies);
    relais::adapter::InstallBodyLimits(&g_state->hub.config.bodies);
    OrthancPluginRegisterIncomingHttpRequestFilter2(context, relais::adapter::IncomingRequestFilter);
    OrthancPluginRegisterRestCallbackNoLock(context, "/relais/(.*)", relais::adapter::ServeRelaisRoute);
    OrthancPluginRegisterOnChangeCallback(context, OnChange);
    g_state->worker->start();
    g_state->uploads->start();
    OrthancPluginLogWarning(context, (std::string("Relais ") + relais::kVersion + " loaded").c_str());
    return 0;
  } catch (const relais::ConfigError& e) {
    OrthancPluginLogError(context, (std::string("Relais configuration error: ") + e.what()).c_str());
    g_state.reset();
    return -1;
  } catch (const std::exception& e) {
    OrthancPluginLogError(context, (std::string("Relais cannot start: ") + e.what()).c_str());
    g_state.reset();
    return -1;
  }
}

__attribute__((visibility("default"))) void OrthancPluginFinalize() {
  if (g_state && g_state->worker) g_state->worker->stop();
  if (g_state && g_state->uploads) g_state->uploads->stop();
  relais::adapter::InstallRouter(nullptr, nullptr);
  relais::adapter::InstallBodyLimits(nullptr);
  relais::adapter::InstallUserDirectory(nullptr, nullptr);
  g_state.reset();
}

__attribute__((visibility("default"))) const char* OrthancPluginGetName() { return "relais"; }

__attribute__((visibility("default"))) const char* OrthancPluginGetVersion() { return relais::kVersion; }

}  // extern "C"
