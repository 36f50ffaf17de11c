#pragma once
// Turns Orthanc's REST callback into relais::HttpRequest / HttpResponse and back, and is the
// one place where exceptions from handlers become HTTP statuses.
#include <orthanc/OrthancCPlugin.h>

#include "domain/BodyLimits.h"
#include "domain/Router.h"

namespace relais::adapter {

// Both must outlive the plugin's registration (owned by the plugin's state); a body larger
// than its route's limit is answered 413 naming the limit.
void InstallRouter(const Router* router, const BodyLimits* limits);

// Registered with Orthanc for "/relais/(.*)".
OrthancPluginErrorCode ServeRelaisRoute(OrthancPluginRestOutput* output, const char* url,
                                        const OrthancPluginHttpRequest* request);

}  // namespace relais::adapter
