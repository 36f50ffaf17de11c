#include "domain/RoutingRules.h"

#include <cctype>
#include <fstream>
#include <set>
#include <sstream>

#include "domain/ConfigError.h"
#include "domain/ConfigFile.h"
#include "domain/User.h"

namespace relais {

namespace {

std::string Trim(const std::string& s) {
  size_t b = 0, e = s.size();
  while (b < e && (std::isspace(static_cast<unsigned char>(s[b])) || s[b] == '\0')) ++b;
  while (e > b && (std::isspace(static_cast<unsigned char>(s[e - 1])) || s[e - 1] == '\0')) --e;
  return s.substr(b, e - b);
}

std::string Quote(const std::string& s) { return "'" + s + "'"; }

// A study's value in an explanation: the dry run and the audit trail say which value a rule saw,
// not a copy of however many bytes it had (cut at a UTF-8 character's start).
std::string QuoteFound(const std::string& s) {
  constexpr size_t kShown = 64;
  if (s.size() <= 2 * kShown) return Quote(s);
  size_t cut = kShown;
  while (cut > 0 && (static_cast<unsigned char>(s[cut]) & 0xC0) == 0x80) --cut;
  return "'" + s.substr(0, cut) + "...' (" + std::to_string(s.size()) + " bytes)";
}

std::string List(const std::vector<std::string>& values) {
  std::string out = "[";
  for (size_t i = 0; i < values.size(); ++i) out += (i ? ", " : "") + Quote(values[i]);
  return out + "]";
}

}  // namespace

bool WildcardMatch(const std::string& pattern, const std::string& text) {
  // Iterative matcher with one backtrack point: linear enough for attribute values.
  size_t p = 0, t = 0, star = std::string::npos, mark = 0;
  auto same = [](char a, char b) {
    return std::tolower(static_cast<unsigned char>(a)) == std::tolower(static_cast<unsigned char>(b));
  };
  while (t < text.size()) {
    if (p < pattern.size() && (pattern[p] == '?' || (pattern[p] != '*' && same(pattern[p], text[t])))) {
      ++p;
      ++t;
    } else if (p < pattern.size() && pattern[p] == '*') {
      star = p++;
      mark = t;
    } else if (star != std::string::npos) {
      p = star + 1;
      t = ++mark;
    } else {
      return false;
    }
  }
  while (p < pattern.size() && pattern[p] == '*') ++p;
  return p == pattern.size();
}

bool RuleCondition::holds(const StudyAttributes& attributes, std::string& why) const {
  const auto raw = attributes.get(tag);
  if (kind == Kind::Present) {
    why = tag + (raw ? " is present" : " is absent, expected present");
    return raw.has_value();
  }
  if (kind == Kind::Absent) {
    why = tag + (raw ? " is present, expected absent" : " is absent");
    return !raw.has_value();
  }
  if (!raw) {
    why = tag + " is absent";
    return false;
  }
  const std::string value = Trim(*raw);
  const std::string found = tag + " is " + QuoteFound(value);
  switch (kind) {
    case Kind::Equals: {
      bool ok = value == values[0];
      why = found + (ok ? "" : ", expected " + Quote(values[0]));
      return ok;
    }
    case Kind::OneOf: {
      for (const auto& v : values) {
        if (value == v) {
          why = found + ", one of " + List(values);
          return true;
        }
      }
      why = found + ", expected one of " + List(values);
      return false;
    }
    case Kind::Wildcard: {
      bool ok = WildcardMatch(values[0], value);
      why = found + (ok ? ", matches " : ", does not match ") + Quote(values[0]);
      return ok;
    }
    case Kind::Regex: {
      bool ok = std::regex_search(value, regex);
      why = found + (ok ? ", matches /" : ", does not match /") + values[0] + "/";
      return ok;
    }
    default: return false;
  }
}

nlohmann::json RoutingDecision::toJson() const {
  nlohmann::json j = {{"matched", matched},
                      {"rule", matched ? nlohmann::json(rule) : nlohmann::json(nullptr)},
                      {"queue", queue},
                      {"priority", priority ? nlohmann::json(*priority) : nlohmann::json(nullptr)},
                      {"destinations", destinations},
                      {"explanation", explanation}};
  return j;
}

RoutingRules RoutingRules::Parse(const nlohmann::json& document, const std::string& file) {
  if (!document.is_object() || !document.contains("rules") || !document["rules"].is_array()) {
    throw ConfigError(file, "rules", "an array of rules");
  }
  RoutingRules out;
  std::set<std::string> names;
  const auto& rules = document["rules"];
  for (size_t i = 0; i < rules.size(); ++i) {
    const std::string at = "rules[" + std::to_string(i) + "]";
    const auto& r = rules[i];
    if (!r.is_object()) throw ConfigError(file, at, "an object");
    RoutingRule rule;
    if (!r.contains("name") || !r["name"].is_string() || r["name"].get<std::string>().empty()) {
      throw ConfigError(file, at + ".name", "a non-empty string");
    }
    rule.name = r["name"];
    if (!names.insert(rule.name).second) throw ConfigError(file, at + ".name", "a unique name, '" + rule.name + "' is used twice");
    if (!r.contains("queue") || !r["queue"].is_string() || !IsKnownQueue(r["queue"])) {
      std::string known;
      for (const auto& q : KnownQueues()) known += (known.empty() ? "" : ", ") + q;
      throw ConfigError(file, at + ".queue", "one of the queues " + known);
    }
    rule.queue = r["queue"];
    if (r.contains("priority")) {
      if (!r["priority"].is_string() || (r["priority"] != "urgent" && r["priority"] != "routine")) {
        throw ConfigError(file, at + ".priority", "\"urgent\" or \"routine\"");
      }
      rule.priority = r["priority"].get<std::string>();
    }
    if (r.contains("destinations")) {
      const auto& d = r["destinations"];
      if (!d.is_array()) throw ConfigError(file, at + ".destinations", "an array of Orthanc modality names");
      for (const auto& name : d) {
        if (!name.is_string()) throw ConfigError(file, at + ".destinations", "an array of Orthanc modality names");
        rule.destinations.push_back(name);
      }
    }
    if (!r.contains("when") || !r["when"].is_array()) {
      throw ConfigError(file, at + ".when", "an array of conditions (empty matches every study)");
    }
    for (size_t c = 0; c < r["when"].size(); ++c) {
      const std::string cat = at + ".when[" + std::to_string(c) + "]";
      const auto& cj = r["when"][c];
      if (!cj.is_object() || !cj.contains("tag") || !cj["tag"].is_string() || cj["tag"].get<std::string>().empty()) {
        throw ConfigError(file, cat + ".tag", "an attribute keyword or tag number such as \"0008,1010\"");
      }
      RuleCondition cond;
      cond.tag = NormaliseAttributeKey(cj["tag"]);
      int operators = 0;
      auto oneString = [&](const char* key, RuleCondition::Kind kind) {
        if (!cj.contains(key)) return;
        ++operators;
        if (!cj[key].is_string()) throw ConfigError(file, cat + "." + key, "a string");
        cond.kind = kind;
        cond.values = {cj[key].get<std::string>()};
      };
      oneString("equals", RuleCondition::Kind::Equals);
      oneString("wildcard", RuleCondition::Kind::Wildcard);
      oneString("regex", RuleCondition::Kind::Regex);
      if (cj.contains("oneOf")) {
        ++operators;
        const auto& v = cj["oneOf"];
        if (!v.is_array() || v.empty()) throw ConfigError(file, cat + ".oneOf", "a non-empty array of strings");
        for (const auto& x : v) {
          if (!x.is_string()) throw ConfigError(file, cat + ".oneOf", "a non-empty array of strings");
          cond.values.push_back(x);
        }
        cond.kind = RuleCondition::Kind::OneOf;
      }
      for (const char* key : {"present", "absent"}) {
        if (!cj.contains(key)) continue;
        ++operators;
        if (!cj[key].is_boolean()) throw ConfigError(file, cat + "." + key, "true or false");
        const bool present = (std::string(key) == "present") == cj[key].get<bool>();
        cond.kind = present ? RuleCondition::Kind::Present : RuleCondition::Kind::Absent;
      }
      if (operators != 1) {
        throw ConfigError(file, cat, "exactly one of equals, oneOf, wildcard, regex, present, absent");
      }
      if (cond.kind == RuleCondition::Kind::Regex) {
        try {
          cond.regex = std::regex(cond.values[0], std::regex::ECMAScript);
        } catch (const std::regex_error& e) {
          throw ConfigError(file, cat + ".regex", std::string("a valid regular expression (") + e.what() + ")");
        }
      }
      rule.when.push_back(std::move(cond));
    }
    out.rules_.push_back(std::move(rule));
  }
  return out;
}

RoutingRules RoutingRules::Load(const std::string& path) { return Parse(ReadJsonConfigFile(path), path); }

RoutingDecision RoutingRules::route(const StudyAttributes& attributes) const {
  RoutingDecision d;
  for (const RoutingRule& rule : rules_) {
    std::string reasons;
    bool all = true;
    for (const RuleCondition& c : rule.when) {
      std::string why;
      bool ok = c.holds(attributes, why);
      reasons += (reasons.empty() ? "" : "; ") + why;
      if (!ok) {
        all = false;
        reasons = why;  // the first failing condition is the whole story
        break;
      }
    }
    if (!all) {
      d.explanation.push_back("rule '" + rule.name + "' does not match: " + reasons);
      continue;
    }
    d.explanation.push_back("rule '" + rule.name + "' matches" + (reasons.empty() ? "" : ": " + reasons));
    d.matched = true;
    d.rule = rule.name;
    d.queue = rule.queue;
    d.priority = rule.priority;
    d.destinations = rule.destinations;
    return d;
  }
  d.queue = "triage";
  d.explanation.push_back("no rule matches: the study goes to triage");
  return d;
}

}  // namespace relais
