#include "harness/ProcessMemory.h"

#include <fstream>

namespace relais::test {

long ProcessMemoryMiB(pid_t pid, const std::string& field) {
  std::ifstream status("/proc/" + std::to_string(pid) + "/status");
  const std::string prefix = field + ":";
  std::string line;
  while (std::getline(status, line)) {
    if (line.rfind(prefix, 0) == 0) return std::stol(line.substr(prefix.size())) / 1024;
  }
  return -1;
}

}  // namespace relais::test
