#include "infra/LiveUserDirectory.h"

#include <system_error>
#include <utility>

namespace relais {

LiveUserDirectory::LiveUserDirectory() : directory_(std::make_shared<UserDirectory>()) {}

void LiveUserDirectory::watch(std::string path, Log log, std::chrono::milliseconds checkEvery) {
  auto loaded = std::make_shared<UserDirectory>(UserDirectory::Load(path));
  std::lock_guard<std::mutex> lock(mutex_);
  path_ = std::move(path);
  log_ = std::move(log);
  checkEvery_ = checkEvery;
  directory_ = std::move(loaded);
  seen_ = stampOf();
  nextCheck_ = std::chrono::steady_clock::now() + checkEvery_;
}

std::optional<LiveUserDirectory::Stamp> LiveUserDirectory::stampOf() const {
  std::error_code error;
  Stamp s;
  s.modified = std::filesystem::last_write_time(path_, error);
  if (error) return std::nullopt;
  s.size = std::filesystem::file_size(path_, error);
  if (error) return std::nullopt;
  return s;
}

std::shared_ptr<UserDirectory> LiveUserDirectory::current() const {
  std::lock_guard<std::mutex> lock(mutex_);
  const auto now = std::chrono::steady_clock::now();
  if (path_.empty() || now < nextCheck_) return directory_;
  nextCheck_ = now + checkEvery_;
  const auto stamp = stampOf();
  if (stamp == seen_) return directory_;
  seen_ = stamp;
  const std::string kept = "; keeping the " + std::to_string(directory_->users().size()) + " accounts loaded before";
  if (!stamp) {
    log_("Relais: users file " + path_ + " cannot be read" + kept);
    return directory_;
  }
  try {
    directory_ = std::make_shared<UserDirectory>(UserDirectory::Load(path_));
    log_("Relais: users file " + path_ + " reloaded: " + std::to_string(directory_->users().size()) + " accounts");
  } catch (const std::exception& e) {
    // ConfigError's message already names the file, the key and what was expected.
    log_(std::string("Relais: users file not reloaded: ") + e.what() + kept);
  }
  return directory_;
}

}  // namespace relais
