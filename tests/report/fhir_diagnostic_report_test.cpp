#include "domain/report/FhirDiagnosticReport.h"

#include <gtest/gtest.h>

#include "SampleReports.h"

using namespace relais::report;

TEST(FhirDiagnosticReport, ReferencesTheImagingStudyAndCarriesTheValues) {
  const ReportTemplate& t = *test::ShippedTemplates().byId("obstetric-ultrasound");
  ReportDocument d = test::SampleDocument("obstetric-ultrasound");
  InstanceReference sr{d.study.studyInstanceUid, "1.2.3.4", "1.2.840.10008.5.1.4.1.1.88.33", "1.2.3.4.5"};
  auto r = BuildFhirDiagnosticReport(d, t, sr, "/relais/v1/cases/12/report.pdf");
  EXPECT_EQ(r["resourceType"], "DiagnosticReport");
  EXPECT_EQ(r["status"], "final");
  EXPECT_EQ(r["code"]["coding"][0]["system"], "http://loinc.org");
  EXPECT_EQ(r["code"]["coding"][0]["code"], "18748-4");
  EXPECT_EQ(r["imagingStudy"][0]["identifier"]["system"], "urn:dicom:uid");
  EXPECT_EQ(r["imagingStudy"][0]["identifier"]["value"], "urn:oid:" + d.study.studyInstanceUid);
  EXPECT_EQ(r["identifier"][0]["value"], "urn:oid:1.2.3.4.5");
  EXPECT_EQ(r["subject"]["identifier"]["value"], "VAN07-0042");
  EXPECT_EQ(r["subject"]["display"], "DIALLO AMINATA");
  EXPECT_EQ(r["effectiveDateTime"], "2026-11-25");
  EXPECT_EQ(r["issued"], "2026-11-25T22:50:07Z");
  EXPECT_EQ(r["conclusion"], "Grossesse monofœtale évolutive, biométrie conforme au terme.");
  EXPECT_EQ(r["presentedForm"][0]["contentType"], "application/pdf");
  EXPECT_EQ(r["presentedForm"][0]["url"], "/relais/v1/cases/12/report.pdf");
  bool foundBpd = false;
  for (const auto& o : r["contained"]) {
    if (o["id"] == "f-bpd") {
      foundBpd = true;
      EXPECT_EQ(o["valueQuantity"]["value"], 54.2);
      EXPECT_EQ(o["valueQuantity"]["system"], "http://unitsofmeasure.org");
      EXPECT_EQ(o["valueQuantity"]["code"], "mm");
      EXPECT_EQ(o["code"]["coding"][0]["code"], "11820-8");
    }
  }
  EXPECT_TRUE(foundBpd) << r.dump(2);
  EXPECT_EQ(r["result"].size(), r["contained"].size());
}

// Each finding says where it was seen, with the side: SNOMED CT post-coordination
// (site : laterality = side) in the code, the words in the text.
TEST(FhirDiagnosticReport, FindingsCarryTheBodySiteWithItsSide) {
  const ReportTemplate& t = *test::ShippedTemplates().byId("dermatology");
  ReportDocument d = test::SampleDocument("dermatology");
  auto r = BuildFhirDiagnosticReport(d, t, {}, "x.pdf");
  ASSERT_FALSE(r["contained"].empty()) << r.dump(2);
  for (const auto& o : r["contained"]) {
    EXPECT_EQ(o["bodySite"]["coding"][0]["system"], "http://snomed.info/sct") << o.dump(2);
    EXPECT_EQ(o["bodySite"]["coding"][0]["code"], "14975008:272741003=7771000") << o.dump(2);
    EXPECT_EQ(o["bodySite"]["text"], "Forearm, left") << o.dump(2);
  }
  d.request.laterality = "";
  r = BuildFhirDiagnosticReport(d, t, {}, "x.pdf");
  EXPECT_EQ(r["contained"][0]["bodySite"]["coding"][0]["code"], "14975008");
  EXPECT_EQ(r["contained"][0]["bodySite"]["text"], "Forearm");
}

TEST(FhirDiagnosticReport, AmendedReportAndCodedDiagnosis) {
  const ReportTemplate& t = *test::ShippedTemplates().byId("xray");
  ReportDocument d = test::SampleDocument("xray");
  d.version = 2;
  auto r = BuildFhirDiagnosticReport(d, t, {}, "x.pdf");
  EXPECT_EQ(r["status"], "amended");
  EXPECT_EQ(r["conclusionCode"][0]["coding"][0]["system"], "http://hl7.org/fhir/sid/icd-10");
  EXPECT_EQ(r["conclusionCode"][0]["coding"][0]["code"], "A15.0");
  EXPECT_EQ(r["id"], "relais-case-12-v2");
}

TEST(ReportDocument, SurvivesItsJsonForm) {
  ReportDocument d = test::SampleDocument("xray");
  d.version = 2;
  d.predecessorReports = {{"1", "2", "3", "4"}};
  d.amendmentReason = "typo";
  ReportDocument back = ReportDocumentFromJson(ToJson(d));
  EXPECT_EQ(ToJson(back), ToJson(d));
  EXPECT_EQ(back.predecessorReports[0].sopInstanceUid, "4");
  EXPECT_EQ(back.evaluatedInstances.size(), 2u);
}
