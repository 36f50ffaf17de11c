#include "domain/report/FhirDiagnosticReport.h"

#include "domain/Laterality.h"
#include "domain/report/ReportValues.h"

namespace relais::report {

namespace {

using nlohmann::json;

json Coding(const Code& code) {
  return {{"system", FhirSystem(code.scheme)}, {"code", code.value}, {"display", code.meaning}};
}

json Subject(const ReportDocument& d) {
  json identifier = {{"value", d.patient.id}};
  if (!d.patient.issuer.empty()) identifier["assigner"] = {{"display", d.patient.issuer}};
  return {{"identifier", identifier}, {"display", ReadablePersonName(d.patient.name)}};
}

std::string FhirDate(const std::string& dicomDate) {
  if (dicomDate.size() != 8) return "";
  return dicomDate.substr(0, 4) + "-" + dicomDate.substr(4, 2) + "-" + dicomDate.substr(6, 2);
}

// The request's body site with its side. FHIR R4's Observation.bodySite is one
// CodeableConcept, so a side goes into the SNOMED CT code as a post-coordinated expression
// (site : laterality = side), which SNOMED CT in FHIR allows; the text says it in words.
json BodySite(const TeleRequest& r) {
  const auto side = ParseLateralityCode(r.laterality);
  json site = {{"text", BodySiteWithSide(r.bodySite, side, "en")}};
  const auto colon = r.bodySiteCode.find(':');
  if (colon != std::string::npos && colon > 0 && colon + 1 < r.bodySiteCode.size()) {
    const std::string scheme = r.bodySiteCode.substr(0, colon);
    std::string code = r.bodySiteCode.substr(colon + 1);
    if (side && scheme == "SCT") code += ":272741003=" + SnomedSide(*side).value;
    site["coding"] = json::array({{{"system", FhirSystem(scheme)}, {"code", code}, {"display", site["text"]}}});
  }
  return site;
}

json Observation(const ReportDocument& d, const TemplateField& f, const json& value, const std::string& status) {
  json o = {{"resourceType", "Observation"},
            {"id", "f-" + f.id},
            {"status", status},
            {"code", {{"coding", json::array({Coding(f.concept)})}, {"text", f.label.en}}},
            {"subject", Subject(d)}};
  if (!d.request.bodySite.empty() || !d.request.bodySiteCode.empty() || !d.request.laterality.empty()) {
    o["bodySite"] = BodySite(d.request);
  }
  switch (f.type) {
    case FieldType::Text:
      o["valueString"] = value.get<std::string>();
      break;
    case FieldType::Date:
      o["valueDateTime"] = value.get<std::string>();
      break;
    case FieldType::Number:
      o["valueQuantity"] = {{"value", value.get<double>()},
                            {"unit", f.unit},
                            {"system", "http://unitsofmeasure.org"},
                            {"code", f.unit}};
      break;
    case FieldType::Choice: {
      const ChoiceOption* option = f.option(value.get<std::string>());
      o["valueCodeableConcept"] = {{"coding", json::array({Coding(option->code)})}, {"text", option->label.en}};
      break;
    }
    case FieldType::Coded: {
      Code code{value.at("code").get<std::string>(), value.at("scheme").get<std::string>(),
                value.at("meaning").get<std::string>()};
      o["valueCodeableConcept"] = {{"coding", json::array({Coding(code)})}, {"text", code.meaning}};
      break;
    }
  }
  return o;
}

bool IsConclusion(const Code& c) {
  return c.scheme == "DCM" && (c.value == "121077" || c.value == "121073");
}

}  // namespace

std::string FhirSystem(const std::string& scheme) {
  if (scheme == "LN") return "http://loinc.org";
  if (scheme == "SCT") return "http://snomed.info/sct";
  if (scheme == "I10") return "http://hl7.org/fhir/sid/icd-10";
  if (scheme == "DCM") return "http://dicom.nema.org/resources/ontology/DCM";
  if (scheme == "UCUM") return "http://unitsofmeasure.org";
  return "urn:relais:coding-scheme:" + scheme;
}

json BuildFhirDiagnosticReport(const ReportDocument& d, const ReportTemplate& t, const InstanceReference& sr,
                               const std::string& pdfUrl) {
  const std::string status = d.isAmendment() ? "amended" : "final";
  json report = {
      {"resourceType", "DiagnosticReport"},
      {"id", "relais-case-" + std::to_string(d.caseId) + "-v" + std::to_string(d.version)},
      {"identifier", json::array({{{"system", "urn:dicom:uid"}, {"value", "urn:oid:" + sr.sopInstanceUid}}})},
      {"status", status},
      {"category", json::array({{{"text", d.request.specialty}}})},
      {"code", {{"coding", json::array({Coding(t.documentCode)})}, {"text", t.title.en}}},
      {"subject", Subject(d)},
      {"issued", d.signedAt},
      {"performer", json::array({{{"display", ReadablePersonName(d.author.name)}}})},
      {"resultsInterpreter", json::array({{{"display", ReadablePersonName(d.author.name)}}})},
      {"imagingStudy",
       json::array({{{"type", "ImagingStudy"},
                     {"identifier", {{"system", "urn:dicom:uid"}, {"value", "urn:oid:" + d.study.studyInstanceUid}}}}})},
  };
  if (std::string date = FhirDate(d.study.studyDate); !date.empty()) report["effectiveDateTime"] = date;

  json contained = json::array(), results = json::array(), conclusionCodes = json::array();
  std::string conclusion;
  for (const auto& section : t.sections) {
    for (const auto& f : section.fields) {
      if (!IsGiven(d.values, f.id)) continue;
      const json& value = d.values.at(f.id);
      contained.push_back(Observation(d, f, value, status));
      results.push_back({{"reference", "#f-" + f.id}, {"display", f.label.en}});
      if (f.type == FieldType::Text && IsConclusion(f.concept)) {
        conclusion += (conclusion.empty() ? "" : "\n") + value.get<std::string>();
      }
      if (f.type == FieldType::Coded) {
        Code code{value.at("code").get<std::string>(), value.at("scheme").get<std::string>(),
                  value.at("meaning").get<std::string>()};
        conclusionCodes.push_back({{"coding", json::array({Coding(code)})}, {"text", code.meaning}});
      }
    }
  }
  if (!contained.empty()) {
    report["contained"] = contained;
    report["result"] = results;
  }
  if (!conclusion.empty()) report["conclusion"] = conclusion;
  if (!conclusionCodes.empty()) report["conclusionCode"] = conclusionCodes;
  report["presentedForm"] = json::array(
      {{{"contentType", "application/pdf"}, {"url", pdfUrl}, {"title", t.title.in(d.language)}, {"language", d.language}}});
  return report;
}

}  // namespace relais::report
