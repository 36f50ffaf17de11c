#include "infra/UploadParts.h"

#include <fcntl.h>
#include <sodium.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <stdexcept>

#include "domain/HttpError.h"

namespace relais {

namespace {

[[noreturn]] void Fail(const std::string& what, const std::filesystem::path& path, int error) {
  if (error == ENOSPC || error == EDQUOT) {
    throw HttpError(507, "the hub's storage is full");
  }
  throw std::runtime_error("cannot " + what + " " + path.string() + ": " + std::strerror(error));
}

void SyncDirectory(const std::filesystem::path& directory) {
  const int fd = ::open(directory.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0) return;
  ::fsync(fd);
  ::close(fd);
}

}  // namespace

UploadParts::UploadParts(std::filesystem::path directory) : directory_(std::move(directory)) {
  std::error_code error;
  std::filesystem::create_directories(directory_, error);
  if (error || !std::filesystem::is_directory(directory_)) {
    throw std::runtime_error("cannot create the uploads folder " + directory_.string() + ": " + error.message());
  }
  if (sodium_init() < 0) throw std::runtime_error("libsodium cannot be initialised");
}

std::filesystem::path UploadParts::pathOf(int64_t sessionId) const {
  return directory_ / (std::to_string(sessionId) + ".part");
}

UploadParts::Part UploadParts::lock(int64_t sessionId) const {
  const auto path = pathOf(sessionId);
  bool created = true;
  int fd = ::open(path.c_str(), O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC, 0640);
  if (fd < 0 && errno == EEXIST) {
    created = false;
    fd = ::open(path.c_str(), O_RDWR | O_CLOEXEC);
  }
  if (fd < 0) Fail("open", path, errno);
  // The new file's name must survive a power cut before any offset is committed for it.
  if (created) SyncDirectory(directory_);
  while (::flock(fd, LOCK_EX) != 0) {
    if (errno == EINTR) continue;
    const int error = errno;
    ::close(fd);
    Fail("lock", path, error);
  }
  return Part(fd, path);
}

void UploadParts::remove(int64_t sessionId) const {
  const auto path = pathOf(sessionId);
  if (::unlink(path.c_str()) != 0 && errno != ENOENT) Fail("remove", path, errno);
}

std::vector<int64_t> UploadParts::present() const {
  std::vector<int64_t> ids;
  std::error_code error;
  for (const auto& entry : std::filesystem::directory_iterator(directory_, error)) {
    if (entry.path().extension() != ".part") continue;
    const std::string stem = entry.path().stem().string();
    if (stem.empty() || stem.find_first_not_of("0123456789") != std::string::npos || stem.size() > 18) continue;
    ids.push_back(std::stoll(stem));
  }
  return ids;
}

UploadParts::Part::~Part() {
  if (fd_ >= 0) ::close(fd_);  // closing releases the flock
}

UploadParts::Part::Part(Part&& other) noexcept : fd_(other.fd_), path_(std::move(other.path_)) { other.fd_ = -1; }

void UploadParts::Part::truncate(int64_t length) {
  if (::ftruncate(fd_, length) != 0) Fail("truncate", path_, errno);
}

void UploadParts::Part::writeAt(int64_t offset, const std::string& bytes) {
  // Only ever cut: a file shorter than its committed offset has lost bytes, which the hash
  // check at the end finds; zeros added here would only hide where.
  if (length() > offset) truncate(offset);
  size_t done = 0;
  while (done < bytes.size()) {
    const ssize_t n = ::pwrite(fd_, bytes.data() + done, bytes.size() - done, offset + static_cast<int64_t>(done));
    if (n < 0) {
      if (errno == EINTR) continue;
      const int error = errno;
      if (length() > offset) ::ftruncate(fd_, offset);  // leave no half piece behind, even uncommitted
      Fail("write", path_, error);
    }
    done += static_cast<size_t>(n);
  }
  if (::fdatasync(fd_) != 0) {
    const int error = errno;
    if (length() > offset) ::ftruncate(fd_, offset);
    Fail("flush", path_, error);
  }
}

int64_t UploadParts::Part::length() const {
  struct stat st {};
  if (::fstat(fd_, &st) != 0) Fail("read the size of", path_, errno);
  return st.st_size;
}

std::string UploadParts::Part::read(int64_t size) const {
  std::string out(static_cast<size_t>(std::min(size, length())), '\0');
  size_t done = 0;
  while (done < out.size()) {
    const ssize_t n = ::pread(fd_, out.data() + done, out.size() - done, static_cast<off_t>(done));
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) Fail("read", path_, errno);
    if (n == 0) break;
    done += static_cast<size_t>(n);
  }
  out.resize(done);
  return out;
}

std::string UploadParts::Part::sha256(int64_t size) const {
  crypto_hash_sha256_state state;
  crypto_hash_sha256_init(&state);
  std::string chunk(1 << 20, '\0');
  int64_t position = 0;
  const int64_t end = std::min(size, length());
  while (position < end) {
    const size_t want = static_cast<size_t>(std::min<int64_t>(static_cast<int64_t>(chunk.size()), end - position));
    const ssize_t n = ::pread(fd_, chunk.data(), want, position);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) Fail("read", path_, errno);
    if (n == 0) break;
    crypto_hash_sha256_update(&state, reinterpret_cast<const unsigned char*>(chunk.data()), static_cast<size_t>(n));
    position += n;
  }
  unsigned char digest[crypto_hash_sha256_BYTES];
  crypto_hash_sha256_final(&state, digest);
  char hex[crypto_hash_sha256_BYTES * 2 + 1];
  sodium_bin2hex(hex, sizeof hex, digest, sizeof digest);
  return hex;
}

}  // namespace relais
