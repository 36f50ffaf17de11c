#include "domain/report/StructuredReport.h"

#include <gtest/gtest.h>

#include <dcmtk/dcmdata/dcdeftag.h>
#include <dcmtk/dcmdata/dcfilefo.h>

#include "SampleReports.h"
#include "domain/report/DicomBytes.h"
#include "harness/OrthancServer.h"
#include "harness/TempDir.h"

using namespace relais::report;

namespace {

std::string Tag(const std::string& bytes, const DcmTagKey& tag) {
  auto file = ParseDicom(bytes);
  OFString value;
  file->getDataset()->findAndGetOFStringArray(tag, value, OFTrue);
  return value.c_str();
}

std::string Dump(const char* tool, const std::filesystem::path& file) {
  std::string output;
  relais::test::RunCommand(std::string(tool) + " '" + file.string() + "'", &output);
  return output;
}

}  // namespace

TEST(StructuredReport, EveryTemplateGivesAValidComprehensiveSr) {
  relais::test::TempDir dir;
  for (const auto& t : test::ShippedTemplates().all()) {
    ReportDocument d = test::SampleDocument(t.id);
    DicomObject sr = BuildStructuredReport(d, t);
    auto path = dir / (t.id + ".dcm");
    test::WriteFile(path, sr.bytes);
    std::string output;
    EXPECT_EQ(test::DciodvfyErrors(path, output), 0) << t.id << "\n" << output;
    EXPECT_EQ(sr.reference.sopClassUid, kComprehensiveSrClass);
    EXPECT_EQ(sr.reference.studyInstanceUid, d.study.studyInstanceUid);
    EXPECT_EQ(Tag(sr.bytes, DCM_SOPInstanceUID), sr.reference.sopInstanceUid);
  }
}

TEST(StructuredReport, HeaderIsTheCasesPatientAndStudyInANewSeries) {
  const ReportTemplate& t = *test::ShippedTemplates().byId("dermatology");
  ReportDocument d = test::SampleDocument("dermatology");
  DicomObject sr = BuildStructuredReport(d, t);
  EXPECT_EQ(Tag(sr.bytes, DCM_PatientName), "DIALLO^AMINATA");
  EXPECT_EQ(Tag(sr.bytes, DCM_PatientID), "VAN07-0042");
  EXPECT_EQ(Tag(sr.bytes, DCM_IssuerOfPatientID), "VAN-07");
  EXPECT_EQ(Tag(sr.bytes, DCM_StudyInstanceUID), d.study.studyInstanceUid);
  EXPECT_EQ(Tag(sr.bytes, DCM_AccessionNumber), "VAN07-20261125-3");
  EXPECT_EQ(Tag(sr.bytes, DCM_Modality), "SR");
  EXPECT_EQ(Tag(sr.bytes, DCM_Manufacturer), "Relais hub");
  EXPECT_EQ(Tag(sr.bytes, DCM_CompletionFlag), "COMPLETE");
  EXPECT_EQ(Tag(sr.bytes, DCM_VerificationFlag), "VERIFIED");
  EXPECT_EQ(Tag(sr.bytes, DCM_PreliminaryFlag), "FINAL");
  EXPECT_EQ(Tag(sr.bytes, DCM_SpecificCharacterSet), "ISO_IR 192");
  EXPECT_NE(sr.reference.seriesInstanceUid, d.evaluatedInstances[0].seriesInstanceUid);
  // A second build is a new object in a new series.
  DicomObject again = BuildStructuredReport(d, t);
  EXPECT_NE(again.reference.sopInstanceUid, sr.reference.sopInstanceUid);
  EXPECT_NE(again.reference.seriesInstanceUid, sr.reference.seriesInstanceUid);
}

TEST(StructuredReport, DsrdumpShowsTheTemplatesContent) {
  relais::test::TempDir dir;
  const ReportTemplate& t = *test::ShippedTemplates().byId("obstetric-ultrasound");
  DicomObject sr = BuildStructuredReport(test::SampleDocument(t.id), t);
  test::WriteFile(dir / "sr.dcm", sr.bytes);
  std::string dump = Dump("dsrdump +Pl +Pu +Pc", dir / "sr.dcm");
  for (const char* expected :
       {"Comprehensive SR Document", "Diagnostic imaging report", "Person Observer Name", "NDIAYE^AWA^^DR",
        "Verifying Observers", "(11820-8,LN,\"Biparietal Diameter\")", "\"54.2\" (mm,UCUM,\"millimeter\")", "Gestational Age", "\"22.4\" (wk,UCUM,\"week\")", "Fetal Heart Rate",
        "\"148\" (/min,UCUM,\"per minute\")", "Fetal heart activity", "Present", "Placenta", "Posterior", "Amniotic fluid", "Normal",
        "Conclusion", "Next scan", "Request", "Evaluated images", "IMAGE", "1.2.826.0.1.3680043.8.498.30002"}) {
    EXPECT_NE(dump.find(expected), std::string::npos) << "missing '" << expected << "' in\n" << dump;
  }
  const ReportTemplate& derm = *test::ShippedTemplates().byId("dermatology");
  test::WriteFile(dir / "derm.dcm", BuildStructuredReport(test::SampleDocument("dermatology"), derm).bytes);
  dump = Dump("dsrdump +Pl +Pu +Pc", dir / "derm.dcm");
  for (const char* expected : {"Impression", "(9014002,SCT,\"Psoriasis\")", "Largest diameter", "\"30\" (mm,UCUM,\"millimeter\")",
                               "(373067005,SCT,\"No\")", "Follow-up"}) {
    EXPECT_NE(dump.find(expected), std::string::npos) << "missing '" << expected << "' in\n" << dump;
  }
}

