#include "SampleReports.h"

#include <fstream>
#include <sstream>
#include <stdexcept>

#include "harness/OrthancServer.h"

namespace relais::report::test {

const ReportTemplateCatalog& ShippedTemplates() {
  static const ReportTemplateCatalog catalog = ReportTemplateCatalog::LoadDirectory(RELAIS_TEMPLATES_DIR);
  return catalog;
}

nlohmann::json SampleValues(const std::string& templateId) {
  if (templateId == "dermatology") {
    return {{"lesion-description", "Plaque érythémato-squameuse de 3 cm, bords nets, face antérieure de l'avant-bras."},
            {"lesion-size", 30},
            {"differential-diagnosis", "Eczéma nummulaire, dermatophytie."},
            {"working-diagnosis", {{"code", "9014002"}, {"scheme", "SCT"}, {"meaning", "Psoriasis"}}},
            {"management", "Dermocorticoïde classe 3 une fois par jour pendant 3 semaines."},
            {"follow-up", "3-months"},
            {"follow-up-date", "2027-02-25"},
            {"referral-needed", "no"}};
  }
  if (templateId == "obstetric-ultrasound") {
    return {{"fetus-count", "single"}, {"gestational-age", 22.4}, {"bpd", 54.2}, {"hc", 201}, {"ac", 175.5},
            {"fl", 38}, {"efw", 480}, {"fetal-heart-activity", "present"}, {"fetal-heart-rate", 148},
            {"placenta", "posterior"}, {"amniotic-fluid", "normal"}, {"afi", 14},
            {"conclusion", "Grossesse monofœtale évolutive, biométrie conforme au terme."},
            {"recommendation", "Échographie du troisième trimestre."}, {"next-scan", "2027-01-20"}};
  }
  if (templateId == "xray") {
    return {{"image-quality", "adequate"}, {"technique", "Thorax de face, film photographié."},
            {"findings", "Opacité apicale droite excavée. Pas d'épanchement pleural."},
            {"impression", "Aspect évocateur de tuberculose pulmonaire active."},
            {"diagnosis", {{"code", "A15.0"}, {"scheme", "I10"}, {"meaning", "Tuberculosis of lung"}}},
            {"tuberculosis-suspicion", "likely"},
            {"recommendation", "Recherche de BK dans les crachats, isolement respiratoire."},
            {"referral", "urgent"}};
  }
  return {{"findings", "Lésion ulcérée du bord latéral de la langue."},
          {"conclusion", "Lésion suspecte nécessitant une biopsie."},
          {"diagnosis", {{"code", "K13.7"}, {"scheme", "I10"}, {"meaning", "Other lesions of oral mucosa"}}},
          {"recommendation", "Biopsie en consultation ORL."},
          {"referral", "routine"}};
}

ReportDocument SampleDocument(const std::string& templateId) {
  ReportDocument d;
  d.caseId = 12;
  d.version = 1;
  d.language = "fr";
  d.templateId = templateId;
  d.patient = {"VAN07-0042", "VAN-07", "DIALLO^AMINATA", "19910314", "F"};
  d.study.studyInstanceUid = "1.2.826.0.1.3680043.8.498.10001";
  d.study.studyDate = "20261125";
  d.study.studyTime = "101500";
  d.study.accessionNumber = "VAN07-20261125-3";
  d.study.studyId = "3";
  d.study.referringPhysician = "";
  d.study.studyDescription = "Télé-expertise";
  d.study.institution = "Camion santé Kolda";
  d.request = {"dermatology", "Lésion qui s'étend depuis 2 mois, prurigineuse.", "Pas d'antécédent notable.",
               "Forearm", "routine", "VAN-07", "L", "SCT:14975008"};
  d.author = {"derm1", "NDIAYE^AWA^^DR", "Relais Hub Dakar"};
  d.signedAt = "2026-11-25T22:50:07Z";
  d.values = SampleValues(templateId);
  d.evaluatedInstances = {
      {d.study.studyInstanceUid, "1.2.826.0.1.3680043.8.498.20001", "1.2.840.10008.5.1.4.1.1.77.1.4",
       "1.2.826.0.1.3680043.8.498.30001"},
      {d.study.studyInstanceUid, "1.2.826.0.1.3680043.8.498.20001", "1.2.840.10008.5.1.4.1.1.77.1.4",
       "1.2.826.0.1.3680043.8.498.30002"}};
  return d;
}

void WriteFile(const std::filesystem::path& path, const std::string& bytes) {
  std::ofstream out(path, std::ios::binary);
  out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
  if (!out) throw std::runtime_error("cannot write " + path.string());
}

int DciodvfyErrors(const std::filesystem::path& file, std::string& output) {
  relais::test::RunCommand("dciodvfy '" + file.string() + "'", &output);
  std::istringstream lines(output);
  std::string line;
  int errors = 0;
  while (std::getline(lines, line)) {
    if (line.rfind("Error", 0) == 0) ++errors;
  }
  return errors;
}

}  // namespace relais::report::test
