// A fresh hub: Orthanc creates its StorageDirectory on first start, but the plugin opens the
// case store there first, so the store must create the folder itself.
#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>

#include "infra/SqliteCaseStore.h"

namespace {

struct ScratchFolder {
  std::filesystem::path path;
  ScratchFolder() {
    std::string pattern = (std::filesystem::temp_directory_path() / "relais-db-folder-XXXXXX").string();
    path = mkdtemp(pattern.data());
  }
  ~ScratchFolder() { std::filesystem::remove_all(path); }
};

}  // namespace

TEST(DatabaseFolder, CaseStoreCreatesAStorageDirectoryThatDoesNotExistYet) {
  ScratchFolder dir;
  const auto path = dir.path / "not" / "yet" / "relais-cases.db";
  ASSERT_FALSE(std::filesystem::exists(path.parent_path()));
  relais::SqliteCaseStore store(path.string());
  EXPECT_TRUE(std::filesystem::is_regular_file(path));
  EXPECT_FALSE(store.findByStudy("1.2.3").has_value());
}

TEST(DatabaseFolder, AFolderThatCannotBeCreatedIsNamed) {
  ScratchFolder dir;
  const auto file = dir.path / "a-file";
  { std::ofstream(file) << "x"; }
  try {
    relais::SqliteCaseStore store((file / "sub" / "relais-cases.db").string());
    FAIL() << "opened a store under a file";
  } catch (const std::exception& e) {
    EXPECT_NE(std::string(e.what()).find((file / "sub").string()), std::string::npos) << e.what();
  }
}
