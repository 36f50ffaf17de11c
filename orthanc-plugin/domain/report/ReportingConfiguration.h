#pragma once
// The reports component's keys of Orthanc's "Relais" section, validated in one place:
//   "TemplatesDirectory": "/etc/relais/templates"   (default: the source tree's config/templates)
//   "ReportStore": "/var/lib/orthanc/db/relais-reports.db"  (default: StorageDirectory/relais-reports.db)
//   "PacsDestinations": {"MaxAttempts": 5, "RetrySeconds": 10, "MaxRetrySeconds": 600, "PollMilliseconds": 1000}
// The destinations themselves are Orthanc's DicomModalities, named by the routing rules.
// A mistake throws std::invalid_argument naming the file, the key and what was expected.
#include <string>

#include <nlohmann/json.hpp>

#include "domain/report/PacsTransfer.h"

namespace relais::report {

struct ReportingConfiguration {
  std::string templatesDirectory;
  std::string storePath;
  RetryPolicy retry;
  int pollMilliseconds = 1000;
  std::string hubName = "Relais";  // Orthanc's "Name": the organisation printed under the author

  static ReportingConfiguration Parse(const nlohmann::json& orthanc, const std::string& file,
                                      const std::string& defaultTemplatesDirectory);
};

}  // namespace relais::report
