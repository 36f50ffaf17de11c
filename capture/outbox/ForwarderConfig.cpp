#include "outbox/ForwarderConfig.h"

#include <fstream>
#include <sstream>

#include <nlohmann/json.hpp>

#include "outbox/OutboxError.h"

namespace relais::outbox {

namespace {

using nlohmann::json;

class Reader {
 public:
  Reader(std::filesystem::path file, const json& root) : file_(std::move(file)), root_(root) {}

  [[noreturn]] void fail(const std::string& key, const std::string& expected) const {
    throw OutboxError(file_.string() + ": key \"" + key + "\": expected " + expected);
  }

  const json* find(const std::string& key) const {
    const json* node = &root_;
    std::stringstream path(key);
    std::string part;
    while (std::getline(path, part, '.')) {
      if (!node->is_object()) fail(key, "an object around it");
      auto it = node->find(part);
      if (it == node->end()) return nullptr;
      node = &*it;
    }
    return node;
  }

  std::string text(const std::string& key, const std::string& fallback, const std::string& expected) const {
    const json* v = find(key);
    if (v == nullptr) return fallback;
    if (!v->is_string()) fail(key, expected);
    return *v;
  }

  std::string requiredText(const std::string& key, const std::string& expected) const {
    const json* v = find(key);
    if (v == nullptr || !v->is_string() || v->get<std::string>().empty()) fail(key, expected);
    return *v;
  }

  double number(const std::string& key, double fallback, double min, double max) const {
    const json* v = find(key);
    if (v == nullptr) return fallback;
    if (!v->is_number() || v->get<double>() < min || v->get<double>() > max) {
      fail(key, "a number from " + Format(min) + " to " + Format(max));
    }
    return *v;
  }

  bool boolean(const std::string& key, bool fallback) const {
    const json* v = find(key);
    if (v == nullptr) return fallback;
    if (!v->is_boolean()) fail(key, "true or false");
    return *v;
  }

  std::filesystem::path path(const std::string& key, const std::string& expected, bool required) const {
    const std::string value = required ? requiredText(key, expected) : text(key, "", expected);
    if (value.empty()) return {};
    std::filesystem::path p(value);
    // Relative paths are relative to the configuration file, not to wherever the service starts.
    return p.is_absolute() ? p : file_.parent_path() / p;
  }

 private:
  static std::string Format(double v) {
    std::ostringstream s;
    s << v;
    return s.str();
  }
  std::filesystem::path file_;
  const json& root_;
};

}  // namespace

namespace {

json ReadConfigFile(const std::filesystem::path& file) {
  std::ifstream in(file);
  if (!in) throw OutboxError("cannot read the configuration file " + file.string());
  json root;
  try {
    root = json::parse(in);
  } catch (const json::parse_error& e) {
    throw OutboxError(file.string() + ": not valid JSON (" + e.what() + ")");
  }
  if (!root.is_object()) throw OutboxError(file.string() + ": expected a JSON object at the top");
  return root;
}

std::filesystem::path OutboxKey(const Reader& r) {
  return r.path("outbox", "the outbox folder, e.g. \"/var/lib/relais/outbox\"", true);
}

}  // namespace

std::filesystem::path ForwarderConfig::OutboxOf(const std::filesystem::path& file) {
  const json root = ReadConfigFile(file);
  return OutboxKey(Reader(file, root));
}

ForwarderConfig ForwarderConfig::Load(const std::filesystem::path& file) {
  const json root = ReadConfigFile(file);
  Reader r(file, root);
  ForwarderConfig c;
  c.file = file;
  c.outbox = OutboxKey(r);
  c.transport = r.text("transport", "http", "\"http\" or \"dicom\"");
  if (c.transport != "http" && c.transport != "dicom") r.fail("transport", "\"http\" or \"dicom\"");
  if (c.transport == "http" || r.find("hub") != nullptr) {
    c.hub.url = r.requiredText("hub.url", "the hub address, e.g. \"https://hub.example.org:8042\"");
    if (c.hub.url.rfind("https://", 0) != 0 && c.hub.url.rfind("http://", 0) != 0) {
      r.fail("hub.url", "an address starting with https:// (or http:// on a trusted network)");
    }
    while (!c.hub.url.empty() && c.hub.url.back() == '/') c.hub.url.pop_back();
    c.hub.user = r.text("hub.user", "", "the unit account name, e.g. \"unit07\"");
    c.hub.password = r.text("hub.password", "", "the unit account password");
    const auto passwordFile = r.path("hub.passwordFile", "a file holding the password", false);
    if (!passwordFile.empty()) {
      std::ifstream p(passwordFile);
      if (!p || !std::getline(p, c.hub.password)) r.fail("hub.passwordFile", "a readable file holding the password");
    }
    c.hub.caFile = r.path("hub.caFile", "a PEM file with the hub's certificate authority", false).string();
    if (!c.hub.caFile.empty() && !std::filesystem::exists(c.hub.caFile)) {
      r.fail("hub.caFile", "an existing PEM file (" + c.hub.caFile + " does not exist)");
    }
    c.hub.timeout = std::chrono::seconds(static_cast<int>(r.number("hub.timeoutSeconds", 60, 1, 3600)));
    c.postManifest = r.boolean("hub.manifest", true);
  }
  if (c.transport == "dicom") {
    c.dicom.host = r.requiredText("dicom.host", "the storage SCP's host name or address");
    c.dicom.port = static_cast<uint16_t>(r.number("dicom.port", 104, 1, 65535));
    c.dicom.calledAet = r.requiredText("dicom.calledAet", "the storage SCP's AE title (at most 16 characters)");
    c.dicom.callingAet = r.text("dicom.callingAet", "RELAIS", "this unit's AE title (at most 16 characters)");
    if (c.dicom.calledAet.size() > 16) r.fail("dicom.calledAet", "at most 16 characters");
    if (c.dicom.callingAet.size() > 16 || c.dicom.callingAet.empty()) r.fail("dicom.callingAet", "1 to 16 characters");
  }
  c.concurrency = static_cast<int>(r.number("concurrency", 4, 1, 32));
  c.bandwidthBytesPerSecond = static_cast<int64_t>(r.number("bandwidthKBps", 0, 0, 1e7) * 1000);
  c.retry.initialDelay = std::chrono::milliseconds(static_cast<int64_t>(r.number("retry.initialSeconds", 2, 0.01, 3600) * 1000));
  c.retry.maxDelay = std::chrono::milliseconds(static_cast<int64_t>(r.number("retry.maxSeconds", 300, 0.01, 86400) * 1000));
  if (c.retry.maxDelay < c.retry.initialDelay) r.fail("retry.maxSeconds", "a number at least retry.initialSeconds");
  c.retry.multiplier = r.number("retry.multiplier", 2, 1, 10);
  c.retry.jitter = r.number("retry.jitter", 0.5, 0, 1);
  c.retry.giveUpAfter = static_cast<int>(r.number("retry.giveUpAfter", 8, 1, 1e6));
  c.pollInterval = std::chrono::seconds(static_cast<int>(r.number("pollSeconds", 30, 1, 86400)));
  return c;
}

}  // namespace relais::outbox
