#include "domain/report/ReportValues.h"

#include <cmath>
#include <cstdio>
#include <regex>

namespace relais::report {

namespace {

using nlohmann::json;

bool ValidDate(const std::string& text) {
  static const std::regex pattern(R"((\d{4})-(\d{2})-(\d{2}))");
  std::smatch m;
  if (!std::regex_match(text, m, pattern)) return false;
  int year = std::stoi(m[1]), month = std::stoi(m[2]), day = std::stoi(m[3]);
  if (year < 1900 || month < 1 || month > 12 || day < 1) return false;
  static const int days[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  bool leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
  int limit = days[month - 1] + (month == 2 && leap ? 1 : 0);
  return day <= limit;
}

std::string OptionList(const TemplateField& field) {
  std::string list;
  for (const auto& o : field.options) list += (list.empty() ? "" : ", ") + o.id;
  return list;
}

std::string SchemeList(const TemplateField& field) {
  std::string list;
  for (const auto& s : field.codingSchemes) list += (list.empty() ? "" : ", ") + s;
  return list;
}

void CheckValue(const TemplateField& field, const json& value, std::vector<ReportProblem>& problems) {
  auto problem = [&](const std::string& message) { problems.push_back({field.id, message}); };
  switch (field.type) {
    case FieldType::Text:
      if (!value.is_string()) return problem("must be text");
      if (value.get<std::string>().size() > field.maxLength) {
        problem("is longer than " + std::to_string(field.maxLength) + " characters");
      }
      return;
    case FieldType::Choice:
      if (!value.is_string()) return problem("must be one of: " + OptionList(field));
      if (field.option(value.get<std::string>()) == nullptr) {
        problem("'" + value.get<std::string>() + "' is not one of: " + OptionList(field));
      }
      return;
    case FieldType::Number: {
      if (!value.is_number()) return problem("must be a number (in " + field.unit + ")");
      double v = value.get<double>();
      if (!std::isfinite(v)) return problem("must be a finite number");
      if (field.minimum && v < *field.minimum) problem("must be at least " + DecimalString(*field.minimum) + " " + field.unit);
      if (field.maximum && v > *field.maximum) problem("must be at most " + DecimalString(*field.maximum) + " " + field.unit);
      return;
    }
    case FieldType::Date:
      if (!value.is_string() || !ValidDate(value.get<std::string>())) problem("must be a date YYYY-MM-DD");
      return;
    case FieldType::Coded: {
      if (!value.is_object()) return problem("must be a coded value {\"code\", \"scheme\", \"meaning\"}");
      for (const auto& item : value.items()) {
        if (item.key() != "code" && item.key() != "scheme" && item.key() != "meaning") {
          problem("coded value has an unknown key '" + item.key() + "'");
        }
      }
      auto text = [&](const char* key) -> std::string {
        auto it = value.find(key);
        return it != value.end() && it->is_string() ? it->get<std::string>() : std::string();
      };
      std::string code = text("code"), scheme = text("scheme"), meaning = text("meaning");
      if (code.empty()) problem("coded value needs a 'code'");
      else if (code.size() > 64) problem("code is longer than 64 characters");
      if (meaning.empty()) problem("coded value needs a 'meaning'");
      else if (meaning.size() > 64) problem("meaning is longer than 64 characters");
      bool accepted = false;
      for (const auto& s : field.codingSchemes) accepted = accepted || s == scheme;
      if (!accepted) problem("coding scheme '" + scheme + "' is not accepted (expected " + SchemeList(field) + ")");
      return;
    }
  }
}

}  // namespace

bool IsGiven(const json& values, const std::string& fieldId) {
  auto it = values.find(fieldId);
  if (it == values.end() || it->is_null()) return false;
  return !(it->is_string() && it->get<std::string>().empty());
}

std::vector<ReportProblem> ValidateReport(const ReportTemplate& reportTemplate, const json& values) {
  std::vector<ReportProblem> problems;
  if (!values.is_object()) {
    problems.push_back({"", "the report's values must be a JSON object {field id: value}"});
    return problems;
  }
  for (const auto& item : values.items()) {
    if (reportTemplate.field(item.key()) == nullptr) {
      problems.push_back({item.key(), "is not a field of template '" + reportTemplate.id + "'"});
    }
  }
  for (const auto& section : reportTemplate.sections) {
    for (const auto& field : section.fields) {
      if (!IsGiven(values, field.id)) {
        if (field.required) problems.push_back({field.id, "is required"});
        continue;
      }
      CheckValue(field, values.at(field.id), problems);
    }
  }
  return problems;
}

json ProblemsJson(const std::vector<ReportProblem>& problems) {
  json out = json::array();
  for (const auto& p : problems) out.push_back({{"field", p.field}, {"message", p.message}});
  return out;
}

std::string DecimalString(double value) {
  // %.10g keeps clinical precision and stays within DS's 16 characters for sane magnitudes.
  char buffer[32];
  std::snprintf(buffer, sizeof buffer, "%.10g", value);
  return buffer;
}

std::string DicomDate(const std::string& isoDate) {
  std::string out;
  for (char c : isoDate) {
    if (c != '-') out += c;
  }
  return out;
}

std::string DisplayValue(const TemplateField& field, const json& value, const std::string& language) {
  switch (field.type) {
    case FieldType::Text:
    case FieldType::Date:
      return value.get<std::string>();
    case FieldType::Choice: {
      const ChoiceOption* option = field.option(value.get<std::string>());
      return option ? option->label.in(language) : value.get<std::string>();
    }
    case FieldType::Number:
      return DecimalString(value.get<double>()) + " " + field.unitLabel.in(language);
    case FieldType::Coded:
      return value.value("meaning", "") + " (" + value.value("scheme", "") + " " + value.value("code", "") + ")";
  }
  return value.dump();
}

}  // namespace relais::report
