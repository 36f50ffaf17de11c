#include "domain/report/ReportPdf.h"

#include <gtest/gtest.h>

#include <dcmtk/dcmdata/dcdeftag.h>
#include <dcmtk/dcmdata/dcfilefo.h>

#include "SampleReports.h"
#include "domain/report/DicomBytes.h"
#include "domain/report/EncapsulatedPdf.h"
#include "domain/report/StructuredReport.h"
#include "harness/OrthancServer.h"
#include "harness/TempDir.h"

using namespace relais::report;

namespace {
std::string PdfText(const std::filesystem::path& pdf) {
  std::string text;
  relais::test::RunCommand("pdftotext -enc UTF-8 '" + pdf.string() + "' -", &text);
  return text;
}
}  // namespace

TEST(ReportPdf, ShowsPatientRequestFindingsAndAuthor) {
  relais::test::TempDir dir;
  const ReportTemplate& t = *test::ShippedTemplates().byId("dermatology");
  std::string pdf = RenderReportPdf(test::SampleDocument("dermatology"), t);
  ASSERT_EQ(pdf.compare(0, 5, "%PDF-"), 0);
  test::WriteFile(dir / "report.pdf", pdf);
  std::string text = PdfText(dir / "report.pdf");
  for (const char* expected :
       {"DIALLO AMINATA", "VAN07-0042", "1991-03-14", "Compte rendu de télé-expertise dermatologique",
        "Lésion qui s'étend depuis 2 mois", "Description de la lésion", "Plaque érythémato-squameuse",
        "Psoriasis (SCT 9014002)", "30 mm", "À 3 mois", "Dermocorticoïde", "DR NDIAYE AWA", "Relais Hub Dakar",
        "2026-11-25 22:50 UTC", "Dermatologie", "Normale", "Forearm, gauche"}) {
    EXPECT_NE(text.find(expected), std::string::npos) << "missing '" << expected << "' in\n" << text;
  }
}

// The side travels with the site: a left forearm is never printed as "Forearm".
TEST(ReportPdf, BodySiteCarriesItsSideInTheReadersLanguage) {
  relais::test::TempDir dir;
  const ReportTemplate& t = *test::ShippedTemplates().byId("dermatology");
  ReportDocument d = test::SampleDocument("dermatology");
  d.language = "en";
  d.request.laterality = "R";
  test::WriteFile(dir / "en.pdf", RenderReportPdf(d, t));
  EXPECT_NE(PdfText(dir / "en.pdf").find("Forearm, right"), std::string::npos) << PdfText(dir / "en.pdf");
  d.request.laterality = "";
  test::WriteFile(dir / "none.pdf", RenderReportPdf(d, t));
  const std::string text = PdfText(dir / "none.pdf");
  EXPECT_NE(text.find("Forearm"), std::string::npos) << text;
  EXPECT_EQ(text.find("Forearm,"), std::string::npos) << text;
}

// A French obstetrician reads a gestational age in "SA" (semaines d'aménorrhée), an English one in weeks.
TEST(ReportPdf, UnitsAsEachLanguageWritesThem) {
  relais::test::TempDir dir;
  const ReportTemplate& t = *test::ShippedTemplates().byId("obstetric-ultrasound");
  ReportDocument d = test::SampleDocument("obstetric-ultrasound");
  test::WriteFile(dir / "fr.pdf", RenderReportPdf(d, t));
  const std::string fr = PdfText(dir / "fr.pdf");
  EXPECT_NE(fr.find("22.4 SA"), std::string::npos) << fr;
  EXPECT_NE(fr.find("54.2 mm"), std::string::npos) << fr;
  d.language = "en";
  test::WriteFile(dir / "en.pdf", RenderReportPdf(d, t));
  const std::string en = PdfText(dir / "en.pdf");
  EXPECT_NE(en.find("22.4 wk"), std::string::npos) << en;
}

