#pragma once
// A specialty's report template: the sections and typed fields a specialist fills in, with
// French and English labels and the codes under which each field is written into the DICOM
// SR and the FHIR resources. Templates are configuration (config/templates/*.json); a
// malformed one is refused with TemplateError naming the file, the field and what was expected.
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace relais::report {

class TemplateError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// A coded concept as DICOM writes it: (code value, coding scheme designator, code meaning).
// Schemes use DICOM designators: "DCM", "LN" (LOINC), "SCT" (SNOMED CT), "I10" (ICD-10),
// "UCUM", and "99RELAIS" for Relais' own concepts.
struct Code {
  std::string value;
  std::string scheme;
  std::string meaning;
};

struct Label {
  std::string fr;
  std::string en;
  const std::string& in(const std::string& language) const { return language == "en" ? en : fr; }
};

enum class FieldType { Text, Choice, Number, Date, Coded };

std::string FieldTypeName(FieldType type);

struct ChoiceOption {
  std::string id;     // what a report's JSON carries
  Label label;
  Code code;          // written as the SR CODE value
};

struct TemplateField {
  std::string id;
  FieldType type = FieldType::Text;
  bool required = false;
  Label label;
  Code concept;                             // SR concept name of this field
  std::vector<ChoiceOption> options;        // Choice
  std::string unit;                         // Number: UCUM code, e.g. "mm", "/min", "wk"
  std::string unitMeaning;                  // Number: e.g. "millimeter"
  // Number: the unit as readers write it next to a value, e.g. "SA" (semaines d'aménorrhée)
  // in French for "wk"; the UCUM code in both languages unless the template says otherwise.
  Label unitLabel;
  std::optional<double> minimum, maximum;   // Number
  std::vector<std::string> codingSchemes;   // Coded: accepted scheme designators
  size_t maxLength = 10000;                 // Text

  const ChoiceOption* option(const std::string& id) const;
};

struct TemplateSection {
  std::string id;
  Label label;
  Code concept;
  std::vector<TemplateField> fields;
};

struct ReportTemplate {
  std::string id;                        // the file's stem, e.g. "dermatology"
  std::string source;                    // the file it came from (for messages)
  std::vector<std::string> specialties;  // queues whose cases use it; "*" = fallback
  Label title;
  Code documentCode;                     // SR root concept and FHIR DiagnosticReport.code
  std::vector<TemplateSection> sections;

  const TemplateField* field(const std::string& id) const;
  bool serves(const std::string& specialty) const;
  nlohmann::json toJson() const;
};

// Parses one template; `source` names the file in every error message.
ReportTemplate ParseReportTemplate(const nlohmann::json& document, const std::string& id,
                                   const std::string& source);

// Reads and parses a template file (the template's id is the file's stem).
ReportTemplate LoadReportTemplate(const std::string& path);

}  // namespace relais::report
