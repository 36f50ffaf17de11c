#pragma once
// The report for hospital systems as a FHIR R4 DiagnosticReport: the template's document code,
// the patient by identifier, the ImagingStudy by Study Instance UID, one contained Observation
// per filled field (valueString, valueQuantity in UCUM, valueCodeableConcept, valueDateTime),
// the conclusion and coded diagnoses, and the PDF as presentedForm.
#include <string>

#include <nlohmann/json.hpp>

#include "domain/report/ReportDocument.h"
#include "domain/report/ReportTemplate.h"

namespace relais::report {

// FHIR system URI of a DICOM coding scheme designator (LN -> http://loinc.org, ...).
std::string FhirSystem(const std::string& scheme);

nlohmann::json BuildFhirDiagnosticReport(const ReportDocument& document, const ReportTemplate& reportTemplate,
                                         const InstanceReference& structuredReport, const std::string& pdfUrl);

}  // namespace relais::report
