#pragma once
// What a nurse sees while studies leave: on a terminal, one progress bar per study (bytes,
// rate, time left) rewritten in place; in a log (service, pipe), a plain line every few
// seconds and when a study is done. The line formatting is pure and unit-tested.
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <map>
#include <mutex>
#include <optional>
#include <string>

namespace relais::outbox {

struct StudyProgress {
  std::string studyInstanceUid;
  int sent = 0;
  int total = 0;
  int64_t bytesSent = 0;
  int64_t bytesTotal = 0;
  double bytesPerSecond = 0;                   // over this run
  std::optional<std::chrono::seconds> timeLeft;
};

class ForwardProgress {
 public:
  virtual ~ForwardProgress() = default;
  virtual void update(const StudyProgress& progress) = 0;
  virtual void studyDone(const std::string& studyInstanceUid, const std::string& acknowledgement) = 0;
  virtual void problem(const std::string& message) = 0;
};

std::string FormatBytes(int64_t bytes);                    // "512 B", "4.2 KB", "13.0 MB"
std::string FormatDuration(std::chrono::seconds seconds);  // "42 s", "3 min 05 s", "2 h 10 min"
// "1.2.3…45 [#######.....]  12/200  1.3 MB/4.0 MB  850 KB/s  3 s left" in `width` columns.
std::string RenderProgressBar(const StudyProgress& p, int width);
// "study 1.2.3.45: 12/200 instances, 1.3 MB of 4.0 MB, 850 KB/s, about 3 s left"
std::string RenderProgressLine(const StudyProgress& p);

// A bar per study on a terminal (stderr), rewritten in place with a carriage return.
class TerminalProgress : public ForwardProgress {
 public:
  explicit TerminalProgress(std::FILE* out = stderr, int width = 100);
  void update(const StudyProgress& progress) override;
  void studyDone(const std::string& studyInstanceUid, const std::string& acknowledgement) override;
  void problem(const std::string& message) override;

 private:
  std::FILE* out_;
  int width_;
  std::mutex mutex_;
  std::string current_;
  std::chrono::steady_clock::time_point lastDraw_{};
};

// Plain lines (through spdlog) at most every `interval` per study, and on completion.
class LogProgress : public ForwardProgress {
 public:
  explicit LogProgress(std::chrono::milliseconds interval = std::chrono::seconds(2));
  void update(const StudyProgress& progress) override;
  void studyDone(const std::string& studyInstanceUid, const std::string& acknowledgement) override;
  void problem(const std::string& message) override;

 private:
  std::chrono::milliseconds interval_;
  std::mutex mutex_;
  std::map<std::string, std::chrono::steady_clock::time_point> lastLine_;
};

}  // namespace relais::outbox
