#include "infra/DatabaseFolder.h"

#include <filesystem>
#include <stdexcept>
#include <system_error>

namespace relais {

void CreateDatabaseFolder(const std::string& databasePath) {
  const std::filesystem::path folder = std::filesystem::path(databasePath).parent_path();
  if (folder.empty()) return;
  std::error_code error;
  std::filesystem::create_directories(folder, error);
  if (error) throw std::runtime_error("cannot create the folder " + folder.string() + " of " + databasePath + ": " +
                             error.message());
}

}  // namespace relais