TEST(ReportPdf, EnglishLabelsAndLongTextOverSeveralPages) {
  relais::test::TempDir dir;
  const ReportTemplate& t = *test::ShippedTemplates().byId("generic");
  ReportDocument d = test::SampleDocument("generic");
  d.language = "en";
  std::string longText;
  for (int i = 0; i < 400; ++i) longText += "Finding number " + std::to_string(i) + " is unremarkable. ";
  d.values["findings"] = longText + "LASTWORD";
  test::WriteFile(dir / "report.pdf", RenderReportPdf(d, t));
  std::string text = PdfText(dir / "report.pdf");
  EXPECT_NE(text.find("Clinical question"), std::string::npos) << text;
  // The request's specialty and priority in the report's language, not as the hub codes them.
  EXPECT_NE(text.find("Dermatology"), std::string::npos) << text;
  EXPECT_NE(text.find("Routine"), std::string::npos) << text;
  EXPECT_NE(text.find("LASTWORD"), std::string::npos);
  std::string info;
  relais::test::RunCommand("pdfinfo '" + (dir / "report.pdf").string() + "'", &info);
  EXPECT_NE(info.find("Pages:"), std::string::npos) << info;
  EXPECT_EQ(info.find("Pages:          1\n"), std::string::npos) << info;
}

TEST(ReportPdf, Windows1252KeepsFrenchAndReplacesTheRest) {
  EXPECT_EQ(ToWindows1252("é"), "\xE9");
  EXPECT_EQ(ToWindows1252("œ€"), "\x9C\x80");
  EXPECT_EQ(ToWindows1252("日"), "?");
  EXPECT_EQ(ToWindows1252("a\tb"), "a b");
}

TEST(EncapsulatedPdf, IsValidAndCarriesThePdfUnchanged) {
  relais::test::TempDir dir;
  const ReportTemplate& t = *test::ShippedTemplates().byId("obstetric-ultrasound");
  ReportDocument d = test::SampleDocument("obstetric-ultrasound");
  DicomObject sr = BuildStructuredReport(d, t);
  std::string pdf = RenderReportPdf(d, t);
  DicomObject doc = BuildEncapsulatedPdf(d, t, pdf, sr.reference);
  test::WriteFile(dir / "pdf.dcm", doc.bytes);
  std::string output;
  EXPECT_EQ(test::DciodvfyErrors(dir / "pdf.dcm", output), 0) << output;

  auto file = ParseDicom(doc.bytes);
  DcmDataset* ds = file->getDataset();
  OFString value;
  ds->findAndGetOFString(DCM_PatientName, value);
  EXPECT_EQ(value, "DIALLO^AMINATA");
  ds->findAndGetOFString(DCM_StudyInstanceUID, value);
  EXPECT_EQ(value, d.study.studyInstanceUid.c_str());
  ds->findAndGetOFString(DCM_Modality, value);
  EXPECT_EQ(value, "DOC");
  ds->findAndGetOFString(DCM_SeriesInstanceUID, value);
  EXPECT_NE(value, sr.reference.seriesInstanceUid.c_str());
  const Uint8* bytes = nullptr;
  unsigned long length = 0;
  ASSERT_TRUE(ds->findAndGetUint8Array(DCM_EncapsulatedDocument, bytes, &length).good());
  Uint32 documentLength = 0;
  ds->findAndGetUint32(DCM_EncapsulatedDocumentLength, documentLength);
  ASSERT_EQ(documentLength, pdf.size());
  EXPECT_EQ(std::string(reinterpret_cast<const char*>(bytes), documentLength), pdf);
  std::string dump;
  relais::test::RunCommand("dcmdump '" + (dir / "pdf.dcm").string() + "'", &dump);
  EXPECT_NE(dump.find(sr.reference.sopInstanceUid), std::string::npos) << "Source Instance Sequence names the SR";

  // DCMTK's own extractor gives back a PDF whose text shows the patient and the findings.
  relais::test::RunCommand("dcm2pdf '" + (dir / "pdf.dcm").string() + "' '" + (dir / "out.pdf").string() + "'");
  std::string text = PdfText(dir / "out.pdf");
  EXPECT_NE(text.find("DIALLO AMINATA"), std::string::npos) << text;
  EXPECT_NE(text.find("Grossesse monofœtale évolutive"), std::string::npos) << text;
  EXPECT_NE(text.find("54.2 mm"), std::string::npos) << text;
}
