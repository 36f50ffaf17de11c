#include "domain/Case.h"

#include <ctime>

namespace relais {

std::string IsoTime(int64_t unixSeconds) {
  std::time_t t = static_cast<std::time_t>(unixSeconds);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buffer[32];
  std::strftime(buffer, sizeof buffer, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buffer;
}

nlohmann::json ToJson(const Case& c) {
  using nlohmann::json;
  return json{
      {"id", c.id},
      {"studyInstanceUid", c.studyInstanceUid},
      {"orthancStudyId", c.orthancStudyId},
      {"queue", c.queue},
      {"state", ToString(c.state)},
      {"priority", c.priority},
      {"unit", c.unit},
      {"patient",
       {{"id", c.patient.id},
        {"issuer", c.patient.issuer},
        {"name", c.patient.name},
        {"birthDate", c.patient.birthDate},
        {"sex", c.patient.sex}}},
      {"request",
       {{"specialty", c.request.specialty},
        {"question", c.request.question},
        {"history", c.request.history},
        {"bodySite", c.request.bodySite},
        {"laterality", c.request.laterality},
        {"bodySiteCode", c.request.bodySiteCode}}},
      {"rule", c.rule},
      {"claimedBy", c.claimedBy ? json(*c.claimedBy) : json(nullptr)},
      {"leaseExpiresAt", c.leaseExpiresAt ? json(IsoTime(*c.leaseExpiresAt)) : json(nullptr)},
      {"assignedTo", c.assignedTo ? json(*c.assignedTo) : json(nullptr)},
      {"createdAt", IsoTime(c.createdAt)},
      {"updatedAt", IsoTime(c.updatedAt)},
      {"newImages", c.newImages},
      {"sender", c.sender ? ToJson(*c.sender) : json(nullptr)},
  };
}

nlohmann::json ToJson(const Sender& s) {
  return nlohmann::json{{"origin", s.origin}, {"aet", s.aet}, {"ip", s.ip}, {"account", s.account}};
}

Sender SenderFromJson(const nlohmann::json& j) {
  return Sender{j.value("origin", ""), j.value("aet", ""), j.value("ip", ""), j.value("account", "")};
}

nlohmann::json ToJson(const AuditEntry& e) {
  return nlohmann::json{{"id", e.id},         {"caseId", e.caseId},   {"at", IsoTime(e.at)},
                        {"user", e.user},     {"address", e.address}, {"action", e.action},
                        {"from", e.fromState}, {"to", e.toState},     {"detail", e.detail}};
}

}  // namespace relais
