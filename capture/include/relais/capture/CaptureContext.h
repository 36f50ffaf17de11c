#pragma once
// Who and why: the patient, the teleexpertise request, the unit and the operator of one capture
// session. Filled from a JSON file and/or command-line flags; validate() refuses a context the
// hub could not route or attach to a patient.
#include <nlohmann/json_fwd.hpp>
#include <string>

namespace relais::capture {

struct Patient {
  std::string id;         // required
  std::string issuer;     // Issuer of Patient ID (e.g. the health centre's register)
  std::string name;       // DICOM PN: FAMILY^Given
  std::string birthDate;  // YYYYMMDD
  std::string sex;        // M, F or O
};

struct Request {
  std::string specialty;  // queue name wanted, e.g. "dermatology"
  std::string question;   // clinical question
  std::string history;    // relevant history
  std::string priority = "routine";  // "routine" or "urgent"
  std::string bodySite;   // key of config/capture/body-sites.json, optionally "left-"/"right-"
};

struct CaptureContext {
  Patient patient;
  Request request;
  std::string unit;         // unit ID, e.g. "VAN-07" -> Station Name
  std::string institution;  // display name of the health centre or van -> Institution Name
  std::string operatorName; // the nurse -> Operators' Name
};

// Reads {"patient": {...}, "request": {...}, "unit": ..., "institution": ..., "operator": ...};
// keys are the ones of the hub's case JSON (id, issuer, name, birthDate, sex; specialty,
// question, history, priority, bodySite). Unknown keys are ignored, wrong types are errors.
CaptureContext contextFromJson(const nlohmann::json& document, const std::string& source);

// Throws CaptureError naming the first missing or malformed field.
void validate(const CaptureContext& context);

}  // namespace relais::capture
