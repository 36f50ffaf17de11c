#include "relais/capture/ExistingStudy.h"

#include <dcmtk/dcmdata/dcdeftag.h>
#include <dcmtk/dcmdata/dcfilefo.h>

#include <algorithm>

#include "relais/capture/CaptureError.h"
#include "relais/capture/DicomText.h"

namespace relais::capture {
namespace fs = std::filesystem;
namespace {

std::string text(DcmItem& item, const DcmTagKey& tag) {
  OFString value;
  if (item.findAndGetOFStringArray(tag, value).bad()) return {};
  return value.c_str();
}

CodedConcept code(DcmItem& item) { return {text(item, DCM_CodeValue), text(item, DCM_CodingSchemeDesignator), text(item, DCM_CodeMeaning)}; }

// DicomHeader writes a question too long for Reason for the Requested Procedure (LO) whole
// into Additional Patient History as "Question: ...\nHistory: ...": read it back whole.
void readRequest(DcmItem& ds, Request& request) {
  DcmItem* attributes = nullptr;
  if (ds.findAndGetSequenceItem(DCM_RequestAttributesSequence, attributes, 0).good() && attributes) {
    request.specialty = text(*attributes, DCM_RequestedProcedureDescription);
    request.question = text(*attributes, DCM_ReasonForTheRequestedProcedure);
    request.priority = text(*attributes, DCM_RequestedProcedurePriority) == "HIGH" ? "urgent" : "routine";
  }
  request.history = text(ds, DCM_AdditionalPatientHistory);
  const std::string questionMark = "Question: ", historyMark = "\nHistory: ";
  if (request.history.rfind(questionMark, 0) == 0) {
    const std::size_t split = request.history.find(historyMark);
    request.question = request.history.substr(questionMark.size(), split == std::string::npos ? std::string::npos
                                                                                              : split - questionMark.size());
    request.history = split == std::string::npos ? std::string() : request.history.substr(split + historyMark.size());
  }
}

std::optional<BodySite> readBodySite(DcmItem& ds) {
  DcmItem* region = nullptr;
  if (ds.findAndGetSequenceItem(DCM_AnatomicRegionSequence, region, 0).bad() || !region) return std::nullopt;
  BodySite site;
  site.region = code(*region);
  if (site.region.value.empty()) return std::nullopt;
  DcmItem* modifier = nullptr;
  if (region->findAndGetSequenceItem(DCM_AnatomicRegionModifierSequence, modifier, 0).good() && modifier) {
    site.lateralityModifier = code(*modifier);
    site.paired = true;
  }
  site.bodyPart = text(ds, DCM_BodyPartExamined);
  site.imageLaterality = text(ds, DCM_ImageLaterality);
  if (site.imageLaterality.empty()) site.imageLaterality = "U";
  return site;
}

void readContext(DcmItem& ds, ExistingStudy& study) {
  Patient& patient = study.context.patient;
  patient.id = text(ds, DCM_PatientID);
  patient.issuer = text(ds, DCM_IssuerOfPatientID);
  patient.name = text(ds, DCM_PatientName);
  patient.birthDate = text(ds, DCM_PatientBirthDate);
  patient.sex = text(ds, DCM_PatientSex);
  readRequest(ds, study.context.request);
  study.context.unit = text(ds, DCM_StationName);
  study.context.institution = text(ds, DCM_InstitutionName);
  study.context.operatorName = text(ds, DCM_OperatorsName);
  study.bodySite = readBodySite(ds);
  study.dateAndTime = std::make_pair(text(ds, DCM_StudyDate), text(ds, DCM_StudyTime));
}

// Takes the study's value into `target`, refusing a different one given (compared as it would
// be written, in `vr`).
void join(std::string& target, const std::string& given, const std::string& studys, const std::string& vr,
          const std::string& what, const std::string& uid) {
  if (!given.empty() && !studys.empty() && dicomText(given, vr) != studys) {
    throw CaptureError(what + " \"" + given + "\" was given, but study " + uid + " on this unit has " + what + " \"" +
                       studys + "\": nothing was added (check that this is the right patient and study)");
  }
  target = studys.empty() ? given : studys;
}

}  // namespace

ExistingStudy readExistingStudy(const fs::path& folder, const std::string& uid) {
  ExistingStudy study;
  std::error_code error;
  std::vector<fs::path> files;
  for (fs::directory_iterator it(folder, error), end; !error && it != end; it.increment(error)) {
    if (it->path().extension() == ".dcm" && it->path().filename().string()[0] != '.') files.push_back(it->path());
  }
  std::sort(files.begin(), files.end());  // the same file gives the context every time
  for (const fs::path& file : files) {
    DcmFileFormat format;
    if (format.loadFile(file.c_str(), EXS_Unknown, EGL_noChange, 1024).bad()) continue;
    DcmDataset& ds = *format.getDataset();
    if (text(ds, DCM_StudyInstanceUID) != uid) continue;
    if (!study.found) readContext(ds, study);
    study.found = true;
    Sint32 number = 0;
    if (ds.findAndGetSint32(DCM_SeriesNumber, number).good()) {
      study.highestSeriesNumber = std::max(study.highestSeriesNumber, static_cast<int>(number));
    }
  }
  return study;
}

CaptureContext joinStudy(const CaptureContext& given, const ExistingStudy& study, const std::string& uid) {
  CaptureContext joined;
  const CaptureContext& s = study.context;
  join(joined.patient.id, given.patient.id, s.patient.id, "LO", "patient ID", uid);
  join(joined.patient.issuer, given.patient.issuer, s.patient.issuer, "LO", "issuer of the patient ID", uid);
  join(joined.patient.name, given.patient.name, s.patient.name, "PN", "patient name", uid);
  join(joined.patient.birthDate, given.patient.birthDate, s.patient.birthDate, "DA", "birth date", uid);
  join(joined.patient.sex, given.patient.sex, s.patient.sex, "CS", "patient sex", uid);
  join(joined.request.specialty, given.request.specialty, s.request.specialty, "LO", "specialty", uid);
  join(joined.request.question, given.request.question, s.request.question, "LT", "question", uid);
  join(joined.request.history, given.request.history, s.request.history, "LT", "history", uid);
  join(joined.unit, given.unit, s.unit, "SH", "unit", uid);
  join(joined.institution, given.institution, s.institution, "LO", "institution", uid);
  // The study's urgency stays: "routine" is also what an unset --priority reads as.
  joined.request.priority = s.request.priority.empty() ? given.request.priority : s.request.priority;
  // Per image: the site photographed now (the study's when none is given: ExistingStudy's
  // bodySite), and the nurse who took it (Operators' Name is the series', never guessed).
  joined.request.bodySite = given.request.bodySite;
  joined.operatorName = given.operatorName;
  return joined;
}

}  // namespace relais::capture
