#pragma once
// A configuration mistake, always reported the same way so an administrator can fix it from
// one log line: "<file>: <key>: expected <what>". The plugin refuses to start on it.
#include <stdexcept>
#include <string>

namespace relais {

class ConfigError : public std::runtime_error {
 public:
  ConfigError(const std::string& file, const std::string& key, const std::string& expected)
      : std::runtime_error(file + ": " + key + ": expected " + expected), file_(file), key_(key) {}
  const std::string& file() const { return file_; }
  const std::string& key() const { return key_; }

 private:
  std::string file_, key_;
};

}  // namespace relais
