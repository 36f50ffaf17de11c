#include "adapter/StoredInstanceFiles.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <stdexcept>
#include <system_error>

#include <nlohmann/json.hpp>

#include "adapter/OrthancContext.h"

namespace relais::adapter {

namespace {

std::optional<nlohmann::json> AttachmentInfo(const std::string& instanceId) {
  OrthancPluginMemoryBuffer buffer{};
  const std::string uri = "/instances/" + instanceId + "/attachments/dicom/info";
  if (OrthancPluginRestApiGet(Context(), &buffer, uri.c_str()) != OrthancPluginErrorCode_Success) return std::nullopt;
  std::string body(static_cast<const char*>(buffer.data), buffer.size);
  OrthancPluginFreeMemoryBuffer(Context(), &buffer);
  auto info = nlohmann::json::parse(body, nullptr, false);
  if (info.is_discarded() || !info.is_object()) return std::nullopt;
  return info;
}

}  // namespace

StoredInstanceFiles::StoredInstanceFiles(std::filesystem::path storageDirectory)
    : storage_(std::move(storageDirectory)) {}

std::optional<StoredFileLocation> StoredInstanceFiles::locate(const std::string& instanceId) const {
  if (storage_.empty() || storage_.is_relative()) return std::nullopt;
  const auto info = AttachmentInfo(instanceId);
  if (!info) return std::nullopt;
  const std::string uuid = info->value("Uuid", std::string());
  const uint64_t compressed = info->value("CompressedSize", uint64_t{0});
  const uint64_t uncompressed = info->value("UncompressedSize", uint64_t{1});
  if (uuid.size() < 4 || compressed != uncompressed) return std::nullopt;

  StoredFileLocation location{storage_ / uuid.substr(0, 2) / uuid.substr(2, 2) / uuid, 0};
  std::error_code error;
  location.size = std::filesystem::file_size(location.path, error);
  if (error || location.size != uncompressed) return std::nullopt;
  return location;
}

std::string StoredInstanceFiles::read(const std::filesystem::path& file, uint64_t offset, size_t length) {
  std::string bytes(length, '\0');
  bytes.resize(OpenedStoredFile(file).readInto(offset, length, bytes.data()));
  return bytes;
}

OpenedStoredFile::OpenedStoredFile(const std::filesystem::path& file)
    : path_(file), fd_(::open(file.c_str(), O_RDONLY | O_CLOEXEC)) {
  if (fd_ < 0) throw std::runtime_error("cannot open " + file.string() + ": " + std::strerror(errno));
}

OpenedStoredFile::~OpenedStoredFile() { ::close(fd_); }

size_t OpenedStoredFile::readInto(uint64_t offset, size_t length, void* target) const {
  auto* out = static_cast<char*>(target);
  size_t done = 0;
  while (done < length) {
    const ssize_t got = ::pread(fd_, out + done, length - done, static_cast<off_t>(offset + done));
    if (got < 0) {
      if (errno == EINTR) continue;
      throw std::runtime_error("cannot read " + path_.string() + ": " + std::strerror(errno));
    }
    if (got == 0) break;
    done += static_cast<size_t>(got);
  }
  return done;
}

StoredInstanceFiles ConfiguredStoredInstanceFiles() {
  OrthancPluginContext* c = Context();
  char* text = OrthancPluginGetConfiguration(c);
  const nlohmann::json config = nlohmann::json::parse(text ? text : "{}", nullptr, false);
  if (text) OrthancPluginFreeString(c, text);
  if (!config.is_object() || config.value("StorageCompression", false)) return StoredInstanceFiles({});
  std::filesystem::path storage = "OrthancStorage";
  if (config.contains("StorageDirectory") && config["StorageDirectory"].is_string()) {
    storage = config["StorageDirectory"].get<std::string>();
  }
  if (storage.is_relative()) {
    char* where = OrthancPluginGetConfigurationPath(c);
    std::filesystem::path base = where ? where : "";
    if (where) OrthancPluginFreeString(c, where);
    if (base.empty()) return StoredInstanceFiles({});
    if (!std::filesystem::is_directory(base)) base = base.parent_path();
    storage = std::filesystem::absolute(base / storage);
  }
  return StoredInstanceFiles(storage);
}

}  // namespace relais::adapter
