#include "infra/OpenCaseStore.h"

#include <stdexcept>

#include "infra/PostgresCaseStore.h"
#include "infra/PostgresUploadStore.h"
#include "infra/SqliteCaseStore.h"
#include "infra/SqliteUploadStore.h"

namespace relais {

std::unique_ptr<CaseStore> OpenCaseStore(const HubConfiguration& config) {
  if (config.caseStoreBackend == "postgresql") return std::make_unique<PostgresCaseStore>(config.caseStoreConnection);
  if (config.caseStoreBackend == "sqlite") return std::make_unique<SqliteCaseStore>(config.caseStorePath);
  // HubConfiguration::Parse accepts only the two above; this guards a hand-built configuration.
  throw std::logic_error("unknown case store back end '" + config.caseStoreBackend + "'");
}

std::unique_ptr<UploadStore> OpenUploadStore(const HubConfiguration& config) {
  if (config.caseStoreBackend == "postgresql") return std::make_unique<PostgresUploadStore>(config.caseStoreConnection);
  if (config.caseStoreBackend == "sqlite") return std::make_unique<SqliteUploadStore>(config.caseStorePath);
  throw std::logic_error("unknown case store back end '" + config.caseStoreBackend + "'");
}

}  // namespace relais
