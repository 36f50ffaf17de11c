#include "outbox/DiskFlush.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <string>

#include "outbox/OutboxError.h"

namespace relais::outbox {

namespace {

void Flush(const std::filesystem::path& path, int openFlags) {
  const int fd = ::open(path.c_str(), openFlags);
  if (fd < 0) throw OutboxError("cannot open " + path.string() + ": " + std::strerror(errno));
  const int rc = ::fsync(fd);
  ::close(fd);
  if (rc != 0) throw OutboxError("cannot flush " + path.string() + " to disk: " + std::strerror(errno));
}

}  // namespace

void FlushFileToDisk(const std::filesystem::path& file) { Flush(file, O_RDONLY); }

void FlushFolderToDisk(const std::filesystem::path& folder) { Flush(folder, O_RDONLY | O_DIRECTORY); }

}  // namespace relais::outbox
