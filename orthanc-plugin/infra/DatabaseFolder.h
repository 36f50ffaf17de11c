#pragma once
// The folder of a database file, created if missing: Orthanc creates its StorageDirectory on
// first start, but the plugin opens its stores there before Orthanc does, so a fresh hub
// would otherwise refuse to start ("unable to open database file").
#include <string>

namespace relais {

// Throws std::runtime_error naming the folder and the reason when it cannot be created.
void CreateDatabaseFolder(const std::string& databasePath);

}  // namespace relais
