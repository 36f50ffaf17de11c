#include "domain/report/ReportDocument.h"

#include <regex>
#include <stdexcept>

namespace relais::report {

std::pair<std::string, std::string> DicomDateTime(const std::string& isoUtc) {
  static const std::regex pattern(R"((\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(\.\d+)?Z)");
  std::smatch m;
  if (!std::regex_match(isoUtc, m, pattern)) {
    throw std::invalid_argument("not an ISO 8601 UTC time (YYYY-MM-DDThh:mm:ssZ): " + isoUtc);
  }
  return {m.str(1) + m.str(2) + m.str(3), m.str(4) + m.str(5) + m.str(6)};
}

std::string ReadablePersonName(const std::string& dicomPersonName) {
  // Only the alphabetic group (before '='); components family^given^middle^prefix^suffix.
  std::string alphabetic = dicomPersonName.substr(0, dicomPersonName.find('='));
  std::vector<std::string> parts;
  size_t start = 0;
  while (true) {
    size_t end = alphabetic.find('^', start);
    parts.push_back(alphabetic.substr(start, end == std::string::npos ? std::string::npos : end - start));
    if (end == std::string::npos) break;
    start = end + 1;
  }
  parts.resize(5);
  std::string out;
  for (const std::string& p : {parts[3], parts[0], parts[1], parts[2], parts[4]}) {
    if (!p.empty()) out += (out.empty() ? "" : " ") + p;
  }
  return out;
}

using nlohmann::json;

json ToJson(const InstanceReference& r) {
  return {{"studyInstanceUid", r.studyInstanceUid}, {"seriesInstanceUid", r.seriesInstanceUid},
          {"sopClassUid", r.sopClassUid}, {"sopInstanceUid", r.sopInstanceUid}};
}

InstanceReference InstanceReferenceFromJson(const json& j) {
  return {j.value("studyInstanceUid", ""), j.value("seriesInstanceUid", ""), j.value("sopClassUid", ""),
          j.value("sopInstanceUid", "")};
}

namespace {
json References(const std::vector<InstanceReference>& list) {
  json out = json::array();
  for (const auto& r : list) out.push_back(ToJson(r));
  return out;
}
std::vector<InstanceReference> ReferencesFrom(const json& j) {
  std::vector<InstanceReference> out;
  if (j.is_array()) {
    for (const auto& r : j) out.push_back(InstanceReferenceFromJson(r));
  }
  return out;
}
}  // namespace

json ToJson(const ReportDocument& d) {
  return {{"caseId", d.caseId},
          {"version", d.version},
          {"language", d.language},
          {"template", d.templateId},
          {"patient", {{"id", d.patient.id}, {"issuer", d.patient.issuer}, {"name", d.patient.name},
                       {"birthDate", d.patient.birthDate}, {"sex", d.patient.sex}}},
          {"study", {{"studyInstanceUid", d.study.studyInstanceUid}, {"studyDate", d.study.studyDate},
                     {"studyTime", d.study.studyTime}, {"accessionNumber", d.study.accessionNumber},
                     {"studyId", d.study.studyId}, {"referringPhysician", d.study.referringPhysician},
                     {"studyDescription", d.study.studyDescription}, {"institution", d.study.institution}}},
          {"request", {{"specialty", d.request.specialty}, {"question", d.request.question},
                       {"history", d.request.history}, {"bodySite", d.request.bodySite},
                       {"priority", d.request.priority}, {"unit", d.request.unit},
                       {"laterality", d.request.laterality}, {"bodySiteCode", d.request.bodySiteCode}}},
          {"author", {{"login", d.author.login}, {"name", d.author.name}, {"organization", d.author.organization}}},
          {"signedAt", d.signedAt},
          {"values", d.values},
          {"evaluatedInstances", References(d.evaluatedInstances)},
          {"predecessorReports", References(d.predecessorReports)},
          {"predecessorPdfs", References(d.predecessorPdfs)},
          {"amendmentReason", d.amendmentReason},
          {"hubName", d.hubName}};
}

ReportDocument ReportDocumentFromJson(const json& j) {
  ReportDocument d;
  d.caseId = j.value("caseId", int64_t{0});
  d.version = j.value("version", 1);
  d.language = j.value("language", "fr");
  d.templateId = j.value("template", "");
  const json& p = j.at("patient");
  d.patient = {p.value("id", ""), p.value("issuer", ""), p.value("name", ""), p.value("birthDate", ""),
               p.value("sex", "")};
  const json& s = j.at("study");
  d.study = {s.value("studyInstanceUid", ""), s.value("studyDate", ""), s.value("studyTime", ""),
             s.value("accessionNumber", ""), s.value("studyId", ""), s.value("referringPhysician", ""),
             s.value("studyDescription", ""), s.value("institution", "")};
  const json& r = j.at("request");
  d.request = {r.value("specialty", ""), r.value("question", ""), r.value("history", ""), r.value("bodySite", ""),
               r.value("priority", ""), r.value("unit", ""), r.value("laterality", ""),
               r.value("bodySiteCode", "")};
  const json& a = j.at("author");
  d.author = {a.value("login", ""), a.value("name", ""), a.value("organization", "")};
  d.signedAt = j.value("signedAt", "");
  d.values = j.value("values", json::object());
  d.evaluatedInstances = ReferencesFrom(j.value("evaluatedInstances", json::array()));
  d.predecessorReports = ReferencesFrom(j.value("predecessorReports", json::array()));
  d.predecessorPdfs = ReferencesFrom(j.value("predecessorPdfs", json::array()));
  d.amendmentReason = j.value("amendmentReason", "");
  d.hubName = j.value("hubName", "Relais");
  return d;
}

}  // namespace relais::report
