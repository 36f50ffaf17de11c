#pragma once
// The values of one report (a JSON object: field id -> value) checked against its template.
// Value shapes: text -> string; choice -> option id; number -> JSON number in the field's unit;
// date -> "YYYY-MM-DD"; coded -> {"code", "scheme", "meaning"} with a scheme the field accepts.
// Absent, null and empty-string values count as not given.
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "domain/report/ReportTemplate.h"

namespace relais::report {

struct ReportProblem {
  std::string field;    // field id, or "" for the report as a whole
  std::string message;  // what is wrong, in words a specialist understands
};

// Every problem at once (not just the first), so a form can show them all.
std::vector<ReportProblem> ValidateReport(const ReportTemplate& reportTemplate, const nlohmann::json& values);

nlohmann::json ProblemsJson(const std::vector<ReportProblem>& problems);

bool IsGiven(const nlohmann::json& values, const std::string& fieldId);

// A validated value as a reader sees it: the option's label, "12.5 mm", "2026-12-01",
// "Melanoma (SCT 372244006)".
std::string DisplayValue(const TemplateField& field, const nlohmann::json& value, const std::string& language);

// A number as DICOM Decimal String (at most 16 characters, no exponent for ordinary values).
std::string DecimalString(double value);

// "YYYY-MM-DD" -> "YYYYMMDD".
std::string DicomDate(const std::string& isoDate);

}  // namespace relais::report
