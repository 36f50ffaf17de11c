#include "domain/report/EncapsulatedPdf.h"

#include <ctime>
#include <stdexcept>

#include <dcmtk/dcmdata/dcdeftag.h>
#include <dcmtk/dcmdata/dcfilefo.h>
#include <dcmtk/dcmdata/dcuid.h>

#include "domain/report/DicomBytes.h"
#include "domain/report/ReportMarking.h"
#include "relais/version.h"

namespace relais::report {

namespace {

void Put(DcmItem& item, const DcmTagKey& tag, const std::string& value, const char* name) {
  OFCondition status = item.putAndInsertOFStringArray(tag, value.c_str());
  if (status.bad()) throw std::runtime_error(std::string("encapsulated PDF: ") + name + ": " + status.text());
}

void PutCode(DcmItem& item, const DcmTagKey& sequence, const Code& code) {
  DcmItem* codeItem = nullptr;
  if (item.findOrCreateSequenceItem(sequence, codeItem, -2).bad() || codeItem == nullptr) {
    throw std::runtime_error("encapsulated PDF: cannot add a code sequence");
  }
  Put(*codeItem, DCM_CodeValue, code.value, "Code Value");
  Put(*codeItem, DCM_CodingSchemeDesignator, code.scheme, "Coding Scheme Designator");
  Put(*codeItem, DCM_CodeMeaning, code.meaning, "Code Meaning");
}

void AddSource(DcmItem& dataset, const InstanceReference& source) {
  DcmItem* item = nullptr;
  if (dataset.findOrCreateSequenceItem(DCM_SourceInstanceSequence, item, -2).bad() || item == nullptr) {
    throw std::runtime_error("encapsulated PDF: cannot add Source Instance Sequence");
  }
  Put(*item, DCM_ReferencedSOPClassUID, source.sopClassUid, "Referenced SOP Class UID");
  Put(*item, DCM_ReferencedSOPInstanceUID, source.sopInstanceUid, "Referenced SOP Instance UID");
}

}  // namespace

DicomObject BuildEncapsulatedPdf(const ReportDocument& d, const ReportTemplate& t, const std::string& pdfBytes,
                                 const InstanceReference& structuredReport) {
  if (pdfBytes.size() < 5 || pdfBytes.compare(0, 5, "%PDF-") != 0) {
    throw std::runtime_error("encapsulated PDF: the document is not a PDF");
  }
  DcmFileFormat file;
  DcmDataset& ds = *file.getDataset();
  const auto [date, time] = DicomDateTime(d.signedAt);

  DicomObject object;
  object.reference.studyInstanceUid = d.study.studyInstanceUid;
  object.reference.seriesInstanceUid = NewUid(SITE_SERIES_UID_ROOT);
  object.reference.sopClassUid = kEncapsulatedPdfClass;
  object.reference.sopInstanceUid = NewUid(SITE_INSTANCE_UID_ROOT);

  Put(ds, DCM_SpecificCharacterSet, "ISO_IR 192", "Specific Character Set");
  Put(ds, DCM_SOPClassUID, object.reference.sopClassUid, "SOP Class UID");
  Put(ds, DCM_SOPInstanceUID, object.reference.sopInstanceUid, "SOP Instance UID");
  Put(ds, DCM_InstanceCreationDate, date, "Instance Creation Date");
  Put(ds, DCM_InstanceCreationTime, time, "Instance Creation Time");

  // Patient and General Study: exactly the case's, so the PDF files under the same study.
  Put(ds, DCM_PatientName, d.patient.name, "Patient's Name");
  Put(ds, DCM_PatientID, d.patient.id, "Patient ID");
  if (!d.patient.issuer.empty()) Put(ds, DCM_IssuerOfPatientID, d.patient.issuer, "Issuer of Patient ID");
  Put(ds, DCM_PatientBirthDate, d.patient.birthDate, "Patient's Birth Date");
  Put(ds, DCM_PatientSex, d.patient.sex, "Patient's Sex");
  Put(ds, DCM_StudyInstanceUID, d.study.studyInstanceUid, "Study Instance UID");
  Put(ds, DCM_StudyDate, d.study.studyDate, "Study Date");
  Put(ds, DCM_StudyTime, d.study.studyTime, "Study Time");
  Put(ds, DCM_ReferringPhysicianName, d.study.referringPhysician, "Referring Physician's Name");
  Put(ds, DCM_StudyID, d.study.studyId, "Study ID");
  Put(ds, DCM_AccessionNumber, d.study.accessionNumber, "Accession Number");
  if (!d.study.studyDescription.empty()) Put(ds, DCM_StudyDescription, d.study.studyDescription, "Study Description");

  // Encapsulated Document Series, General and SC Equipment.
  Put(ds, DCM_Modality, "DOC", "Modality");
  Put(ds, DCM_SeriesInstanceUID, object.reference.seriesInstanceUid, "Series Instance UID");
  Put(ds, DCM_SeriesNumber, std::to_string(9000 + 2 * d.version), "Series Number");
  Put(ds, DCM_SeriesDescription, "Relais report v" + std::to_string(d.version) + " (PDF)", "Series Description");
  Put(ds, DCM_Manufacturer, kHubManufacturer, "Manufacturer");
  Put(ds, DCM_ManufacturerModelName, kReportModelName, "Manufacturer's Model Name");
  Put(ds, DCM_SoftwareVersions, std::string("relais ") + relais::kVersion, "Software Versions");
  Put(ds, DCM_ConversionType, "WSD", "Conversion Type");

  // Encapsulated Document.
  Put(ds, DCM_InstanceNumber, "1", "Instance Number");
  Put(ds, DCM_ContentDate, date, "Content Date");
  Put(ds, DCM_ContentTime, time, "Content Time");
  Put(ds, DCM_AcquisitionDateTime, date + time, "Acquisition DateTime");
  // The PDF prints the patient's name and identifiers.
  Put(ds, DCM_BurnedInAnnotation, "YES", "Burned In Annotation");
  Put(ds, DCM_DocumentTitle, t.title.in(d.language), "Document Title");
  PutCode(ds, DCM_ConceptNameCodeSequence, t.documentCode);
  AddSource(ds, structuredReport);
  for (const auto& previous : d.predecessorPdfs) AddSource(ds, previous);
  Put(ds, DCM_MIMETypeOfEncapsulatedDocument, "application/pdf", "MIME Type");
  std::string padded = pdfBytes;
  if (padded.size() % 2 != 0) padded.push_back('\0');  // OB values have even length
  OFCondition status = ds.putAndInsertUint8Array(DCM_EncapsulatedDocument,
                                                 reinterpret_cast<const Uint8*>(padded.data()),
                                                 static_cast<unsigned long>(padded.size()));
  if (status.bad()) throw std::runtime_error(std::string("encapsulated PDF: document: ") + status.text());
  status = ds.putAndInsertUint32(DCM_EncapsulatedDocumentLength, static_cast<Uint32>(pdfBytes.size()));
  if (status.bad()) throw std::runtime_error(std::string("encapsulated PDF: document length: ") + status.text());

  object.bytes = SerializeDicom(file);
  return object;
}

}  // namespace relais::report
