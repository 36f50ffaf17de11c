#include "domain/AssetPath.h"

#include <algorithm>
#include <map>

#include "domain/Router.h"

namespace relais {

std::optional<std::string> SafeAssetPath(const std::string& relative) {
  if (relative.empty()) return std::string("index.html");
  if (relative.front() == '/' || relative.find('\\') != std::string::npos ||
      relative.find('\0') != std::string::npos) {
    return std::nullopt;
  }
  for (const std::string& segment : SplitPath(relative)) {
    if (segment.empty() || segment.front() == '.' || segment.find('/') != std::string::npos) return std::nullopt;
  }
  std::string clean;
  for (const std::string& segment : SplitPath(relative)) clean += (clean.empty() ? "" : "/") + segment;
  if (clean.empty()) return std::string("index.html");
  return clean;
}

std::string AssetMimeType(const std::string& path) {
  static const std::map<std::string, std::string> types = {
      {"html", "text/html; charset=utf-8"},  {"js", "text/javascript; charset=utf-8"},
      {"mjs", "text/javascript; charset=utf-8"}, {"css", "text/css; charset=utf-8"},
      {"json", "application/json"},          {"svg", "image/svg+xml"},
      {"png", "image/png"},                  {"jpg", "image/jpeg"},
      {"ico", "image/x-icon"},               {"woff2", "font/woff2"},
      {"txt", "text/plain; charset=utf-8"},  {"webmanifest", "application/manifest+json"}};
  const size_t dot = path.rfind('.');
  if (dot == std::string::npos || path.find('/', dot) != std::string::npos) return "application/octet-stream";
  std::string ext = path.substr(dot + 1);
  std::transform(ext.begin(), ext.end(), ext.begin(), ::tolower);
  auto it = types.find(ext);
  return it == types.end() ? "application/octet-stream" : it->second;
}

}  // namespace relais
