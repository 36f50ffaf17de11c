#pragma once
// The DICOM attributes of a study as the rules engine sees them: a flat map whose keys are
// both the keyword ("StationName") and the tag number ("0008,1010"), and, for attributes nested
// in a sequence, the path through it ("RequestAttributesSequence.RequestedProcedureDescription"
// and "0040,0275.0032,1060"). The value of a nested attribute is taken from the first item that
// has it. Private attributes are reachable by tag number only.
#include <map>
#include <optional>
#include <string>

#include <nlohmann/json.hpp>

namespace relais {

class StudyAttributes {
 public:
  // From Orthanc's full tag format (GET /instances/{id}/tags):
  // {"0008,1010": {"Name": "StationName", "Type": "String", "Value": "VAN-07"}, ...}
  static StudyAttributes FromOrthancTags(const nlohmann::json& tags);
  // From a plain {"StationName": "VAN-07", "0009,1001": "x"} object (the dry-run route).
  // Throws HttpError 400 if a value is not a string, or past the bounds below (a DICOM
  // attribute's value never comes near them; a client's mistake or abuse does).
  static StudyAttributes FromSimpleMap(const nlohmann::json& map);
  static constexpr size_t kMaxSimpleMapEntries = 256;
  static constexpr size_t kMaxSimpleMapKeyBytes = 64;
  static constexpr size_t kMaxSimpleMapValueBytes = 64 * 1024;

  // nullopt when absent; "" for a present attribute with no (or a binary) value.
  std::optional<std::string> get(const std::string& key) const;
  std::string valueOr(const std::string& key, const std::string& fallback = "") const;
  void set(const std::string& key, const std::string& value);
  const std::map<std::string, std::string>& all() const { return values_; }

 private:
  void addTags(const nlohmann::json& tags, const std::string& numberPrefix,
               const std::optional<std::string>& namePrefix);
  std::map<std::string, std::string> values_;
};

// "0008,1010", "(0008,1010)" and "00081010" all become "0008,1010"; keywords stay as given.
std::string NormaliseAttributeKey(const std::string& key);

}  // namespace relais