// The finding site is coded with its side (SNOMED CT, DICOM CID 244) so a receiving PACS or
// EHR can tell a left forearm from a right one.
TEST(StructuredReport, FindingSiteCarriesItsLaterality) {
  relais::test::TempDir dir;
  const ReportTemplate& t = *test::ShippedTemplates().byId("dermatology");
  ReportDocument d = test::SampleDocument("dermatology");
  test::WriteFile(dir / "left.dcm", BuildStructuredReport(d, t).bytes);
  std::string output;
  EXPECT_EQ(test::DciodvfyErrors(dir / "left.dcm", output), 0) << output;
  std::string dump = Dump("dsrdump +Pl +Pu +Pc", dir / "left.dcm");
  for (const char* expected : {"(363698007,SCT,\"Finding Site\")", "(14975008,SCT,\"Forearm\")",
                               "has concept mod CODE:(272741003,SCT,\"Laterality\")=(7771000,SCT,\"Left\")", "(7771000,SCT,\"Left\")"}) {
    EXPECT_NE(dump.find(expected), std::string::npos) << "missing '" << expected << "' in\n" << dump;
  }
  d.request.laterality = "B";
  test::WriteFile(dir / "both.dcm", BuildStructuredReport(d, t).bytes);
  EXPECT_NE(Dump("dsrdump +Pl +Pu +Pc", dir / "both.dcm").find("(51440002,SCT,\"Right and left\")"), std::string::npos);
  d.request.laterality = "";
  test::WriteFile(dir / "unpaired.dcm", BuildStructuredReport(d, t).bytes);
  dump = Dump("dsrdump +Pl +Pu +Pc", dir / "unpaired.dcm");
  EXPECT_NE(dump.find("(14975008,SCT,\"Forearm\")"), std::string::npos) << dump;
  EXPECT_EQ(dump.find("Laterality"), std::string::npos) << dump;
}

// Codes of the project's own scheme are declared in the document, as PS3.3 C.12.1.1.6 asks of
// a private coding scheme.
TEST(StructuredReport, DeclaresItsPrivateCodingScheme) {
  const ReportTemplate& t = *test::ShippedTemplates().byId("dermatology");
  DicomObject sr = BuildStructuredReport(test::SampleDocument("dermatology"), t);
  auto file = ParseDicom(sr.bytes);
  DcmItem* item = nullptr;
  ASSERT_TRUE(file->getDataset()->findAndGetSequenceItem(DCM_CodingSchemeIdentificationSequence, item, 0).good());
  OFString designator, name;
  item->findAndGetOFString(DCM_CodingSchemeDesignator, designator);
  item->findAndGetOFString(DCM_CodingSchemeName, name);
  EXPECT_EQ(designator, "99RELAIS");
  EXPECT_EQ(name, "Relais teleexpertise report codes");
}

TEST(StructuredReport, OptionalFieldsLeftEmptyAreLeftOut) {
  relais::test::TempDir dir;
  const ReportTemplate& t = *test::ShippedTemplates().byId("generic");
  ReportDocument d = test::SampleDocument("generic");
  d.values = {{"findings", "Rien de particulier."}, {"conclusion", "Normal."}, {"referral", "none"}};
  d.evaluatedInstances.clear();
  test::WriteFile(dir / "sr.dcm", BuildStructuredReport(d, t).bytes);
  std::string output;
  EXPECT_EQ(test::DciodvfyErrors(dir / "sr.dcm", output), 0) << output;
  std::string dump = Dump("dsrdump +Pl +Pu +Pc", dir / "sr.dcm");
  EXPECT_EQ(dump.find("Coded diagnosis"), std::string::npos) << dump;
  EXPECT_NE(dump.find("Rien de particulier."), std::string::npos) << dump;
}

TEST(StructuredReport, AmendmentReferencesItsPredecessor) {
  relais::test::TempDir dir;
  const ReportTemplate& t = *test::ShippedTemplates().byId("xray");
  ReportDocument first = test::SampleDocument("xray");
  DicomObject v1 = BuildStructuredReport(first, t);
  ReportDocument second = first;
  second.version = 2;
  second.signedAt = "2026-11-26T08:00:00Z";
  second.values["impression"] = "Tuberculose pulmonaire active probable, à confirmer.";
  second.amendmentReason = "Précision de la conclusion.";
  second.predecessorReports = {v1.reference};
  DicomObject v2 = BuildStructuredReport(second, t);
  test::WriteFile(dir / "v2.dcm", v2.bytes);
  std::string output;
  EXPECT_EQ(test::DciodvfyErrors(dir / "v2.dcm", output), 0) << output;
  std::string dump = Dump("dcmdump", dir / "v2.dcm");
  auto predecessor = dump.find("PredecessorDocumentsSequence");
  ASSERT_NE(predecessor, std::string::npos) << dump;
  EXPECT_NE(dump.find(v1.reference.sopInstanceUid, predecessor), std::string::npos) << dump;
  EXPECT_NE(dump.find(v1.reference.seriesInstanceUid, predecessor), std::string::npos) << dump;
  EXPECT_EQ(v2.reference.studyInstanceUid, v1.reference.studyInstanceUid);
  EXPECT_NE(v2.reference.sopInstanceUid, v1.reference.sopInstanceUid);
  EXPECT_NE(Dump("dsrdump +Pl +Pu +Pc", dir / "v2.dcm").find("Reason for amendment"), std::string::npos);
}
