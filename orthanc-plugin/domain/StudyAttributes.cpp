#include "domain/StudyAttributes.h"

#include <cctype>

#include "domain/HttpError.h"

namespace relais {

namespace {

bool IsHex(const std::string& s) {
  for (char c : s) {
    if (!std::isxdigit(static_cast<unsigned char>(c))) return false;
  }
  return !s.empty();
}

std::string Upper(std::string s) {
  for (char& c : s) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return s;
}

std::string NormaliseSegment(std::string key) {
  if (key.size() == 11 && key.front() == '(' && key.back() == ')') key = key.substr(1, 9);
  if (key.size() == 9 && key[4] == ',' && IsHex(key.substr(0, 4)) && IsHex(key.substr(5))) return Upper(key);
  if (key.size() == 8 && IsHex(key)) return Upper(key.substr(0, 4) + "," + key.substr(4));
  return key;
}

}  // namespace

std::string NormaliseAttributeKey(const std::string& key) {
  std::string out;
  size_t start = 0;
  while (true) {
    size_t dot = key.find('.', start);
    out += NormaliseSegment(key.substr(start, dot == std::string::npos ? std::string::npos : dot - start));
    if (dot == std::string::npos) break;
    out += '.';
    start = dot + 1;
  }
  return out;
}

void StudyAttributes::addTags(const nlohmann::json& tags, const std::string& numberPrefix,
                              const std::optional<std::string>& namePrefix) {
  if (!tags.is_object()) return;
  for (auto it = tags.begin(); it != tags.end(); ++it) {
    const nlohmann::json& entry = it.value();
    if (!entry.is_object()) continue;
    const std::string number = numberPrefix + NormaliseSegment(it.key());
    // Orthanc names private and unknown tags "Unknown Tag & Data": only real keywords count.
    std::optional<std::string> name;
    if (namePrefix && entry.contains("Name") && entry["Name"].is_string()) {
      const std::string keyword = entry["Name"];
      if (!keyword.empty() && keyword.find(' ') == std::string::npos) name = *namePrefix + keyword;
    }
    const std::string type = entry.value("Type", "");
    if (type == "Sequence" && entry.contains("Value") && entry["Value"].is_array()) {
      values_.emplace(number, "");
      if (name) values_.emplace(*name, "");
      for (const auto& item : entry["Value"]) {
        addTags(item, number + ".", name ? std::optional<std::string>(*name + ".") : std::nullopt);
      }
      continue;
    }
    std::string value;
    if (type == "String" && entry.contains("Value") && entry["Value"].is_string()) value = entry["Value"];
    // emplace keeps the first item's value when a sequence has several items.
    values_.emplace(number, value);
    if (name) values_.emplace(*name, value);
  }
}

StudyAttributes StudyAttributes::FromOrthancTags(const nlohmann::json& tags) {
  StudyAttributes a;
  a.addTags(tags, "", std::string());
  return a;
}

StudyAttributes StudyAttributes::FromSimpleMap(const nlohmann::json& map) {
  if (!map.is_object()) throw BadRequest("\"tags\" must be an object of attribute -> string value");
  if (map.size() > kMaxSimpleMapEntries) {
    throw BadRequest("\"tags\" may hold at most " + std::to_string(kMaxSimpleMapEntries) + " attributes, it holds " +
                     std::to_string(map.size()));
  }
  StudyAttributes a;
  for (auto it = map.begin(); it != map.end(); ++it) {
    if (it.key().size() > kMaxSimpleMapKeyBytes) {
      throw BadRequest("an attribute name of \"tags\" may have at most " + std::to_string(kMaxSimpleMapKeyBytes) +
                       " bytes, one has " + std::to_string(it.key().size()));
    }
    if (!it.value().is_string()) throw BadRequest("tag \"" + it.key() + "\" must have a string value");
    if (it.value().get_ref<const std::string&>().size() > kMaxSimpleMapValueBytes) {
      throw BadRequest("the value of tag \"" + it.key() + "\" may have at most " +
                       std::to_string(kMaxSimpleMapValueBytes) + " bytes (64 KiB), it has " +
                       std::to_string(it.value().get_ref<const std::string&>().size()));
    }
    a.values_[NormaliseAttributeKey(it.key())] = it.value().get<std::string>();
  }
  return a;
}

std::optional<std::string> StudyAttributes::get(const std::string& key) const {
  auto it = values_.find(NormaliseAttributeKey(key));
  if (it == values_.end()) return std::nullopt;
  return it->second;
}

std::string StudyAttributes::valueOr(const std::string& key, const std::string& fallback) const {
  auto v = get(key);
  return v ? *v : fallback;
}

void StudyAttributes::set(const std::string& key, const std::string& value) {
  values_[NormaliseAttributeKey(key)] = value;
}

}  // namespace relais
