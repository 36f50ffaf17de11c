#include "adapter/OrthancContext.h"

namespace relais::adapter {
namespace {
OrthancPluginContext* g_context = nullptr;
}
OrthancPluginContext* Context() { return g_context; }
void SetContext(OrthancPluginContext* context) { g_context = context; }
}  // namespace relais::adapter
