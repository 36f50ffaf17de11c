#pragma once
// The columns every case store selects, and how a row of them becomes a Case or a Manifest:
// one reading for SQLite and PostgreSQL, so the two back ends cannot drift apart. `Row` is
// anything with text / optText / integer / optInteger by column index.
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "domain/CaseStore.h"
#include "domain/Lifecycle.h"

namespace relais {

inline const char* const kCaseColumns =
    "id, study_uid, orthanc_study_id, queue, state, priority, unit, patient_id, patient_issuer, patient_name, "
    "patient_birth_date, patient_sex, request_specialty, request_question, request_history, request_body_site, "
    "rule, claimed_by, lease_expires_at, assigned_to, created_at, updated_at, reported_at, new_images, "
    "request_laterality, request_body_site_code, sender";

inline const char* const kManifestColumns = "study_uid, unit, priority, instances, posted_at, routed, account";

template <typename Row>
Case CaseFromRow(const Row& r) {
  Case c;
  c.id = r.integer(0);
  c.studyInstanceUid = r.text(1);
  c.orthancStudyId = r.text(2);
  c.queue = r.text(3);
  c.state = ParseCaseState(r.text(4)).value_or(CaseState::Queued);
  c.priority = r.text(5);
  c.unit = r.text(6);
  c.patient = {r.text(7), r.text(8), r.text(9), r.text(10), r.text(11)};
  c.request = {r.text(12), r.text(13), r.text(14), r.text(15), r.text(24), r.text(25)};
  c.rule = r.text(16);
  c.claimedBy = r.optText(17);
  c.leaseExpiresAt = r.optInteger(18);
  c.assignedTo = r.optText(19);
  c.createdAt = r.integer(20);
  c.updatedAt = r.integer(21);
  c.reportedAt = r.optInteger(22);
  c.newImages = r.integer(23) != 0;
  if (const auto sender = r.optText(26)) c.sender = SenderFromJson(nlohmann::json::parse(*sender));
  return c;
}

template <typename Row>
Manifest ManifestFromRow(const Row& r) {
  Manifest m;
  m.studyInstanceUid = r.text(0);
  m.unit = r.text(1);
  m.priority = r.text(2);
  const std::string instances = r.text(3);
  m.sopInstanceUids = nlohmann::json::parse(instances).get<std::vector<std::string>>();
  m.postedAt = r.integer(4);
  m.routed = r.integer(5) != 0;
  m.account = r.optText(6).value_or("");
  return m;
}

// A stored manifest's instance list (a JSON array in one column).
inline std::string ManifestInstancesColumn(const Manifest& m) { return nlohmann::json(m.sopInstanceUids).dump(); }

// A case's sender as stored (a JSON object in one column).
inline std::string SenderColumn(const NewCase& c) { return ToJson(c.sender).dump(); }

// The ordering of every case list and of claim-next: urgent first, then longest waiting.
inline int64_t PriorityRank(const std::string& priority) { return priority == "urgent" ? 0 : 1; }

}  // namespace relais
