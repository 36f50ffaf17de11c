#pragma once
// The bytes of the upload sessions: one file per session, "<session id>.part", in the uploads
// folder. A piece is written where the committed offset says: the file is first cut back to
// that offset (bytes written before a crash but never committed go), the piece is written with
// pwrite, and fsync returns before the caller commits the new offset in the database.
//
// A Part holds an exclusive flock on its file for its lifetime: every writer of a session
// (HTTP threads, the sweep, and other processes or nodes sharing the folder) takes it first,
// so a stale or doubled request can never cut bytes another one has committed. Session ids are
// never reused, so a file removed while someone waited on it is never written again by mistake
// as long as the waiter re-reads its session row after locking.
//
// Disk full (ENOSPC, EDQUOT) is HttpError 507 "the hub's storage is full"; other I/O failures
// are std::runtime_error naming the file.
#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

namespace relais {

class UploadParts {
 public:
  // Creates the folder if missing (std::runtime_error naming it if it cannot).
  explicit UploadParts(std::filesystem::path directory);

  class Part {
   public:
    ~Part();
    Part(Part&& other) noexcept;
    Part(const Part&) = delete;
    Part& operator=(const Part&) = delete;
    Part& operator=(Part&&) = delete;

    // Cuts the file to `offset`, writes `bytes` there, and flushes it to disk.
    void writeAt(int64_t offset, const std::string& bytes);
    void truncate(int64_t length);
    int64_t length() const;
    // Lower-case hex SHA-256 of the first `size` bytes (all of them when the file is shorter).
    std::string sha256(int64_t size) const;
    std::string read(int64_t size) const;

   private:
    friend class UploadParts;
    Part(int fd, std::filesystem::path path) : fd_(fd), path_(std::move(path)) {}
    int fd_;
    std::filesystem::path path_;
  };

  // Opens (creating) the session's file and waits for its lock.
  Part lock(int64_t sessionId) const;
  // Removes the file (nothing if there is none). Call while holding its Part, or when no
  // session row names it any more.
  void remove(int64_t sessionId) const;
  // Session ids of the files present (for the sweep to find files no session owns).
  std::vector<int64_t> present() const;
  std::filesystem::path pathOf(int64_t sessionId) const;
  const std::filesystem::path& directory() const { return directory_; }

 private:
  std::filesystem::path directory_;
};

}  // namespace relais
