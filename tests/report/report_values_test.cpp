#include "domain/report/ReportValues.h"

#include <gtest/gtest.h>

#include "SampleReports.h"

using namespace relais::report;
using nlohmann::json;

namespace {
const ReportTemplate& Template(const std::string& id) { return *test::ShippedTemplates().byId(id); }

bool HasProblem(const std::vector<ReportProblem>& problems, const std::string& field, const std::string& text) {
  for (const auto& p : problems) {
    if (p.field == field && p.message.find(text) != std::string::npos) return true;
  }
  return false;
}
}  // namespace

TEST(ReportValues, SampleReportsOfEveryTemplateAreValid) {
  for (const auto& t : test::ShippedTemplates().all()) {
    auto problems = ValidateReport(t, test::SampleValues(t.id));
    EXPECT_TRUE(problems.empty()) << t.id << ": " << ProblemsJson(problems).dump();
  }
}

TEST(ReportValues, ListsEveryProblemAtOnce) {
  json values = {{"fetus-count", "quadruplets"},                 // not an option
                 {"gestational-age", 60},                         // above max
                 {"bpd", "54 mm"},                                // not a number
                 {"fetal-heart-activity", "present"},
                 {"placenta", "posterior"},
                 {"next-scan", "2027-02-30"},                     // no such day
                 {"colour", "blue"}};                             // not a field
  auto problems = ValidateReport(Template("obstetric-ultrasound"), values);
  EXPECT_TRUE(HasProblem(problems, "fetus-count", "'quadruplets' is not one of: single, twins, multiple"));
  EXPECT_TRUE(HasProblem(problems, "gestational-age", "at most 44 wk"));
  EXPECT_TRUE(HasProblem(problems, "bpd", "must be a number (in mm)"));
  EXPECT_TRUE(HasProblem(problems, "next-scan", "YYYY-MM-DD"));
  EXPECT_TRUE(HasProblem(problems, "colour", "is not a field"));
  EXPECT_TRUE(HasProblem(problems, "amniotic-fluid", "is required"));
  EXPECT_TRUE(HasProblem(problems, "conclusion", "is required"));
  EXPECT_EQ(problems.size(), 7u) << ProblemsJson(problems).dump(2);
}

TEST(ReportValues, CodedValuesNeedAnAcceptedScheme) {
  json values = test::SampleValues("dermatology");
  values["working-diagnosis"] = {{"code", "L40.0"}, {"scheme", "ICD10"}, {"meaning", ""}};
  auto problems = ValidateReport(Template("dermatology"), values);
  EXPECT_TRUE(HasProblem(problems, "working-diagnosis", "coding scheme 'ICD10' is not accepted (expected SCT, I10)"));
  EXPECT_TRUE(HasProblem(problems, "working-diagnosis", "needs a 'meaning'"));
}

TEST(ReportValues, EmptyAndNullCountAsMissing) {
  json values = test::SampleValues("generic");
  values["findings"] = "";
  values["conclusion"] = nullptr;
  auto problems = ValidateReport(Template("generic"), values);
  EXPECT_TRUE(HasProblem(problems, "findings", "is required"));
  EXPECT_TRUE(HasProblem(problems, "conclusion", "is required"));
  EXPECT_EQ(problems.size(), 2u);
  EXPECT_TRUE(HasProblem(ValidateReport(Template("generic"), json::array()), "", "JSON object"));
}

TEST(ReportValues, DisplaysValuesForReaders) {
  const auto& t = Template("obstetric-ultrasound");
  EXPECT_EQ(DisplayValue(*t.field("bpd"), 54.2, "fr"), "54.2 mm");
  EXPECT_EQ(DisplayValue(*t.field("placenta"), "posterior", "fr"), "Postérieur");
  EXPECT_EQ(DisplayValue(*t.field("placenta"), "posterior", "en"), "Posterior");
  EXPECT_EQ(DecimalString(22.4), "22.4");
  EXPECT_EQ(DicomDate("2027-01-20"), "20270120");
}
