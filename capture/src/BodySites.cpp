#include "relais/capture/BodySites.h"

#include <nlohmann/json.hpp>

#include "relais/capture/CaptureError.h"

namespace relais::capture {
namespace {

std::string requireString(const nlohmann::json& object, const char* key, const std::string& where) {
  auto it = object.find(key);
  if (it == object.end() || !it->is_string() || it->get<std::string>().empty()) {
    throw CaptureError(where + ": \"" + key + "\" must be a non-empty string");
  }
  return it->get<std::string>();
}

}  // namespace

BodySites::BodySites(const nlohmann::json& document, const std::string& file) {
  if (!document.is_object() || !document.contains("sites") || !document["sites"].is_object()) {
    throw CaptureError(file + ": expected an object \"sites\"");
  }
  for (const auto& [key, site] : document["sites"].items()) {
    const std::string where = file + ": sites." + key;
    if (!site.is_object()) throw CaptureError(where + ": expected an object");
    Entry entry{{requireString(site, "code", where), "SCT", requireString(site, "meaning", where)},
                site.value("bodyPart", ""), site.value("paired", false)};
    sites_.emplace(key, entry);
  }
  if (document.contains("laterality")) {
    for (const auto& [key, side] : document["laterality"].items()) {
      const std::string where = file + ": laterality." + key;
      sides_.emplace(key, Side{{requireString(side, "code", where), "SCT", requireString(side, "meaning", where)},
                               requireString(side, "image", where)});
    }
  }
}

BodySite BodySites::resolve(const std::string& key) const {
  std::string siteKey = key;
  const Side* side = nullptr;
  for (const auto& [name, candidate] : sides_) {
    const std::string prefix = name + "-";
    if (key.rfind(prefix, 0) == 0) {
      side = &candidate;
      siteKey = key.substr(prefix.size());
      break;
    }
  }
  auto it = sites_.find(siteKey);
  if (it == sites_.end()) {
    std::string known;
    for (const auto& [name, entry] : sites_) known += (known.empty() ? "" : ", ") + name;
    throw CaptureError("unknown body site \"" + key + "\"; known sites: " + known +
                       " (paired sites take left-, right- or both-)");
  }
  const Entry& entry = it->second;
  BodySite site;
  site.region = entry.region;
  site.bodyPart = entry.bodyPart;
  site.paired = entry.paired;
  if (entry.paired) {
    if (!side) throw CaptureError("body site \"" + key + "\" needs a side: left-" + siteKey + ", right-" + siteKey + " or both-" + siteKey);
    site.lateralityModifier = side->modifier;
    site.imageLaterality = side->image;
  } else {
    if (side) throw CaptureError("body site \"" + siteKey + "\" has no side; use \"" + siteKey + "\"");
    site.imageLaterality = "U";
  }
  return site;
}

}  // namespace relais::capture
