#include "domain/RoutingRules.h"

#include <gtest/gtest.h>

#include "domain/ConfigError.h"
#include "domain/HttpError.h"

using namespace relais;
using nlohmann::json;

namespace {

RoutingRules Rules(const json& rules) { return RoutingRules::Parse(json{{"rules", rules}}, "rules.json"); }

StudyAttributes Attrs(const json& simple) { return StudyAttributes::FromSimpleMap(simple); }

std::string ConfigErrorOf(const json& rules) {
  try {
    Rules(rules);
  } catch (const ConfigError& e) {
    return e.what();
  }
  return "";
}

}  // namespace

TEST(RoutingRules, FirstMatchingRuleWinsInOrder) {
  auto rules = Rules(json::array({
      {{"name", "us-obstetrics"}, {"when", {{{"tag", "Modality"}, {"equals", "US"}}}}, {"queue", "obstetrics-gynaecology"}},
      {{"name", "any-us"}, {"when", {{{"tag", "Modality"}, {"oneOf", {"US", "CR"}}}}}, {"queue", "radiology"}},
  }));
  auto d = rules.route(Attrs({{"Modality", "US"}}));
  EXPECT_TRUE(d.matched);
  EXPECT_EQ(d.rule, "us-obstetrics");
  EXPECT_EQ(d.queue, "obstetrics-gynaecology");
  auto cr = rules.route(Attrs({{"Modality", "CR"}}));
  EXPECT_EQ(cr.rule, "any-us");
  ASSERT_EQ(cr.explanation.size(), 2u);
  EXPECT_NE(cr.explanation[0].find("Modality is 'CR', expected 'US'"), std::string::npos) << cr.explanation[0];
}

TEST(RoutingRules, UnmatchedStudyGoesToTriageAndSaysSo) {
  auto rules = Rules(json::array({{{"name", "derm"}, {"when", {{{"tag", "Modality"}, {"equals", "XC"}}}}, {"queue", "dermatology"}}}));
  auto d = rules.route(Attrs({{"Modality", "MR"}}));
  EXPECT_FALSE(d.matched);
  EXPECT_EQ(d.queue, "triage");
  EXPECT_EQ(d.explanation.back(), "no rule matches: the study goes to triage");
  EXPECT_EQ(Rules(json::array()).route(Attrs(json::object())).queue, "triage");
}

TEST(RoutingRules, AllConditionsMustHold) {
  auto rules = Rules(json::array({{{"name", "derm-van07"},
                                   {"when", {{{"tag", "Modality"}, {"equals", "XC"}}, {{"tag", "StationName"}, {"equals", "VAN-07"}}}},
                                   {"queue", "dermatology"}}}));
  EXPECT_TRUE(rules.route(Attrs({{"Modality", "XC"}, {"StationName", "VAN-07"}})).matched);
  EXPECT_FALSE(rules.route(Attrs({{"Modality", "XC"}, {"StationName", "VAN-12"}})).matched);
}

TEST(RoutingRules, WildcardRegexPresentAbsentAndPrivateTags) {
  auto rules = Rules(json::array({
      {{"name", "wild"}, {"when", {{{"tag", "StudyDescription"}, {"wildcard", "*skin?lesion*"}}}}, {"queue", "dermatology"}},
      {{"name", "private"}, {"when", {{{"tag", "0009,1001"}, {"regex", "^PED-[0-9]+$"}}}}, {"queue", "paediatrics"}},
      {{"name", "absent"}, {"when", {{{"tag", "PatientBirthDate"}, {"absent", true}}}}, {"queue", "triage"}},
      {{"name", "present"}, {"when", {{{"tag", "0010,21B0"}, {"present", true}}}}, {"queue", "internal-medicine"}},
  }));
  EXPECT_EQ(rules.route(Attrs({{"StudyDescription", "Photo SKIN LESION arm"}, {"PatientBirthDate", "1"}})).rule, "wild");
  EXPECT_EQ(rules.route(Attrs({{"(0009,1001)", "PED-42"}, {"PatientBirthDate", "1"}})).rule, "private");
  EXPECT_EQ(rules.route(Attrs({{"00091001", "PED-42x"}})).rule, "absent");
  EXPECT_EQ(rules.route(Attrs({{"PatientBirthDate", "1"}, {"0010,21b0", ""}})).rule, "present");
  EXPECT_FALSE(rules.route(Attrs({{"PatientBirthDate", "1"}})).matched);
}

TEST(RoutingRules, ValuesAreComparedWithoutDicomPadding) {
  auto rules = Rules(json::array({{{"name", "x"}, {"when", {{{"tag", "Modality"}, {"equals", "US"}}}}, {"queue", "radiology"}}}));
  EXPECT_TRUE(rules.route(Attrs({{"Modality", "US "}})).matched);
}

TEST(RoutingRules, RulePriorityAndDestinationsAreCarried) {
  auto rules = Rules(json::array({{{"name", "x"},
                                   {"when", json::array()},
                                   {"queue", "radiology"},
                                   {"priority", "urgent"},
                                   {"destinations", {"PACS-CHU"}}}}));
  auto d = rules.route(Attrs(json::object()));
  EXPECT_EQ(d.priority, std::optional<std::string>("urgent"));
  EXPECT_EQ(d.destinations, std::vector<std::string>{"PACS-CHU"});
  EXPECT_EQ(d.toJson()["rule"], "x");
}

