#pragma once
// The case store the configuration asks for, opened and ready (schema created). Throws
// std::runtime_error naming the file path or the PostgreSQL target when it cannot be opened;
// the plugin then refuses to load rather than run without its cases.
#include <memory>

#include "domain/CaseStore.h"
#include "domain/UploadStore.h"
#include "infra/HubConfiguration.h"

namespace relais {

std::unique_ptr<CaseStore> OpenCaseStore(const HubConfiguration& config);

// The upload sessions, in the same database as the cases (a connection of their own).
std::unique_ptr<UploadStore> OpenUploadStore(const HubConfiguration& config);

}  // namespace relais
