#include "relais/capture/CaptureContext.h"

#include <nlohmann/json.hpp>

#include "relais/capture/CaptureError.h"

namespace relais::capture {
namespace {

void readString(const nlohmann::json& object, const char* key, std::string& target,
                const std::string& where) {
  auto it = object.find(key);
  if (it == object.end() || it->is_null()) return;
  if (!it->is_string()) {
    throw CaptureError(where + ": \"" + key + "\" must be a string");
  }
  target = it->get<std::string>();
}

bool isDate(const std::string& value) {
  if (value.size() != 8) return false;
  for (char c : value) {
    if (c < '0' || c > '9') return false;
  }
  const int month = std::stoi(value.substr(4, 2));
  const int day = std::stoi(value.substr(6, 2));
  return month >= 1 && month <= 12 && day >= 1 && day <= 31;
}

}  // namespace

CaptureContext contextFromJson(const nlohmann::json& document, const std::string& source) {
  if (!document.is_object()) throw CaptureError(source + ": expected a JSON object");
  CaptureContext context;
  if (auto p = document.find("patient"); p != document.end()) {
    if (!p->is_object()) throw CaptureError(source + ": \"patient\" must be an object");
    const std::string where = source + ": patient";
    readString(*p, "id", context.patient.id, where);
    readString(*p, "issuer", context.patient.issuer, where);
    readString(*p, "name", context.patient.name, where);
    readString(*p, "birthDate", context.patient.birthDate, where);
    readString(*p, "sex", context.patient.sex, where);
  }
  if (auto r = document.find("request"); r != document.end()) {
    if (!r->is_object()) throw CaptureError(source + ": \"request\" must be an object");
    const std::string where = source + ": request";
    readString(*r, "specialty", context.request.specialty, where);
    readString(*r, "question", context.request.question, where);
    readString(*r, "history", context.request.history, where);
    readString(*r, "priority", context.request.priority, where);
    readString(*r, "bodySite", context.request.bodySite, where);
  }
  readString(document, "unit", context.unit, source);
  readString(document, "institution", context.institution, source);
  readString(document, "operator", context.operatorName, source);
  return context;
}

void validate(const CaptureContext& context) {
  if (context.patient.id.empty()) {
    throw CaptureError("missing patient ID: give --patient-id or \"patient\": {\"id\": ...}");
  }
  if (context.patient.id.size() > 64) throw CaptureError("patient ID is longer than 64 characters");
  if (!context.patient.birthDate.empty() && !isDate(context.patient.birthDate)) {
    throw CaptureError("birth date \"" + context.patient.birthDate + "\" is not YYYYMMDD");
  }
  const std::string& sex = context.patient.sex;
  if (!sex.empty() && sex != "M" && sex != "F" && sex != "O") {
    throw CaptureError("patient sex \"" + sex + "\" must be M, F or O");
  }
  const std::string& priority = context.request.priority;
  if (priority != "routine" && priority != "urgent") {
    throw CaptureError("priority \"" + priority + "\" must be routine or urgent");
  }
  if (context.unit.size() > 16) {
    throw CaptureError("unit ID \"" + context.unit + "\" is longer than 16 characters (DICOM Station Name)");
  }
}

}  // namespace relais::capture
