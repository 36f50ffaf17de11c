#pragma once
// Everything one version of a report says, gathered from the case, the study, the author and
// the submitted values: the single input of the SR, PDF and FHIR builders, so that the three
// forms of a report cannot disagree.
#include <cstdint>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace relais::report {

// One DICOM instance, by the UIDs a reference to it needs.
struct InstanceReference {
  std::string studyInstanceUid;
  std::string seriesInstanceUid;
  std::string sopClassUid;
  std::string sopInstanceUid;
};

// A DICOM object built in memory (Part 10 file bytes) and who it is.
struct DicomObject {
  InstanceReference reference;
  std::string bytes;
};

struct PatientIdentity {
  std::string id;
  std::string issuer;
  std::string name;       // DICOM PN, e.g. "DIALLO^AMINATA"
  std::string birthDate;  // DICOM DA, YYYYMMDD, may be empty
  std::string sex;        // M, F, O or empty
};

struct StudyIdentity {
  std::string studyInstanceUid;
  std::string studyDate;   // DA
  std::string studyTime;   // TM
  std::string accessionNumber;
  std::string studyId;
  std::string referringPhysician;  // PN
  std::string studyDescription;
  std::string institution;         // Institution Name of the unit's images
};

// The teleexpertise request as the unit sent it.
struct TeleRequest {
  std::string specialty;
  std::string question;
  std::string history;
  std::string bodySite;
  std::string priority;  // urgent | routine
  std::string unit;      // Station Name of the unit, e.g. VAN-07
  std::string laterality;    // "L", "R", "B" or empty (domain/Laterality.h)
  std::string bodySiteCode;  // "SCT:14975008", or empty when the site came uncoded
};

struct ReportAuthor {
  std::string login;         // Relais user name
  std::string name;          // DICOM PN, e.g. "NDIAYE^Awa^^Dr" (see ObserverName.h); printed readable
  std::string organization;  // e.g. the hub's name
};

struct ReportDocument {
  int64_t caseId = 0;
  int version = 1;               // 1 for the first report, 2.. for amendments
  std::string language = "fr";   // language of the printed PDF (fr | en)
  std::string templateId;
  PatientIdentity patient;
  StudyIdentity study;
  TeleRequest request;
  ReportAuthor author;
  std::string signedAt;          // ISO 8601 UTC, e.g. 2026-11-25T22:50:07Z
  nlohmann::json values = nlohmann::json::object();
  std::vector<InstanceReference> evaluatedInstances;
  // For an amendment: the SR it replaces, and that version's PDF.
  std::vector<InstanceReference> predecessorReports;
  std::vector<InstanceReference> predecessorPdfs;
  std::string amendmentReason;
  std::string hubName = "Relais";

  bool isAmendment() const { return version > 1; }
};

// The document as stored beside the DICOM objects (to serve JSON and FHIR later) and back.
nlohmann::json ToJson(const ReportDocument& document);
ReportDocument ReportDocumentFromJson(const nlohmann::json& json);
nlohmann::json ToJson(const InstanceReference& reference);
InstanceReference InstanceReferenceFromJson(const nlohmann::json& json);

// "2026-11-25T22:50:07Z" -> ("20261125", "225007"); throws std::invalid_argument otherwise.
std::pair<std::string, std::string> DicomDateTime(const std::string& isoUtc);

// "DIALLO^AMINATA" -> "DIALLO Aminata"-style reading order: family name, given names, as text.
std::string ReadablePersonName(const std::string& dicomPersonName);

}  // namespace relais::report
