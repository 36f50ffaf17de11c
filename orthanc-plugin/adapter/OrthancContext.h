#pragma once
// The context Orthanc hands the plugin at load time. The C SDK needs it for every call; it is
// set once in OrthancPluginInitialize and never changes, so one accessor is the honest shape.
#include <orthanc/OrthancCPlugin.h>

namespace relais::adapter {
OrthancPluginContext* Context();
void SetContext(OrthancPluginContext* context);
}  // namespace relais::adapter
