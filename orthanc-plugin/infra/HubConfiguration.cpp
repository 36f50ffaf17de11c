#include "infra/HubConfiguration.h"

#include <algorithm>
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

int PositiveInt(const nlohmann::json& section, const std::string& prefix, const char* key, int fallback,
                const std::string& file) {
  if (!section.contains(key)) return fallback;
  const auto& v = section[key];
  if (!v.is_number_integer() || v.get<int64_t>() <= 0 || v.get<int64_t>() > 100000000) {
    throw ConfigError(file, prefix + key, "a positive whole number of seconds");
  }
  return v.get<int>();
}

// Relais.Uploads: Directory, ExpireHours, UnitQuotaMB, MaxPieceBytes.
void ParseUploads(const nlohmann::json& section, const std::string& storage, const std::string& file,
                  HubConfiguration& c) {
  c.uploadsDirectory = (std::filesystem::path(storage) / "relais-uploads").string();
  if (!section.contains("Uploads")) return;
  const auto& u = section["Uploads"];
  if (!u.is_object()) {
    throw ConfigError(file, "Relais.Uploads",
                      "an object {\"Directory\": ..., \"ExpireHours\": 72, \"UnitQuotaMB\": 4096, "
                      "\"MaxPieceBytes\": 16777216}");
  }
  if (u.contains("Directory")) {
    if (!u["Directory"].is_string() || u["Directory"].get<std::string>().empty()) {
      throw ConfigError(file, "Relais.Uploads.Directory", "the folder of partial uploads, as a string");
    }
    c.uploadsDirectory = u["Directory"];
  }
  if (u.contains("ExpireHours")) {
    const auto& v = u["ExpireHours"];
    if (!v.is_number() || v.get<double>() <= 0 || v.get<double>() > 100000) {
      throw ConfigError(file, "Relais.Uploads.ExpireHours", "a positive number of hours (a fraction is allowed)");
    }
    c.uploads.expireSeconds = std::max<int64_t>(1, static_cast<int64_t>(v.get<double>() * 3600 + 0.5));
  }
  if (u.contains("UnitQuotaMB")) {
    const auto& v = u["UnitQuotaMB"];
    if (!v.is_number_integer() || v.get<int64_t>() <= 0 || v.get<int64_t>() > (int64_t{1} << 30)) {
      throw ConfigError(file, "Relais.Uploads.UnitQuotaMB", "a positive whole number of megabytes");
    }
    c.uploads.unitQuotaBytes = v.get<int64_t>() * 1024 * 1024;
  }
  if (u.contains("MaxPieceBytes")) {
    const auto& v = u["MaxPieceBytes"];
    if (!v.is_number_integer() || v.get<int64_t>() < 1024 || v.get<int64_t>() > (int64_t{1} << 31)) {
      throw ConfigError(file, "Relais.Uploads.MaxPieceBytes", "a whole number of bytes from 1024 to 2147483648");
    }
    c.uploads.maxPieceBytes = v.get<int64_t>();
  }
  if (u.contains("TestDelayBeforeStoreMs")) {
    const auto& v = u["TestDelayBeforeStoreMs"];
    if (!v.is_number_integer() || v.get<int64_t>() < 0 || v.get<int64_t>() > 600000) {
      throw ConfigError(file, "Relais.Uploads.TestDelayBeforeStoreMs", "a whole number of milliseconds (tests only)");
    }
    c.uploadsTestDelayBeforeStoreMs = v.get<int64_t>();
  }
}

int PositiveInt(const nlohmann::json& section, const char* key, int fallback, const std::string& file) {
  return PositiveInt(section, "Relais.", key, fallback, file);
}

// Relais.SignIn: every key a whole number within its bounds.
void ParseSignIn(const nlohmann::json& section, const std::string& file, SignInPolicy& p) {
  if (!section.contains("SignIn")) return;
  const auto& s = section["SignIn"];
  if (!s.is_object()) {
    throw ConfigError(file, "Relais.SignIn",
                      "an object {\"FreeFailures\": 3, \"LockAfterFailures\": 10, \"LockSeconds\": 900, ...}");
  }
  auto read = [&](const char* key, int& value, int low, int high, const char* unit) {
    if (!s.contains(key)) return;
    const auto& v = s[key];
    if (!v.is_number_integer() || v.get<int64_t>() < low || v.get<int64_t>() > high) {
      throw ConfigError(file, std::string("Relais.SignIn.") + key,
                        "a whole number of " + std::string(unit) + " from " + std::to_string(low) + " to " +
                            std::to_string(high));
    }
    value = v.get<int>();
  };
  read("FreeFailures", p.freeFailures, 0, 1000, "failures");
  read("FirstDelaySeconds", p.firstDelaySeconds, 1, 3600, "seconds");
  read("MaxDelaySeconds", p.maxDelaySeconds, 1, 86400, "seconds");
  read("LockAfterFailures", p.lockAfterFailures, 1, 100000, "failures");
  read("AddressLockAfterFailures", p.addressLockAfterFailures, 1, 1000000, "failures");
  read("LockSeconds", p.lockSeconds, 1, 7 * 86400, "seconds");
  read("PasswordChecksAtOnce", p.passwordChecksAtOnce, 1, 64, "checks");
  read("PasswordCheckWaitMs", p.passwordCheckWaitMs, 0, 60000, "milliseconds");
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
  c.reconcileSeconds = PositiveInt(section, "ReconcileSeconds", c.reconcileSeconds, file);
  c.stableAgeSeconds = PositiveInt(orthanc, "", "StableAge", c.stableAgeSeconds, file);

  std::string storage = "OrthancStorage";  // Orthanc's own default
  if (orthanc.contains("StorageDirectory") && orthanc["StorageDirectory"].is_string()) {
    storage = orthanc["StorageDirectory"];
  }
  c.storageDirectory = storage;
  c.caseStorePath = (std::filesystem::path(storage) / "relais-cases.db").string();
  ParseUploads(section, storage, file, c);
  c.bodies.pieceBytes = c.uploads.maxPieceBytes;
  if (section.contains("MaxInstanceBytes")) {
    const auto& v = section["MaxInstanceBytes"];
    if (!v.is_number_integer() || v.get<int64_t>() < 1024 || v.get<int64_t>() > (int64_t{1} << 40)) {
      throw ConfigError(file, "Relais.MaxInstanceBytes", "a whole number of bytes from 1024 to 1099511627776");
    }
    c.bodies.instanceBytes = v.get<int64_t>();
  }
  ParseSignIn(section, file, c.signIn);
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
