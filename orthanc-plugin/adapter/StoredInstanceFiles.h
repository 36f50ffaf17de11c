#pragma once
// Reads an instance's DICOM file where Orthanc's own file-system storage keeps it
// (StorageDirectory/ab/cd/abcd…, named by the attachment's UUID), so that rendering a frame
// reads the header and that frame instead of having Orthanc load and parse the whole file.
// Files there are written once and never changed; an instance deleted meanwhile just fails
// to open. Used only when the file is there, uncompressed and of the size Orthanc recorded:
// with StorageCompression or a storage plugin, callers keep to Orthanc's REST API.
#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>

namespace relais::adapter {

struct StoredFileLocation {
  std::filesystem::path path;
  uint64_t size = 0;
};

class StoredInstanceFiles {
 public:
  // `storageDirectory` as in Orthanc's configuration; empty or relative: never located (a
  // relative path is Orthanc's to resolve against its configuration file, unknown here).
  explicit StoredInstanceFiles(std::filesystem::path storageDirectory);

  std::optional<StoredFileLocation> locate(const std::string& instanceId) const;

  // Up to `length` bytes from `offset` of the file (fewer at its end). Throws
  // std::runtime_error if the file cannot be opened or read.
  static std::string read(const std::filesystem::path& file, uint64_t offset, size_t length);

 private:
  std::filesystem::path storage_;
};

// A stored file open for reading, for the many reads of one rendering.
class OpenedStoredFile {
 public:
  // Throws std::runtime_error if the file cannot be opened.
  explicit OpenedStoredFile(const std::filesystem::path& file);
  ~OpenedStoredFile();
  OpenedStoredFile(const OpenedStoredFile&) = delete;
  OpenedStoredFile& operator=(const OpenedStoredFile&) = delete;

  // Up to `length` bytes from `offset` into `target` (fewer at the end of the file); returns
  // how many. Throws std::runtime_error on a read error.
  size_t readInto(uint64_t offset, size_t length, void* target) const;

 private:
  std::filesystem::path path_;
  int fd_;
};

// From Orthanc's configuration: StorageDirectory (relative to the configuration file, as
// Orthanc reads it; Orthanc's default "OrthancStorage" otherwise), and never with
// StorageCompression.
StoredInstanceFiles ConfiguredStoredInstanceFiles();

}  // namespace relais::adapter
