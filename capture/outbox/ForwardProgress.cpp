#include "outbox/ForwardProgress.h"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <cmath>

namespace relais::outbox {

std::string FormatBytes(int64_t bytes) {
  char text[32];
  if (bytes < 1000) {
    std::snprintf(text, sizeof text, "%lld B", static_cast<long long>(bytes));
  } else if (bytes < 1000 * 1000) {
    std::snprintf(text, sizeof text, "%.1f KB", static_cast<double>(bytes) / 1e3);
  } else if (bytes < 1000LL * 1000 * 1000) {
    std::snprintf(text, sizeof text, "%.1f MB", static_cast<double>(bytes) / 1e6);
  } else {
    std::snprintf(text, sizeof text, "%.2f GB", static_cast<double>(bytes) / 1e9);
  }
  return text;
}

std::string FormatDuration(std::chrono::seconds seconds) {
  const long long s = std::max<long long>(0, seconds.count());
  char text[32];
  if (s < 60) {
    std::snprintf(text, sizeof text, "%lld s", s);
  } else if (s < 3600) {
    std::snprintf(text, sizeof text, "%lld min %02lld s", s / 60, s % 60);
  } else {
    std::snprintf(text, sizeof text, "%lld h %02lld min", s / 3600, (s % 3600) / 60);
  }
  return text;
}

namespace {

std::string ShortUid(const std::string& uid) {
  if (uid.size() <= 16) return uid;
  return uid.substr(0, 6) + "..." + uid.substr(uid.size() - 7);
}

std::string Details(const StudyProgress& p, bool words) {
  std::string text = std::to_string(p.sent) + "/" + std::to_string(p.total) + (words ? " instances, " : "  ") +
                     FormatBytes(p.bytesSent) + (words ? " of " : "/") + FormatBytes(p.bytesTotal);
  if (p.bytesPerSecond > 0) text += (words ? ", " : "  ") + FormatBytes(static_cast<int64_t>(p.bytesPerSecond)) + "/s";
  if (p.sent >= p.total) {
    text += words ? ", all sent" : "  done";
  } else if (p.timeLeft) {
    text += (words ? ", about " : "  ") + FormatDuration(*p.timeLeft) + " left";
  }
  return text;
}

}  // namespace

std::string RenderProgressBar(const StudyProgress& p, int width) {
  const std::string head = ShortUid(p.studyInstanceUid) + " ";
  const std::string tail = "  " + Details(p, false);
  const int barWidth = std::max(10, width - static_cast<int>(head.size() + tail.size()) - 2);
  const double fraction = p.bytesTotal > 0 ? std::clamp(static_cast<double>(p.bytesSent) / p.bytesTotal, 0.0, 1.0)
                                           : (p.total > 0 ? static_cast<double>(p.sent) / p.total : 0.0);
  const int filled = static_cast<int>(std::floor(fraction * barWidth));
  return head + "[" + std::string(filled, '#') + std::string(barWidth - filled, '.') + "]" + tail;
}

std::string RenderProgressLine(const StudyProgress& p) {
  return "study " + p.studyInstanceUid + ": " + Details(p, true);
}

TerminalProgress::TerminalProgress(std::FILE* out, int width) : out_(out), width_(width) {}

void TerminalProgress::update(const StudyProgress& progress) {
  std::lock_guard<std::mutex> lock(mutex_);
  const auto now = std::chrono::steady_clock::now();
  // Redrawing a few times a second is enough for the eye and keeps a slow console out of the
  // sending path.
  if (progress.studyInstanceUid == current_ && progress.sent < progress.total &&
      now - lastDraw_ < std::chrono::milliseconds(100)) {
    return;
  }
  if (!current_.empty() && progress.studyInstanceUid != current_) std::fputc('\n', out_);
  current_ = progress.studyInstanceUid;
  lastDraw_ = now;
  std::fprintf(out_, "\r%s", RenderProgressBar(progress, width_).c_str());
  std::fflush(out_);
}

void TerminalProgress::studyDone(const std::string& studyInstanceUid, const std::string& acknowledgement) {
  std::lock_guard<std::mutex> lock(mutex_);
  if (!current_.empty()) std::fputc('\n', out_);
  current_.clear();
  std::fprintf(out_, "study %s delivered; hub acknowledgement: %s\n", studyInstanceUid.c_str(),
               acknowledgement.c_str());
  std::fflush(out_);
}

void TerminalProgress::problem(const std::string& message) {
  std::lock_guard<std::mutex> lock(mutex_);
  if (!current_.empty()) std::fputc('\n', out_);
  current_.clear();
  std::fprintf(out_, "%s\n", message.c_str());
  std::fflush(out_);
}

LogProgress::LogProgress(std::chrono::milliseconds interval) : interval_(interval) {}

void LogProgress::update(const StudyProgress& progress) {
  std::lock_guard<std::mutex> lock(mutex_);
  const auto now = std::chrono::steady_clock::now();
  auto it = lastLine_.find(progress.studyInstanceUid);
  const bool finished = progress.sent >= progress.total;
  if (!finished && it != lastLine_.end() && now - it->second < interval_) return;
  lastLine_[progress.studyInstanceUid] = now;
  spdlog::info("{}", RenderProgressLine(progress));
}

void LogProgress::studyDone(const std::string& studyInstanceUid, const std::string& acknowledgement) {
  std::lock_guard<std::mutex> lock(mutex_);
  lastLine_.erase(studyInstanceUid);
  spdlog::info("study {} delivered; hub acknowledgement: {}", studyInstanceUid, acknowledgement);
}

void LogProgress::problem(const std::string& message) { spdlog::warn("{}", message); }

}  // namespace relais::outbox
