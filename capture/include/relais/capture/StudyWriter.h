#pragma once
// Writes the objects of one capture session into a folder so that a reader (the outbox, a
// nurse's file browser, a crash) never sees half a study or half a file: each object is
// written to a hidden temporary name (its write-back to disk started at once); commit()
// flushes them all, renames them to <SOP Instance UID>.dcm and flushes the folder. If the
// session fails before commit, the destructor removes every temporary file, and the folders
// it made when they are empty. A write that fails for want of space says so (DiskSpace.h).
#include <filesystem>
#include <map>
#include <mutex>
#include <string>
#include <utility>
#include <vector>

#include "relais/capture/DicomHeader.h"

namespace relais::capture {

class StudyWriter {
 public:
  // `disk` names the folder's disk in a "disk full" message ("the outbox's disk"); empty:
  // "the disk of <folder>".
  explicit StudyWriter(std::filesystem::path folder, std::string disk = "");
  ~StudyWriter();
  StudyWriter(const StudyWriter&) = delete;
  StudyWriter& operator=(const StudyWriter&) = delete;

  // Writes the object to its temporary name; throws CaptureError on failure. Thread-safe;
  // `order` fixes the object's place in commit()'s list (default: after all staged so far).
  void stage(DicomObject& object, long order = -1);
  // Renames every staged file to its final name; returns the final paths in staging order.
  std::vector<std::filesystem::path> commit();

 private:
  std::filesystem::path folder_;
  std::string disk_;
  std::vector<std::filesystem::path> madeFolders_;  // deepest first
  std::mutex mutex_;
  std::map<long, std::pair<std::filesystem::path, std::filesystem::path>> staged_;  // order -> temp, final
  long next_ = 0;
  bool committed_ = false;
};

// Reads a whole input file; throws CaptureError naming the path when it cannot.
Bytes readInputFile(const std::filesystem::path& path);

}  // namespace relais::capture
