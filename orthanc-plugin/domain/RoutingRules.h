#pragma once
// The routing rules: an ordered list, the first rule whose conditions all hold decides the
// specialty queue, the priority and the PACS destinations of a study. Nothing is dropped: a
// study no rule matches goes to the "triage" queue.
//
// File format (config/rules.example.json):
// {"rules": [{"name": "dermatology-photos",
//             "when": [{"tag": "Modality", "equals": "XC"},
//                      {"tag": "RequestAttributesSequence.RequestedProcedureDescription",
//                       "oneOf": ["dermatology", "Dermatology"]},
//                      {"tag": "StudyDescription", "wildcard": "*SKIN*"},
//                      {"tag": "0009,1001", "regex": "^derm"},
//                      {"tag": "PatientBirthDate", "present": true},
//                      {"tag": "OtherPatientIDs", "absent": true}],
//             "queue": "dermatology", "priority": "urgent", "destinations": ["PACS-CHU"]}]}
// "priority" is optional: without it the study's Requested Procedure Priority decides.
// Values are compared after trimming DICOM padding; wildcard (* and ?) ignores case; regex is
// ECMAScript, searched anywhere in the value (anchor it with ^...$ for a full match).
#include <optional>
#include <regex>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "domain/StudyAttributes.h"

namespace relais {

struct RuleCondition {
  enum class Kind { Equals, OneOf, Wildcard, Regex, Present, Absent };
  std::string tag;
  Kind kind = Kind::Equals;
  std::vector<std::string> values;  // Equals/Wildcard/Regex: one; OneOf: several
  std::regex regex;

  // True if the condition holds; `why` says what was found, in words for the dry-run answer.
  bool holds(const StudyAttributes& attributes, std::string& why) const;
};

struct RoutingRule {
  std::string name;
  std::vector<RuleCondition> when;
  std::string queue;
  std::optional<std::string> priority;  // "urgent" | "routine"
  std::vector<std::string> destinations;
};

struct RoutingDecision {
  bool matched = false;      // false: triage
  std::string rule;          // name of the matching rule, empty for triage
  std::string queue;
  std::optional<std::string> priority;
  std::vector<std::string> destinations;
  std::vector<std::string> explanation;  // one line per rule tried, in order

  nlohmann::json toJson() const;
};

class RoutingRules {
 public:
  // Throws ConfigError naming `file`, the key (e.g. "rules[2].when[0].regex") and what was expected.
  static RoutingRules Parse(const nlohmann::json& document, const std::string& file);
  static RoutingRules Load(const std::string& path);

  RoutingDecision route(const StudyAttributes& attributes) const;
  const std::vector<RoutingRule>& rules() const { return rules_; }

 private:
  std::vector<RoutingRule> rules_;
};

// DICOM wildcard matching (* any run, ? one character), ignoring case.
bool WildcardMatch(const std::string& pattern, const std::string& text);

}  // namespace relais
