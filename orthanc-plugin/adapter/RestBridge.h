#pragma once
// Turns Orthanc's REST callback into relais::HttpRequest / HttpResponse and back, and is the
// one place where exceptions from handlers become HTTP statuses.
#include <orthanc/OrthancCPlugin.h>

#include "domain/Router.h"

namespace relais::adapter {

// The router must outlive the plugin's registration (it is owned by the plugin's state).
void InstallRouter(const Router* router);

// Registered with Orthanc for "/relais/(.*)".
OrthancPluginErrorCode ServeRelaisRoute(OrthancPluginRestOutput* output, const char* url,
                                        const OrthancPluginHttpRequest* request);

}  // namespace relais::adapter
