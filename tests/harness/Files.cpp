#include "harness/Files.h"

#include <fstream>
#include <sstream>

namespace relais::test {

std::string ReadFile(const std::filesystem::path& file) {
  std::ifstream in(file, std::ios::binary);
  std::stringstream bytes;
  bytes << in.rdbuf();
  return bytes.str();
}

}  // namespace relais::test
