#pragma once
// The users file as it is now: an admin adds or removes an account and it takes effect within
// seconds, without restarting the hub. current() looks at the file's modification time and
// size at most every `checkEvery` (on the requests that ask, no thread of its own) and, when
// they changed, parses the file and swaps the new directory in at once; a request already
// holding the old one finishes with it. A file that no longer parses (or has gone) keeps the
// accounts loaded before, and `log` names the file and the problem once per change.
// The first load is strict: a broken file at start-up is a ConfigError (the hub refuses to
// load).
#include <chrono>
#include <filesystem>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>

#include "domain/User.h"
#include "infra/UserDirectory.h"

namespace relais {

class LiveUserDirectory {
 public:
  using Log = std::function<void(const std::string&)>;
  LiveUserDirectory();  // no users file: no accounts

  // Loads `path` now (throws ConfigError) and watches it from then on.
  void watch(std::string path, Log log, std::chrono::milliseconds checkEvery = std::chrono::seconds(2));

  std::shared_ptr<UserDirectory> current() const;
  std::optional<User> find(const std::string& name) const { return current()->find(name); }
  bool isKnownUnit(const std::string& unit) const { return current()->isKnownUnit(unit); }

 private:
  struct Stamp {
    std::filesystem::file_time_type modified{};
    std::uintmax_t size = 0;
    bool operator==(const Stamp& o) const { return modified == o.modified && size == o.size; }
  };
  std::optional<Stamp> stampOf() const;

  std::string path_;
  Log log_;
  std::chrono::milliseconds checkEvery_{0};
  mutable std::mutex mutex_;
  mutable std::shared_ptr<UserDirectory> directory_;
  mutable std::optional<Stamp> seen_;
  mutable std::chrono::steady_clock::time_point nextCheck_{};
};

}  // namespace relais
