#include "domain/report/ReportTemplate.h"

#include <fstream>

#include <gtest/gtest.h>

#include "SampleReports.h"
#include "harness/TempDir.h"

using namespace relais::report;
using nlohmann::json;

namespace {

json MinimalTemplate() {
  return json::parse(R"({
    "specialties": ["dermatology"],
    "title": {"fr": "Titre", "en": "Title"},
    "code": {"code": "11488-4", "scheme": "LN", "meaning": "Consult note"},
    "sections": [{"id": "main", "label": {"fr": "Principal", "en": "Main"}, "fields": [
      {"id": "size", "type": "number", "unit": {"ucum": "mm", "meaning": "millimeter"},
       "label": {"fr": "Taille", "en": "Size"}}]}]})");
}

std::string ErrorOf(const json& document) {
  try {
    ParseReportTemplate(document, "derm", "config/templates/derm.json");
  } catch (const TemplateError& e) {
    return e.what();
  }
  return "";
}

}  // namespace

TEST(ReportTemplate, ShippedTemplatesLoadAndCoverEverySpecialty) {
  const auto& catalog = test::ShippedTemplates();
  ASSERT_EQ(catalog.all().size(), 4u);
  EXPECT_EQ(catalog.forSpecialty("dermatology")->id, "dermatology");
  EXPECT_EQ(catalog.forSpecialty("obstetrics-gynaecology")->id, "obstetric-ultrasound");
  EXPECT_EQ(catalog.forSpecialty("radiology")->id, "xray");
  EXPECT_EQ(catalog.forSpecialty("pneumology")->id, "xray");
  EXPECT_EQ(catalog.forSpecialty("paediatrics")->id, "generic");
  EXPECT_EQ(catalog.forSpecialty("triage")->id, "generic");
}

TEST(ReportTemplate, FieldsHaveTypesUnitsCodesAndBothLanguages) {
  const auto* obstetric = test::ShippedTemplates().byId("obstetric-ultrasound");
  ASSERT_NE(obstetric, nullptr);
  const TemplateField* bpd = obstetric->field("bpd");
  ASSERT_NE(bpd, nullptr);
  EXPECT_EQ(bpd->type, FieldType::Number);
  EXPECT_EQ(bpd->unit, "mm");
  EXPECT_EQ(bpd->concept.value, "11820-8");
  EXPECT_EQ(bpd->concept.scheme, "LN");
  EXPECT_EQ(bpd->label.fr, "Diamètre bipariétal (BIP)");
  // A unit reads as each language writes it when the template says so, else as its UCUM code.
  const TemplateField* age = obstetric->field("gestational-age");
  ASSERT_NE(age, nullptr);
  EXPECT_EQ(age->unit, "wk");
  EXPECT_EQ(age->unitLabel.fr, "SA");
  EXPECT_EQ(age->unitLabel.en, "wk");
  EXPECT_EQ(bpd->unitLabel.fr, "mm");
  EXPECT_EQ(obstetric->toJson()["sections"][0]["fields"][1]["unit"]["label"]["fr"], "SA");
  const TemplateField* heart = obstetric->field("fetal-heart-activity");
  ASSERT_NE(heart, nullptr);
  EXPECT_TRUE(heart->required);
  EXPECT_EQ(heart->options.size(), 2u);
  const TemplateField* diagnosis = test::ShippedTemplates().byId("dermatology")->field("working-diagnosis");
  ASSERT_NE(diagnosis, nullptr);
  EXPECT_EQ(diagnosis->type, FieldType::Coded);
  EXPECT_EQ(diagnosis->codingSchemes, (std::vector<std::string>{"SCT", "I10"}));
  // A field without an explicit code gets a Relais concept named after it.
  const TemplateField* size = test::ShippedTemplates().byId("dermatology")->field("lesion-size");
  EXPECT_EQ(size->concept.scheme, "99RELAIS");
  EXPECT_EQ(size->concept.value, "lesion-size");
  EXPECT_EQ(size->concept.meaning, "Largest diameter");
}

