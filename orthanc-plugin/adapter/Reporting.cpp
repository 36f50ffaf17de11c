#include "adapter/Reporting.h"

#include "adapter/OrthancContext.h"

#ifndef RELAIS_TEMPLATES_DIR
#define RELAIS_TEMPLATES_DIR "config/templates"
#endif

namespace relais::adapter {

namespace {
std::string Owned(char* text) {
  std::string out = text ? text : "";
  if (text) OrthancPluginFreeString(Context(), text);
  return out;
}
}  // namespace

std::unique_ptr<Reporting> StartReporting() {
  std::string file = Owned(OrthancPluginGetConfigurationPath(Context()));
  if (file.empty()) file = "Orthanc configuration";
  const auto orthancConfiguration = nlohmann::json::parse(Owned(OrthancPluginGetConfiguration(Context())));
  auto r = std::make_unique<Reporting>();
  r->config = report::ReportingConfiguration::Parse(orthancConfiguration, file, RELAIS_TEMPLATES_DIR);
  r->templates = report::ReportTemplateCatalog::LoadDirectory(r->config.templatesDirectory);
  r->store = std::make_unique<report::ReportStore>(r->config.storePath);
  r->forwarder = std::make_unique<PacsForwarder>(*r->store, r->config.retry, r->config.pollMilliseconds);
  r->forwarder->start();
  return r;
}

}  // namespace relais::adapter
