#include "outbox/HttpTransport.h"

#include <fstream>
#include <iterator>

#include <nlohmann/json.hpp>

namespace relais::outbox {

namespace {

std::string Excerpt(const std::string& body) {
  std::string text = body.substr(0, 300);
  for (char& c : text) {
    if (c == '\n' || c == '\r') c = ' ';
  }
  return text;
}

// Statuses that say "not now" rather than "never": the hub is overloaded, restarting, behind
// a proxy that lost it, or the unit account is (temporarily) not accepted.
bool IsTransient(int status) {
  return status >= 500 || status == 408 || status == 429 || status == 401 || status == 403 || status == 404;
}

std::string Explain(int status, const std::string& body) {
  std::string what = "HTTP " + std::to_string(status);
  if (status == 401) what += " (the hub does not accept this unit account: check user and password)";
  // Orthanc's own routes (POST /instances) answer a wrong password with 403, not 401: the
  // filter that checks accounts there can only refuse.
  if (status == 403) what += " (refused: check the unit's user and password, or the account may not do this)";
  return what + ": " + Excerpt(body);
}

}  // namespace

HttpTransport::HttpTransport(HubSettings settings, bool postManifest)
    : hub_(std::move(settings)), postManifest_(postManifest) {}

std::string HttpTransport::destination() const { return hub_.settings().url; }

SendOutcome HttpTransport::ClassifyInstanceAnswer(int status, const std::string& body) {
  if (status == 200) {
    nlohmann::json answer = nlohmann::json::parse(body, nullptr, false);
    if (answer.is_object() && answer.contains("Status") && answer["Status"].is_string()) {
      const std::string s = answer["Status"];
      if (s == "Success" || s == "AlreadyStored") {
        return SendOutcome::stored(s + " " + answer.value("ID", std::string()));
      }
      // "FilteredOut": a filter on the hub decided against this instance; sending it again
      // will not change that.
      return SendOutcome::refused("the hub did not store it (Status " + s + ")");
    }
    return SendOutcome::retry("the hub answered 200 without a storage status: " + Excerpt(body));
  }
  if (IsTransient(status)) return SendOutcome::retry(Explain(status, body));
  return SendOutcome::refused("the hub refused it: " + Explain(status, body));
}

SendOutcome HttpTransport::ClassifyManifestAnswer(int status, const std::string& body) {
  if (status == 200 || status == 201) {
    nlohmann::json answer = nlohmann::json::parse(body, nullptr, false);
    if (answer.is_object()) return SendOutcome::stored(answer.dump());
    return SendOutcome::retry("the hub acknowledged the manifest with something that is not JSON: " + Excerpt(body));
  }
  if (IsTransient(status)) return SendOutcome::retry("manifest: " + Explain(status, body));
  return SendOutcome::refused("the hub refused the manifest: " + Explain(status, body));
}

SendOutcome HttpTransport::send(const PendingInstance& instance) {
  std::ifstream in(instance.file, std::ios::binary);
  if (!in) return SendOutcome::refused("the outbox copy " + instance.file.string() + " cannot be read");
  std::vector<unsigned char> bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  try {
    HubAnswer answer = hub_.request("POST", "/instances", std::move(bytes), "application/dicom");
    return ClassifyInstanceAnswer(answer.status, answer.body);
  } catch (const HubUnreachable& e) {
    return SendOutcome::retry(e.what());
  }
}

SendOutcome HttpTransport::completeStudy(const ManifestDue& study) {
  if (!postManifest_) return SendOutcome::stored(R"({"manifest":"not used with this receiver"})");
  nlohmann::json manifest = {{"instances", study.sopInstanceUids}, {"priority", PriorityName(study.priority)}};
  try {
    HubAnswer answer = hub_.postJson("/relais/v1/studies/" + study.studyInstanceUid + "/manifest", manifest);
    return ClassifyManifestAnswer(answer.status, answer.body);
  } catch (const HubUnreachable& e) {
    return SendOutcome::retry(e.what());
  }
}

}  // namespace relais::outbox
