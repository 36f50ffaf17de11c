#include "domain/report/ReportingConfiguration.h"

#include <stdexcept>

namespace relais::report {

namespace {

using nlohmann::json;

std::string Text(const json& object, const char* key, const std::string& where, const std::string& fallback) {
  auto it = object.find(key);
  if (it == object.end()) return fallback;
  if (!it->is_string() || it->get<std::string>().empty()) {
    throw std::invalid_argument(where + "." + key + ": expected a non-empty string");
  }
  return it->get<std::string>();
}

int Positive(const json& object, const char* key, const std::string& where, int fallback) {
  auto it = object.find(key);
  if (it == object.end()) return fallback;
  if (!it->is_number_integer() || it->get<int64_t>() < 1 || it->get<int64_t>() > 86400 * 7) {
    throw std::invalid_argument(where + "." + key + ": expected a positive integer");
  }
  return it->get<int>();
}

}  // namespace

ReportingConfiguration ReportingConfiguration::Parse(const json& orthanc, const std::string& file,
                                                     const std::string& defaultTemplatesDirectory) {
  ReportingConfiguration c;
  c.hubName = orthanc.value("Name", std::string("Relais"));
  const std::string storage = orthanc.value("StorageDirectory", std::string("OrthancStorage"));
  json relais = orthanc.value("Relais", json::object());
  if (relais.is_null()) relais = json::object();
  if (!relais.is_object()) throw std::invalid_argument(file + ": Relais: expected an object");
  const std::string where = file + ": Relais";
  c.templatesDirectory = Text(relais, "TemplatesDirectory", where, defaultTemplatesDirectory);
  c.storePath = Text(relais, "ReportStore", where, storage + "/relais-reports.db");
  if (relais.contains("PacsDestinations")) {
    const json& pacs = relais["PacsDestinations"];
    const std::string pw = where + ".PacsDestinations";
    if (!pacs.is_object()) throw std::invalid_argument(pw + ": expected an object");
    for (const auto& item : pacs.items()) {
      if (item.key() != "MaxAttempts" && item.key() != "RetrySeconds" && item.key() != "MaxRetrySeconds" &&
          item.key() != "PollMilliseconds") {
        throw std::invalid_argument(pw + "." + item.key() +
                                    ": unknown key (expected MaxAttempts, RetrySeconds, MaxRetrySeconds, "
                                    "PollMilliseconds)");
      }
    }
    c.retry.maxAttempts = Positive(pacs, "MaxAttempts", pw, c.retry.maxAttempts);
    c.retry.firstDelaySeconds = Positive(pacs, "RetrySeconds", pw, c.retry.firstDelaySeconds);
    c.retry.maxDelaySeconds = Positive(pacs, "MaxRetrySeconds", pw, c.retry.maxDelaySeconds);
    c.pollMilliseconds = Positive(pacs, "PollMilliseconds", pw, c.pollMilliseconds);
  }
  return c;
}

}  // namespace relais::report
