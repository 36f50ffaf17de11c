#pragma once
// The shipped list of body sites (config/capture/body-sites.json): a nurse's word
// ("left-forearm") becomes SNOMED CT codes for Anatomic Region Sequence, its laterality
// modifier, Image Laterality and Body Part Examined.
#include <map>
#include <nlohmann/json_fwd.hpp>
#include <optional>
#include <string>

namespace relais::capture {

struct CodedConcept {
  std::string value;    // Code Value
  std::string scheme;   // Coding Scheme Designator ("SCT")
  std::string meaning;  // Code Meaning
};

struct BodySite {
  CodedConcept region;
  std::optional<CodedConcept> lateralityModifier;
  std::string bodyPart;        // Body Part Examined defined term
  std::string imageLaterality; // R, L, B or U (unpaired)
  bool paired = false;
};

class BodySites {
 public:
  BodySites() = default;
  BodySites(const nlohmann::json& document, const std::string& file);
  // Throws CaptureError listing the known keys when `key` is unknown, or when a paired site
  // lacks its side ("forearm" instead of "left-forearm").
  BodySite resolve(const std::string& key) const;

 private:
  struct Entry { CodedConcept region; std::string bodyPart; bool paired; };
  struct Side { CodedConcept modifier; std::string image; };
  std::map<std::string, Entry> sites_;
  std::map<std::string, Side> sides_;
};

}  // namespace relais::capture
