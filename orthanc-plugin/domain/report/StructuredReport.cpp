#include "domain/report/StructuredReport.h"

#include <optional>
#include <stdexcept>

#include <dcmtk/dcmdata/dcdeftag.h>
#include <dcmtk/dcmdata/dcfilefo.h>
#include <dcmtk/dcmsr/dsrdoc.h>

#include "domain/Laterality.h"
#include "domain/report/DicomBytes.h"
#include "domain/report/ReportMarking.h"
#include "domain/report/ReportValues.h"
#include "relais/version.h"

namespace relais::report {

namespace {

void Check(const OFCondition& status, const std::string& what) {
  if (status.bad()) throw std::runtime_error("structured report: " + what + ": " + status.text());
}

DSRCodedEntryValue Coded(const Code& code) { return DSRCodedEntryValue(code.value, code.scheme, code.meaning); }

DSRCodedEntryValue Coded(const char* value, const char* scheme, const char* meaning) {
  return DSRCodedEntryValue(value, scheme, meaning);
}

// The request's body site as a coded entry ("SCT:14975008" + "Forearm"); none when the unit
// sent no code (a text-only site is printed, but an SR code needs a scheme).
std::optional<DSRCodedEntryValue> CodedBodySite(const TeleRequest& r) {
  const auto colon = r.bodySiteCode.find(':');
  if (colon == std::string::npos || colon == 0 || colon + 1 == r.bodySiteCode.size()) return std::nullopt;
  const std::string meaning = r.bodySite.empty() ? r.bodySiteCode.substr(colon + 1) : r.bodySite;
  return DSRCodedEntryValue(r.bodySiteCode.substr(colon + 1), r.bodySiteCode.substr(0, colon), meaning);
}

// Adds one content item (as the next sibling, or as the first child) and names it.
class TreeWriter {
 public:
  explicit TreeWriter(DSRDocumentTree& tree) : tree_(tree) {}

  DSRContentItem& add(DSRTypes::E_RelationshipType relation, DSRTypes::E_ValueType type,
                      const DSRCodedEntryValue& concept, bool child, const std::string& what) {
    const size_t id = tree_.addContentItem(relation, type, child ? DSRTypes::AM_belowCurrent : DSRTypes::AM_afterCurrent);
    if (id == 0) throw std::runtime_error("structured report: cannot add " + what);
    Check(tree_.getCurrentContentItem().setConceptName(concept), what + " concept name");
    return tree_.getCurrentContentItem();
  }
  void up() { tree_.goUp(); }

