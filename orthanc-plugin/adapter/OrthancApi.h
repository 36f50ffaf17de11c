#pragma once
// Calls into Orthanc's own REST API from the plugin (RestApiGet/Post), with the memory buffer
// freed by RAII and JSON parsed. Not for use inside a change callback (Orthanc forbids it):
// the routing worker and REST handlers call it.
#include <optional>
#include <string>

#include <nlohmann/json.hpp>

namespace relais::adapter {

// nullopt if Orthanc answers an error (unknown resource...).
std::optional<nlohmann::json> TryGetJson(const std::string& uri);
// Throws std::runtime_error naming the URI on error.
nlohmann::json GetJson(const std::string& uri);
// The raw body (e.g. a metadata value), nullopt on error.
std::optional<std::string> TryGetText(const std::string& uri);
std::optional<nlohmann::json> TryPostJson(const std::string& uri, const std::string& body);

// Orthanc's answer to a POST, or why it refused: its error code and description.
struct OrthancAnswer {
  int errorCode = 0;  // OrthancPluginErrorCode; 0 = success
  std::string error;  // Orthanc's description of errorCode
  std::string body;
  bool ok() const { return errorCode == 0; }
};
OrthancAnswer Post(const std::string& uri, const std::string& body);

}  // namespace relais::adapter
