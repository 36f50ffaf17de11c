#pragma once
// The reports component's share of the plugin's state: templates, its store, the PACS
// forwarder; built at start-up from Orthanc's configuration (domain/report/ReportingConfiguration).
#include <memory>

#include <nlohmann/json.hpp>

#include "adapter/PacsForwarder.h"
#include "domain/report/ReportTemplateCatalog.h"
#include "domain/report/ReportingConfiguration.h"
#include "infra/report/ReportStore.h"

namespace relais::adapter {

struct Reporting {
  report::ReportingConfiguration config;
  report::ReportTemplateCatalog templates;
  std::unique_ptr<report::ReportStore> store;
  std::unique_ptr<PacsForwarder> forwarder;
};

// Reads Orthanc's configuration, loads the templates (TemplateError names the file and the
// field), opens the store, starts the forwarder's thread.
std::unique_ptr<Reporting> StartReporting();

}  // namespace relais::adapter
