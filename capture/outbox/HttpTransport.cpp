#include "outbox/HttpTransport.h"

#include <fstream>
#include <iterator>

#include <nlohmann/json.hpp>

#include "outbox/ResumableUpload.h"
#include "outbox/Sha256.h"
#include "outbox/UploadChannel.h"

namespace relais::outbox {

namespace {

// Statuses that say "not now" rather than "never": the hub is overloaded, restarting, or
// behind a proxy that lost it.
bool IsTransient(int status) { return status >= 500 || status == 408 || status == 429 || status == 404; }

// Orthanc's own routes (POST /instances) answer a wrong password with 403, not 401: the
// filter that checks accounts there can only refuse. Either way the account is refused.
bool IsAccountRefused(int status) { return status == 401 || status == 403; }

std::string Explain(int status, const std::string& body) {
  std::string what = "HTTP " + std::to_string(status);
  const std::string excerpt = Excerpt(body);
  return excerpt.empty() ? what : what + ": " + excerpt;
}

}  // namespace

HttpTransport::HttpTransport(HubSettings settings, bool postManifest, std::string configFile)
    : hub_(std::move(settings)), postManifest_(postManifest), configFile_(std::move(configFile)) {}

std::string HttpTransport::destination() const { return hub_.settings().url; }

std::string HttpTransport::accountFingerprint() const { return AccountFingerprint(hub_.settings()); }

std::string HttpTransport::AccountFingerprint(const HubSettings& s) {
  return Sha256Hex(s.url + "\n" + s.user + "\n" + s.password);
}

std::string HttpTransport::AccountRefusal(const std::string& user, const std::string& configFile, int status) {
  const std::string reason = status == 401 ? "401 Unauthorized" : status == 403 ? "403 Forbidden" : std::to_string(status);
  const std::string where = configFile.empty() ? "the unit's configuration" : configFile;
  return "the hub refused the unit's account " + (user.empty() ? std::string("(none)") : user) + " (" + reason +
         "): check user and passwordFile in " + where;
}

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
  if (IsAccountRefused(status)) return SendOutcome::accountRefused(std::to_string(status));
  if (IsTransient(status)) return SendOutcome::retry(Explain(status, body));
  return SendOutcome::refused("the hub refused it: " + Explain(status, body));
}

SendOutcome HttpTransport::ClassifyManifestAnswer(int status, const std::string& body) {
  if (status == 200 || status == 201) {
    nlohmann::json answer = nlohmann::json::parse(body, nullptr, false);
    if (answer.is_object()) return SendOutcome::stored(answer.dump());
    return SendOutcome::retry("the hub acknowledged the manifest with something that is not JSON: " + Excerpt(body));
  }
  if (IsAccountRefused(status)) return SendOutcome::accountRefused(std::to_string(status));
  if (IsTransient(status)) return SendOutcome::retry("manifest: " + Explain(status, body));
  return SendOutcome::refused("the hub refused the manifest: " + Explain(status, body));
}

SendOutcome HttpTransport::send(const PendingInstance& instance) { return send(instance, SendHooks{}); }

SendOutcome HttpTransport::send(const PendingInstance& instance, const SendHooks& hooks) {
  SendOutcome outcome;
  if (!postManifest_) {
    outcome = postInstance(instance);
  } else {
    UploadFile file{instance.sopInstanceUid, instance.file, instance.bytes, {}};
    try {
      file.sha256 = FileSha256Hex(instance.file);
      file.size = static_cast<int64_t>(std::filesystem::file_size(instance.file));
    } catch (const std::exception&) {
      return SendOutcome::refused("the outbox copy " + instance.file.string() + " cannot be read");
    }
    HubUploadChannel channel(hub_);
    ResumableUpload upload(channel, sizer_);
    outcome = upload.send(file, hooks);
    if (upload.noUploadRoute()) outcome = postInstance(instance);  // a hub older than the upload routes
  }
  if (outcome.kind == SendOutcome::Kind::AccountRefused) {
    outcome.detail = AccountRefusal(hub_.settings().user, configFile_, std::stoi(outcome.detail));
  }
  return outcome;
}

SendOutcome HttpTransport::postInstance(const PendingInstance& instance) {
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
    SendOutcome outcome = ClassifyManifestAnswer(answer.status, answer.body);
    if (outcome.kind == SendOutcome::Kind::AccountRefused) outcome.detail = AccountRefusal(hub_.settings().user, configFile_, answer.status);
    return outcome;
  } catch (const HubUnreachable& e) {
    return SendOutcome::retry(e.what());
  }
}

}  // namespace relais::outbox
