#include "relais/capture/StudyWriter.h"

#include <dcmtk/dcmdata/dcfilefo.h>
#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <fstream>

#include "relais/capture/CaptureError.h"
#include "relais/capture/DiskSpace.h"

namespace relais::capture {
namespace fs = std::filesystem;
namespace {

void flushToDisk(const fs::path& path, bool directory) {
  const int fd = ::open(path.c_str(), directory ? O_RDONLY | O_DIRECTORY : O_RDONLY);
  if (fd < 0) throw CaptureError("cannot open " + path.string() + ": " + std::strerror(errno));
  const int rc = ::fsync(fd);
  ::close(fd);
  if (rc != 0) throw CaptureError("cannot flush " + path.string() + " to disk: " + std::strerror(errno));
}

// Starts writing the file's pages to disk without waiting: while the other images of the
// session are prepared, the disk works, and commit()'s fsync mostly finds it done. Advisory.
void startWriteback(const fs::path& path) {
  const int fd = ::open(path.c_str(), O_RDONLY);
  if (fd < 0) return;
  ::sync_file_range(fd, 0, 0, SYNC_FILE_RANGE_WRITE);
  ::close(fd);
}

}  // namespace

StudyWriter::StudyWriter(fs::path folder, std::string disk) : folder_(std::move(folder)), disk_(std::move(disk)) {
  std::error_code error;
  for (fs::path p = folder_; !p.empty() && p != p.parent_path() && !fs::exists(p, error); p = p.parent_path()) {
    madeFolders_.push_back(p);
  }
  fs::create_directories(folder_, error);
  if (error || !fs::is_directory(folder_)) {
    throw CaptureError("cannot create the output folder " + folder_.string() + ": " + error.message());
  }
}

StudyWriter::~StudyWriter() {
  if (committed_) return;
  std::error_code ignored;
  for (const auto& [order, names] : staged_) fs::remove(names.first, ignored);
  for (const auto& made : madeFolders_) fs::remove(made, ignored);  // only if empty
}

void StudyWriter::stage(DicomObject& object, long order) {
  const fs::path final = folder_ / (object.sopInstanceUid + ".dcm");
  const fs::path temporary = folder_ / ("." + object.sopInstanceUid + ".dcm.part");
  {
    std::lock_guard<std::mutex> lock(mutex_);
    if (order < 0) order = next_;
    next_ = std::max(next_, order + 1);
    staged_.emplace(order, std::make_pair(temporary, final));
  }
  const auto syntax = static_cast<E_TransferSyntax>(object.transferSyntax);
  errno = 0;
  const OFCondition status =
      object.file->saveFile(temporary.c_str(), syntax, EET_ExplicitLength, EGL_recalcGL, EPD_noChange, 0, 0, EWM_fileformat);
  if (status.bad()) {
    const int error = errno;
    // The partial file goes first: the free space then measured is what the disk really has.
    std::error_code ignored;
    fs::remove(temporary, ignored);
    const std::uintmax_t bytes = object.file->calcElementLength(syntax, EET_ExplicitLength);
    if (outOfSpace(folder_, bytes, error)) throw CaptureError(diskFullMessage(disk_, folder_, bytes));
    throw CaptureError("cannot write " + temporary.string() + ": " + status.text());
  }
  startWriteback(temporary);
}

std::vector<fs::path> StudyWriter::commit() {
  std::lock_guard<std::mutex> lock(mutex_);
  // Every file is on disk before any of them gets its final name.
  for (const auto& [order, names] : staged_) flushToDisk(names.first, false);
  std::vector<fs::path> written;
  for (const auto& [order, names] : staged_) {
    const auto& [temporary, final] = names;
    std::error_code error;
    fs::rename(temporary, final, error);
    if (error) throw CaptureError("cannot rename " + temporary.string() + " to " + final.string() + ": " + error.message());
    written.push_back(final);
  }
  committed_ = true;
  flushToDisk(folder_, true);
  return written;
}

Bytes readInputFile(const fs::path& path) {
  std::error_code error;
  if (!fs::is_regular_file(path, error)) {
    throw CaptureError(path.string() + ": " + (fs::exists(path) ? "not a regular file" : "no such file"));
  }
  std::ifstream in(path, std::ios::binary);
  if (!in) throw CaptureError(path.string() + ": cannot open: " + std::strerror(errno));
  Bytes bytes(static_cast<std::size_t>(fs::file_size(path)));
  in.read(reinterpret_cast<char*>(bytes.data()), static_cast<std::streamsize>(bytes.size()));
  if (!in && !bytes.empty()) throw CaptureError(path.string() + ": read error");
  return bytes;
}

}  // namespace relais::capture
