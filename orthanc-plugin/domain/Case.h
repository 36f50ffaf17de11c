#pragma once
// A case: one study waiting for, or holding, a specialist's answer. Shapes shared by the case
// store, the REST API and the reports; JSON follows docs/openapi.yaml (the "Case" schema).
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "domain/Lifecycle.h"

namespace relais {

struct PatientInfo {
  std::string id, issuer, name, birthDate, sex;
};

struct RequestInfo {
  std::string specialty, question, history, bodySite;
  std::string laterality;    // "L", "R", "B" or empty (domain/Laterality.h)
  std::string bodySiteCode;  // "SCT:14975008": the coded site, for the SR and FHIR; may be empty
};

// Who brought a study to the hub, from its first instance that did not come from the hub itself
// (Orthanc's metadata): a modality or unit by C-STORE (origin "DicomProtocol", its calling AET
// and address), or an account over HTTP (origin "RestApi"; the account is the unit account that
// posted the study's manifest, when there is one).
struct Sender {
  std::string origin;
  std::string aet;
  std::string ip;
  std::string account;
};
nlohmann::json ToJson(const Sender& s);
Sender SenderFromJson(const nlohmann::json& j);

struct Case {
  int64_t id = 0;
  std::string studyInstanceUid;
  std::string orthancStudyId;
  std::string queue;
  CaseState state = CaseState::Queued;
  std::string priority = "routine";  // "urgent" | "routine"
  std::string unit;
  PatientInfo patient;
  RequestInfo request;
  std::string rule;
  std::optional<std::string> claimedBy;
  std::optional<int64_t> leaseExpiresAt;  // unix seconds
  std::optional<std::string> assignedTo;  // a specialist chosen by a coordinator
  int64_t createdAt = 0;                  // unix seconds
  int64_t updatedAt = 0;
  std::optional<int64_t> reportedAt;      // first report, for turnaround
  bool newImages = false;
  std::optional<Sender> sender;  // none for cases from before senders were recorded
};

// Everything the router knows when it creates a case.
struct NewCase {
  std::string studyInstanceUid;
  std::string orthancStudyId;
  std::string queue;
  std::string priority = "routine";
  std::string unit;
  PatientInfo patient;
  RequestInfo request;
  std::string rule;
  std::vector<std::string> sopInstanceUids;  // instances present when the case is created
  Sender sender;
  // Why the router chose this queue: audited as "routed" in the same transaction as the
  // creation, so a case never exists without it. Empty: no such entry.
  std::string routingNote;
};

// Who does something, and from where: every audit entry carries both.
struct Actor {
  std::string user;
  std::string address;
};

struct AuditEntry {
  int64_t id = 0;
  int64_t caseId = 0;
  int64_t at = 0;  // unix seconds
  std::string user;
  std::string address;
  std::string action;  // "created", "read", "claim", "release", ...
  std::string fromState, toState;
  std::string detail;
};

std::string IsoTime(int64_t unixSeconds);  // 2026-11-25T22:41:47Z
nlohmann::json ToJson(const Case& c);
nlohmann::json ToJson(const AuditEntry& e);

}  // namespace relais
