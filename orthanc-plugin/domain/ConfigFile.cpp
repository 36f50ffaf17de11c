#include "domain/ConfigFile.h"

#include <fstream>
#include <sstream>

#include "domain/ConfigError.h"

namespace relais {

nlohmann::json ReadJsonConfigFile(const std::string& path) {
  std::ifstream in(path);
  if (!in) throw ConfigError(path, "(file)", "a readable JSON file");
  std::stringstream text;
  text << in.rdbuf();
  try {
    return nlohmann::json::parse(text.str());
  } catch (const nlohmann::json::parse_error& e) {
    throw ConfigError(path, "(file)", std::string("valid JSON (") + e.what() + ")");
  }
}

}  // namespace relais