TEST(RoutingRules, NestedAttributesFromOrthancTags) {
  json tags = {
      {"0008,0060", {{"Name", "Modality"}, {"Type", "String"}, {"Value", "XC"}}},
      {"0009,1001", {{"Name", "Unknown Tag & Data"}, {"Type", "String"}, {"Value", "private"}}},
      {"0040,0275",
       {{"Name", "RequestAttributesSequence"},
        {"Type", "Sequence"},
        {"Value", json::array({{{"0032,1060", {{"Name", "RequestedProcedureDescription"}, {"Type", "String"}, {"Value", "dermatology"}}}}})}}},
  };
  auto a = StudyAttributes::FromOrthancTags(tags);
  EXPECT_EQ(a.get("RequestAttributesSequence.RequestedProcedureDescription"), std::optional<std::string>("dermatology"));
  EXPECT_EQ(a.get("0040,0275.0032,1060"), std::optional<std::string>("dermatology"));
  EXPECT_EQ(a.get("0009,1001"), std::optional<std::string>("private"));
  EXPECT_FALSE(a.get("Unknown Tag & Data").has_value());
  auto rules = Rules(json::array({{{"name", "derm"},
                                   {"when", {{{"tag", "RequestAttributesSequence.RequestedProcedureDescription"}, {"equals", "dermatology"}}}},
                                   {"queue", "dermatology"}}}));
  EXPECT_EQ(rules.route(a).queue, "dermatology");
}

TEST(RoutingRules, ConfigurationErrorsNameFileKeyAndExpectation) {
  EXPECT_EQ(ConfigErrorOf(json::array({{{"name", "a"}, {"when", json::array()}, {"queue", "cardiology"}}})).rfind(
                "rules.json: rules[0].queue: expected one of the queues", 0),
            0u);
  EXPECT_EQ(ConfigErrorOf(json::array({{{"name", "a"}, {"when", {{{"tag", "X"}, {"regex", "(["}}}}, {"queue", "triage"}}})).rfind(
                "rules.json: rules[0].when[0].regex: expected a valid regular expression", 0),
            0u);
  EXPECT_EQ(ConfigErrorOf(json::array({{{"name", "a"}, {"when", {{{"tag", "X"}, {"equals", "1"}, {"regex", "1"}}}}, {"queue", "triage"}}})),
            "rules.json: rules[0].when[0]: expected exactly one of equals, oneOf, wildcard, regex, present, absent");
  EXPECT_EQ(ConfigErrorOf(json::array({{{"name", "a"}, {"when", json::array()}, {"queue", "triage"}},
                                       {{"name", "a"}, {"when", json::array()}, {"queue", "triage"}}})),
            "rules.json: rules[1].name: expected a unique name, 'a' is used twice");
  EXPECT_EQ(ConfigErrorOf(json::array({{{"name", "a"}, {"when", json::array()}, {"queue", "triage"}, {"priority", "stat"}}})),
            "rules.json: rules[0].priority: expected \"urgent\" or \"routine\"");
  try {
    RoutingRules::Parse(json{{"rule", json::array()}}, "r.json");
    FAIL();
  } catch (const ConfigError& e) {
    EXPECT_STREQ(e.what(), "r.json: rules: expected an array of rules");
  }
  try {
    RoutingRules::Load("/nonexistent/rules.json");
    FAIL();
  } catch (const ConfigError& e) {
    EXPECT_EQ(e.file(), "/nonexistent/rules.json");
  }
}

TEST(RoutingRules, DryRunMapRefusesNonStringValues) {
  try {
    StudyAttributes::FromSimpleMap(json{{"Modality", 3}});
    FAIL();
  } catch (const HttpError& e) {
    EXPECT_EQ(e.status(), 400);
  }
}

// Issue 18: the dry run's input is bounded, each refusal naming the bound.
TEST(RoutingRules, DryRunMapIsBounded) {
  auto errorOf = [](const json& map) -> std::string {
    try {
      StudyAttributes::FromSimpleMap(map);
    } catch (const HttpError& e) {
      EXPECT_EQ(e.status(), 400);
      return e.what();
    }
    return "accepted";
  };
  EXPECT_EQ(errorOf(json{{"Modality", std::string(64 * 1024, 'x')}}), "accepted");
  EXPECT_EQ(errorOf(json{{"Modality", std::string(64 * 1024 + 1, 'x')}}),
            "the value of tag \"Modality\" may have at most 65536 bytes (64 KiB), it has 65537");
  EXPECT_EQ(errorOf(json{{std::string(65, 'k'), "x"}}), "an attribute name of \"tags\" may have at most 64 bytes, one has 65");
  json many = json::object();
  for (int i = 0; i < 257; ++i) many["k" + std::to_string(i)] = "x";
  EXPECT_EQ(errorOf(many), "\"tags\" may hold at most 256 attributes, it holds 257");
}

// The explanation says which value a rule saw, not a copy of all its bytes.
TEST(RoutingRules, ExplanationShortensLongValues) {
  auto rules = Rules(json::array({json{{"name", "us"}, {"queue", "radiology"}, {"when", json::array({json{{"tag", "Modality"}, {"equals", "US"}}})}}}));
  const std::string value = "\xC3\xA9" + std::string(64 * 1024 - 2, 'x');
  const auto d = rules.route(Attrs(json{{"Modality", value}}));
  EXPECT_FALSE(d.matched);
  const std::string dumped = d.toJson().dump();
  EXPECT_LT(dumped.size(), 1000u) << dumped.substr(0, 300);
  EXPECT_NE(dumped.find("(65536 bytes)"), std::string::npos) << dumped;
}

TEST(WildcardMatch, StarsAndQuestionMarks) {
  EXPECT_TRUE(WildcardMatch("*", ""));
  EXPECT_TRUE(WildcardMatch("a*c", "abbbc"));
  EXPECT_TRUE(WildcardMatch("A?C", "abc"));
  EXPECT_FALSE(WildcardMatch("a?c", "ac"));
  EXPECT_FALSE(WildcardMatch("abc", "abcd"));
  EXPECT_TRUE(WildcardMatch("*b*", "abc"));
}
