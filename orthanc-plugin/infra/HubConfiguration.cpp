#include "infra/HubConfiguration.h"

#include <filesystem>

#include "domain/ConfigError.h"

namespace relais {

namespace {

std::optional<std::string> OptionalPath(const nlohmann::json& section, const char* key, const std::string& file) {
  if (!section.contains(key)) return std::nullopt;
  const auto& v = section[key];
  if (!v.is_string() || v.get<std::string>().empty()) {
    throw ConfigError(file, std::string("Relais.") + key, "the path of a JSON file, as a string");
  }
  if (!std::filesystem::is_regular_file(v.get<std::string>())) {
    throw ConfigError(file, std::string("Relais.") + key, "an existing file, '" + v.get<std::string>() + "' is not one");
  }
  return v.get<std::string>();
}

int PositiveInt(const nlohmann::json& section, const char* key, int fallback, const std::string& file) {
  if (!section.contains(key)) return fallback;
  const auto& v = section[key];
  if (!v.is_number_integer() || v.get<int64_t>() <= 0 || v.get<int64_t>() > 100000000) {
    throw ConfigError(file, std::string("Relais.") + key, "a positive whole number of seconds");
  }
  return v.get<int>();
}

}  // namespace

HubConfiguration HubConfiguration::Parse(const nlohmann::json& orthanc, const std::string& file) {
  HubConfiguration c;
  nlohmann::json section = nlohmann::json::object();
  if (orthanc.contains("Relais")) {
    section = orthanc["Relais"];
    if (!section.is_object()) throw ConfigError(file, "Relais", "an object");
  }
  c.rulesFile = OptionalPath(section, "RulesFile", file);
  c.usersFile = OptionalPath(section, "UsersFile", file);
  c.claimLeaseSeconds = PositiveInt(section, "ClaimLeaseSeconds", c.claimLeaseSeconds, file);
  c.manifestWaitSeconds = PositiveInt(section, "ManifestWaitSeconds", c.manifestWaitSeconds, file);
  c.sweepSeconds = PositiveInt(section, "SweepSeconds", c.sweepSeconds, file);

  std::string storage = "OrthancStorage";  // Orthanc's own default
  if (orthanc.contains("StorageDirectory") && orthanc["StorageDirectory"].is_string()) {
    storage = orthanc["StorageDirectory"];
  }
  c.caseStorePath = (std::filesystem::path(storage) / "relais-cases.db").string();
  if (section.contains("CaseStore")) {
    const auto& store = section["CaseStore"];
    if (!store.is_object()) {
      throw ConfigError(file, "Relais.CaseStore",
                        "an object {\"Backend\": \"sqlite\", \"Path\": ...} or "
                        "{\"Backend\": \"postgresql\", \"Connection\": ...}");
    }
    if (store.contains("Backend")) {
      if (!store["Backend"].is_string() || (store["Backend"] != "sqlite" && store["Backend"] != "postgresql")) {
        throw ConfigError(file, "Relais.CaseStore.Backend", "\"sqlite\" or \"postgresql\"");
      }
      c.caseStoreBackend = store["Backend"];
    }
    if (store.contains("Path")) {
      if (!store["Path"].is_string() || store["Path"].get<std::string>().empty()) {
        throw ConfigError(file, "Relais.CaseStore.Path", "the path of the case database, as a string");
      }
      c.caseStorePath = store["Path"];
    }
    if (c.caseStoreBackend == "postgresql") {
      if (!store.contains("Connection") || !store["Connection"].is_string() ||
          store["Connection"].get<std::string>().empty()) {
        throw ConfigError(file, "Relais.CaseStore.Connection",
                          "a libpq connection string for the postgresql back end, e.g. "
                          "\"host=db.example dbname=relais user=relais\"");
      }
      c.caseStoreConnection = store["Connection"];
    }
  }
  return c;
}

}  // namespace relais