TEST(ReportTemplate, JsonFormListsSectionsAndFields) {
  json j = test::ShippedTemplates().byId("xray")->toJson();
  EXPECT_EQ(j["id"], "xray");
  EXPECT_EQ(j["sections"][1]["fields"][0]["id"], "findings");
  EXPECT_EQ(j["sections"][1]["fields"][0]["type"], "text");
  EXPECT_EQ(j["sections"][0]["fields"][0]["options"][2]["label"]["en"], "Non-diagnostic");
}

TEST(ReportTemplate, ErrorsNameTheFileAndTheField) {
  json t = MinimalTemplate();
  ASSERT_EQ(ErrorOf(t), "");

  t["sections"][0]["fields"][0]["type"] = "integer";
  std::string e = ErrorOf(t);
  EXPECT_NE(e.find("config/templates/derm.json"), std::string::npos) << e;
  EXPECT_NE(e.find("field 'size'"), std::string::npos) << e;
  EXPECT_NE(e.find("unknown type 'integer'"), std::string::npos) << e;

  t = MinimalTemplate();
  t["sections"][0]["fields"][0].erase("unit");
  e = ErrorOf(t);
  EXPECT_NE(e.find("field 'size'"), std::string::npos) << e;
  EXPECT_NE(e.find("missing key 'unit'"), std::string::npos) << e;

  t = MinimalTemplate();
  t["sections"][0]["fields"][0]["unit"]["ucum"] = "milli metre";
  e = ErrorOf(t);
  EXPECT_NE(e.find("not a UCUM code"), std::string::npos) << e;

  t = MinimalTemplate();
  t["sections"][0]["fields"][0]["label"].erase("en");
  e = ErrorOf(t);
  EXPECT_NE(e.find("field 'size'"), std::string::npos) << e;
  EXPECT_NE(e.find("'en'"), std::string::npos) << e;

  t = MinimalTemplate();
  t["sections"][0]["fields"][0]["requried"] = true;
  e = ErrorOf(t);
  EXPECT_NE(e.find("unknown key 'requried'"), std::string::npos) << e;

  t = MinimalTemplate();
  t["sections"][0]["fields"].push_back(t["sections"][0]["fields"][0]);
  e = ErrorOf(t);
  EXPECT_NE(e.find("duplicate field id"), std::string::npos) << e;

  t = MinimalTemplate();
  t["sections"][0]["fields"][0] = json::parse(
      R"({"id": "referral", "type": "choice", "label": {"fr": "Orientation", "en": "Referral"}, "options": []})");
  e = ErrorOf(t);
  EXPECT_NE(e.find("field 'referral'"), std::string::npos) << e;
  EXPECT_NE(e.find("'options' must be a non-empty array"), std::string::npos) << e;

  t = MinimalTemplate();
  t["sections"][0]["fields"][0]["codingSchemes"] = {"SCT"};
  e = ErrorOf(t);
  EXPECT_NE(e.find("only allowed on coded fields"), std::string::npos) << e;
}

TEST(ReportTemplate, BadFilesAndConflictsNameTheFile) {
  relais::test::TempDir dir;
  {
    std::ofstream(dir / "broken.json") << "{ not json";
  }
  try {
    LoadReportTemplate((dir / "broken.json").string());
    FAIL() << "a broken file must be refused";
  } catch (const TemplateError& e) {
    EXPECT_NE(std::string(e.what()).find("broken.json: not valid JSON"), std::string::npos) << e.what();
  }
  std::filesystem::remove(dir / "broken.json");
  std::ofstream(dir / "a.json") << MinimalTemplate().dump();
  std::ofstream(dir / "b.json") << MinimalTemplate().dump();
  try {
    ReportTemplateCatalog::LoadDirectory(dir.path().string());
    FAIL() << "two templates for one specialty must be refused";
  } catch (const TemplateError& e) {
    std::string m = e.what();
    EXPECT_NE(m.find("b.json"), std::string::npos) << m;
    EXPECT_NE(m.find("'dermatology' is already served by"), std::string::npos) << m;
  }
  relais::test::TempDir empty;
  EXPECT_THROW(ReportTemplateCatalog::LoadDirectory(empty.path().string()), TemplateError);
}
