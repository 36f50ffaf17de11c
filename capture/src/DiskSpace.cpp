#include "relais/capture/DiskSpace.h"

#include <algorithm>
#include <cerrno>

namespace relais::capture {
namespace fs = std::filesystem;
namespace {

constexpr std::uintmax_t kMegabyte = 1024 * 1024;

std::uintmax_t available(const fs::path& folder) {
  std::error_code error;
  const fs::space_info space = fs::space(folder, error);
  return error ? 0 : space.available;
}

}  // namespace

bool outOfSpace(const fs::path& folder, std::uintmax_t bytes, int error) {
  return error == ENOSPC || error == EDQUOT || available(folder) < bytes;
}

std::string diskFullMessage(const std::string& disk, const fs::path& folder, std::uintmax_t bytes) {
  const std::uintmax_t free = available(folder);
  const std::uintmax_t missing = bytes > free ? bytes - free : 0;
  const std::uintmax_t neededMb = std::max<std::uintmax_t>(1, (missing + kMegabyte - 1) / kMegabyte);
  return (disk.empty() ? "the disk of " + folder.string() : disk) + " is full: free " + std::to_string(neededMb) +
         " MB needed (" + std::to_string(free / kMegabyte) + " MB free in " + folder.string() + ")";
}

}  // namespace relais::capture
