#pragma once
// Reads a JSON configuration file; an unreadable or malformed file is a ConfigError naming it.
#include <string>

#include <nlohmann/json.hpp>

namespace relais {
nlohmann::json ReadJsonConfigFile(const std::string& path);
}
