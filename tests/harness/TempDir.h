#pragma once
// A fresh directory under the system temp folder, removed with everything in it when the
// object goes away (unless RELAIS_KEEP_TEST_DIRS is set, to look at a failure afterwards).
#include <filesystem>
#include <string>

namespace relais::test {

class TempDir {
 public:
  explicit TempDir(const std::string& prefix = "relais-test");
  ~TempDir();
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;

  const std::filesystem::path& path() const { return path_; }
  std::filesystem::path operator/(const std::string& name) const { return path_ / name; }

 private:
  std::filesystem::path path_;
};

}  // namespace relais::test
