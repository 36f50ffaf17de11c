#include "infra/DeclaredSenders.h"

#include "domain/ConfigError.h"

namespace relais {

std::vector<std::string> DeclaredDicomSenders(const nlohmann::json& orthanc, const std::string& file) {
  const auto open = orthanc.find("DicomAlwaysAllowStore");
  if (open == orthanc.end() || !open->is_boolean() || open->get<bool>()) {
    throw ConfigError(file, "DicomAlwaysAllowStore",
                      "false (Orthanc's default, true, lets any DICOM sender create cases; declare each modality "
                      "and unit that stores in DicomModalities instead)");
  }
  std::vector<std::string> aets;
  const auto modalities = orthanc.find("DicomModalities");
  if (modalities == orthanc.end()) return aets;
  if (!modalities->is_object()) throw ConfigError(file, "DicomModalities", "an object of named modalities");
  for (auto it = modalities->begin(); it != modalities->end(); ++it) {
    const std::string key = "DicomModalities." + it.key();
    const auto& m = it.value();
    // Orthanc's two forms: ["AET", "host", port] and {"AET": ..., "AllowStore": ...} (default true).
    if (m.is_array() && !m.empty() && m[0].is_string()) {
      aets.push_back(m[0].get<std::string>());
    } else if (m.is_object() && m.contains("AET") && m["AET"].is_string()) {
      if (m.value("AllowStore", true)) aets.push_back(m["AET"].get<std::string>());
    } else {
      throw ConfigError(file, key, "[\"AET\", \"host\", port] or {\"AET\": ..., \"Host\": ..., \"Port\": ...}");
    }
  }
  return aets;
}

}  // namespace relais