 private:
  DSRDocumentTree& tree_;
};

void AddField(TreeWriter& w, const TemplateField& field, const nlohmann::json& value, bool first) {
  const auto concept = Coded(field.concept);
  const std::string what = "field '" + field.id + "'";
  switch (field.type) {
    case FieldType::Text:
      Check(w.add(DSRTypes::RT_contains, DSRTypes::VT_Text, concept, first, what).setStringValue(value.get<std::string>()), what);
      return;
    case FieldType::Date:
      Check(w.add(DSRTypes::RT_contains, DSRTypes::VT_Date, concept, first, what)
                .setStringValue(DicomDate(value.get<std::string>())),
            what);
      return;
    case FieldType::Choice: {
      const ChoiceOption* option = field.option(value.get<std::string>());
      if (option == nullptr) throw std::runtime_error("structured report: " + what + ": unknown option");
      Check(w.add(DSRTypes::RT_contains, DSRTypes::VT_Code, concept, first, what).setCodeValue(Coded(option->code)), what);
      return;
    }
    case FieldType::Coded:
      Check(w.add(DSRTypes::RT_contains, DSRTypes::VT_Code, concept, first, what)
                .setCodeValue(DSRCodedEntryValue(value.at("code").get<std::string>(), value.at("scheme").get<std::string>(),
                                                 value.at("meaning").get<std::string>())),
            what);
      return;
    case FieldType::Number: {
      DSRNumericMeasurementValue number(DecimalString(value.get<double>()),
                                        DSRCodedEntryValue(field.unit, "UCUM", field.unitMeaning));
      Check(w.add(DSRTypes::RT_contains, DSRTypes::VT_Num, concept, first, what).setNumericValue(number), what);
      return;
    }
  }
}

void SetHeader(DSRDocument& sr, const ReportDocument& d) {
  Check(sr.setSpecificCharacterSetType(DSRTypes::CS_UTF8), "character set");
  Check(sr.setPatientName(d.patient.name), "Patient's Name");
  Check(sr.setPatientID(d.patient.id), "Patient ID");
  if (!d.patient.issuer.empty()) Check(sr.setIssuerOfPatientID(d.patient.issuer), "Issuer of Patient ID");
  Check(sr.setPatientBirthDate(d.patient.birthDate), "Patient's Birth Date");
  Check(sr.setPatientSex(d.patient.sex), "Patient's Sex");
  Check(sr.setStudyDate(d.study.studyDate), "Study Date");
  Check(sr.setStudyTime(d.study.studyTime), "Study Time");
  Check(sr.setAccessionNumber(d.study.accessionNumber), "Accession Number");
  Check(sr.setStudyID(d.study.studyId), "Study ID");
  Check(sr.setReferringPhysicianName(d.study.referringPhysician), "Referring Physician's Name");
  if (!d.study.studyDescription.empty()) Check(sr.setStudyDescription(d.study.studyDescription), "Study Description");
  Check(sr.createNewSeriesInStudy(d.study.studyInstanceUid), "Study Instance UID");
  Check(sr.setSeriesDescription("Relais report v" + std::to_string(d.version)), "Series Description");
  // Series numbers above the units' own (1..n) keep the report last in viewers' series lists.
  Check(sr.setSeriesNumber(std::to_string(9000 + 2 * d.version - 1)), "Series Number");
  Check(sr.setInstanceNumber("1"), "Instance Number");
  Check(sr.setManufacturer(kHubManufacturer), "Manufacturer");
  Check(sr.setManufacturerModelName(kReportModelName), "Manufacturer's Model Name");
  Check(sr.setSoftwareVersions(std::string("relais ") + relais::kVersion), "Software Versions");
  const auto [date, time] = DicomDateTime(d.signedAt);
  Check(sr.setContentDate(date), "Content Date");
  Check(sr.setContentTime(time), "Content Time");
}

void AddContent(DSRDocument& sr, const ReportDocument& d, const ReportTemplate& t) {
  DSRDocumentTree& tree = sr.getTree();
  TreeWriter w(tree);
  const size_t root = tree.addContentItem(DSRTypes::RT_isRoot, DSRTypes::VT_Container);
  if (root == 0) throw std::runtime_error("structured report: cannot add the root container");
  Check(tree.getCurrentContentItem().setConceptName(Coded(t.documentCode)), "document title");
  Check(tree.getCurrentContentItem().setContinuityOfContent(DSRTypes::COC_Separate), "continuity");

  // Observer context: the specialist who wrote and signed the report.
  Check(w.add(DSRTypes::RT_hasObsContext, DSRTypes::VT_Code, Coded("121005", "DCM", "Observer Type"), true, "observer type")
            .setCodeValue(Coded("121006", "DCM", "Person")),
        "observer type");
  Check(w.add(DSRTypes::RT_hasObsContext, DSRTypes::VT_PName, Coded("121008", "DCM", "Person Observer Name"), false,
              "observer name")
            .setStringValue(d.author.name),
        "Person Observer Name (author)");
  if (!d.author.organization.empty()) {
    Check(w.add(DSRTypes::RT_hasObsContext, DSRTypes::VT_Text,
                Coded("121009", "DCM", "Person Observer's Organization Name"), false, "observer organization")
              .setStringValue(d.author.organization),
          "observer organization");
  }

  // The request the unit sent, so the answer reads with its question and the side it is about.
  const auto site = CodedBodySite(d.request);
  const auto side = ParseLateralityCode(d.request.laterality);
  if (!d.request.question.empty() || !d.request.history.empty() || site) {
    w.add(DSRTypes::RT_contains, DSRTypes::VT_Container, Coded("55752-0", "LN", "Clinical Information"), false,
          "clinical information");
    bool first = true;
    if (site) {
      Check(w.add(DSRTypes::RT_contains, DSRTypes::VT_Code, Coded("363698007", "SCT", "Finding Site"), first,
                  "finding site")
                .setCodeValue(*site),
            "finding site");
      first = false;
      if (side) {
        const SideCode code = SnomedSide(*side);
        Check(w.add(DSRTypes::RT_hasConceptMod, DSRTypes::VT_Code, Coded("272741003", "SCT", "Laterality"), true,
                    "laterality")
                  .setCodeValue(DSRCodedEntryValue(code.value, "SCT", code.meaning)),
              "laterality");
        w.up();
      }
    }
    if (!d.request.question.empty()) {
      Check(w.add(DSRTypes::RT_contains, DSRTypes::VT_Text, Coded("121062", "DCM", "Request"), first, "request")
                .setStringValue(d.request.question),
            "request");
      first = false;
    }
    if (!d.request.history.empty()) {
      Check(w.add(DSRTypes::RT_contains, DSRTypes::VT_Text, Coded("121060", "DCM", "History"), first, "history")
                .setStringValue(d.request.history),
            "history");
    }
    w.up();
  }

  for (const auto& section : t.sections) {
    bool any = false;
    for (const auto& f : section.fields) any = any || IsGiven(d.values, f.id);
    if (!any) continue;
    w.add(DSRTypes::RT_contains, DSRTypes::VT_Container, Coded(section.concept), false, "section '" + section.id + "'");
    bool first = true;
    for (const auto& f : section.fields) {
      if (!IsGiven(d.values, f.id)) continue;
      AddField(w, f, d.values.at(f.id), first);
      first = false;
    }
    w.up();
  }

  if (d.isAmendment() && !d.amendmentReason.empty()) {
    Check(w.add(DSRTypes::RT_contains, DSRTypes::VT_Text, Coded("amendment-reason", "99RELAIS", "Reason for amendment"),
                false, "amendment reason")
              .setStringValue(d.amendmentReason),
          "amendment reason");
  }

  if (!d.evaluatedInstances.empty()) {
    w.add(DSRTypes::RT_contains, DSRTypes::VT_Container, Coded("evaluated-images", "99RELAIS", "Evaluated images"), false,
          "evaluated images");
    bool first = true;
    for (const auto& image : d.evaluatedInstances) {
      const size_t id = tree.addContentItem(DSRTypes::RT_contains, DSRTypes::VT_Image,
                                            first ? DSRTypes::AM_belowCurrent : DSRTypes::AM_afterCurrent);
      if (id == 0) throw std::runtime_error("structured report: cannot add an image reference");
      Check(tree.getCurrentContentItem().setImageReference(DSRImageReferenceValue(image.sopClassUid, image.sopInstanceUid)),
            "image reference " + image.sopInstanceUid);
      first = false;
    }
    w.up();
  }
}

}  // namespace

DicomObject BuildStructuredReport(const ReportDocument& d, const ReportTemplate& t) {
  DSRDocument sr(DSRTypes::DT_ComprehensiveSR);
  SetHeader(sr, d);
  AddContent(sr, d, t);
  // The project's own codes (template sections and fields without a standard code) are a
  // private scheme; a receiving PACS learns what "99RELAIS" is from the document itself.
  Check(sr.getCodingSchemeIdentification().addItem("99RELAIS", "", "Relais teleexpertise report codes",
                                                    "Relais project (GPL-3.0-or-later)"),
        "Coding Scheme Identification");
  Check(sr.setPreliminaryFlag(DSRTypes::PF_Final), "Preliminary Flag");
  for (const auto& image : d.evaluatedInstances) {
    Check(sr.getCurrentRequestedProcedureEvidence().addItem(image.studyInstanceUid, image.seriesInstanceUid,
                                                              image.sopClassUid, image.sopInstanceUid),
          "evidence " + image.sopInstanceUid);
  }
  for (const auto& previous : d.predecessorReports) {
    Check(sr.getPredecessorDocuments().addItem(previous.studyInstanceUid, previous.seriesInstanceUid,
                                                 previous.sopClassUid, previous.sopInstanceUid),
          "predecessor " + previous.sopInstanceUid);
  }
  Check(sr.completeDocument(), "Completion Flag");
  const auto [date, time] = DicomDateTime(d.signedAt);
  Check(sr.verifyDocument(d.author.name, d.author.organization.empty() ? d.hubName : d.author.organization,
                          date + time),
        "Verifying Observer");

  DcmFileFormat file;
  Check(sr.write(*file.getDataset()), "writing the dataset");
  DicomObject object;
  DcmDataset* ds = file.getDataset();
  OFString value;
  ds->findAndGetOFString(DCM_StudyInstanceUID, value);
  object.reference.studyInstanceUid = value.c_str();
  ds->findAndGetOFString(DCM_SeriesInstanceUID, value);
  object.reference.seriesInstanceUid = value.c_str();
  ds->findAndGetOFString(DCM_SOPClassUID, value);
  object.reference.sopClassUid = value.c_str();
  ds->findAndGetOFString(DCM_SOPInstanceUID, value);
  object.reference.sopInstanceUid = value.c_str();
  object.bytes = SerializeDicom(file);
  return object;
}

}  // namespace relais::report
