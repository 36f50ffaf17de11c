#pragma once
// Where cases, their audit trail, unit manifests and the router's cursor live. One interface,
// several back ends (SQLite now; PostgreSQL for several Orthanc nodes sharing one database).
//
// Contract every implementation keeps (tests/plugin/case_store_test.cpp checks it):
// - createCase is idempotent per StudyInstanceUID: whichever node or thread asks first creates
//   the case, every later call gets that case back with created = false. Routing "exactly
//   once" rests on this, not on memory. A new case is written with its "created" audit entry
//   (and "routed", when NewCase::routingNote says why) in one transaction.
// - Every state change goes through relais::NextState and is atomic with its audit entry:
//   two callers can never both claim one case (one gets HttpError 409); a change either
//   happens with its audit row or not at all.
// - Unknown case ids throw HttpError 404. Times are unix seconds (UTC).
// - Thread-safe: the plugin calls it from many HTTP threads and the routing worker at once.
#include <chrono>
#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "domain/Case.h"
#include "domain/Lifecycle.h"

namespace relais {

struct CaseFilter {
  std::optional<std::string> queue;
  std::vector<CaseState> states;  // cases in any of these (none: every state)
  std::optional<std::string> unit;
  std::optional<std::string> patientId;
  // Scope of the caller (empty = no restriction): a specialist sees these queues only.
  std::vector<std::string> onlyQueues;
  int limit = 50;
  int offset = 0;
};

struct CasePage {
  std::vector<Case> cases;  // urgent first, then longest waiting, then id: a stable order
  int64_t total = 0;        // matching cases, ignoring limit/offset
};

struct TransitionOptions {
  std::string detail;                  // message or reason kept in the audit trail
  bool holderOnly = false;             // refuse (403) unless the actor holds the claim
  std::optional<std::string> newQueue;         // Reassign
  std::optional<std::string> newAssignee;      // Reassign to a named specialist
};

// What a lifecycle event (other than a claim) changes in a case besides its state, and what
// its audit entry says: one answer for every back end.
struct TransitionEffect {
  bool releasesClaim = false;  // nobody holds the case any more (claim and lease cleared)
  bool endsLease = false;      // the lease ends, the holder stays named (a report, a question)
  bool stampsReport = false;   // reported_at, the first time only
  std::optional<std::string> newQueue;
  std::optional<std::string> newAssignee;
  std::string auditDetail;
};
TransitionEffect EffectOf(CaseEvent event, const TransitionOptions& options);

struct QueueSummary {
  std::string queue;
  std::map<std::string, int64_t> byState;  // state name -> count
  int64_t waiting = 0;                     // queued
  int64_t urgent = 0;                      // queued and urgent
  std::optional<int64_t> oldestWaitingSince;  // createdAt of the oldest queued case
};

struct Manifest {
  std::string studyInstanceUid;
  std::string unit;
  std::string priority;  // "urgent" | "routine" | "" (from the study)
  std::vector<std::string> sopInstanceUids;
  int64_t postedAt = 0;
  bool routed = false;
  std::string account;  // who posted it ("" for manifests from before accounts were recorded)
};

struct StoreStatistics {
  std::map<std::string, int64_t> byQueue, byUnit, byState;
  std::vector<int64_t> turnaroundSeconds;  // reportedAt - createdAt of every reported case
};

class CaseStore {
 public:
  virtual ~CaseStore() = default;

  struct Created {
    Case value;
    bool created;
  };
  virtual Created createCase(const NewCase& c, const Actor& actor) = 0;

  virtual std::optional<Case> find(int64_t id) = 0;
  virtual Case get(int64_t id) = 0;  // HttpError 404 if unknown
  virtual std::optional<Case> findByStudy(const std::string& studyInstanceUid) = 0;
  // The Orthanc study ID of every case, in one query: the reconciliation looks for studies
  // Orthanc holds that are not among them.
  virtual std::set<std::string> orthancStudyIdsWithCases() = 0;
  virtual CasePage list(const CaseFilter& filter) = 0;

  // queued (or claimed with an expired lease) -> claimed by actor.user until now + lease.
  virtual Case claim(int64_t id, const Actor& actor, std::chrono::seconds lease) = 0;
  // Claims the first case of the queue in list order; nullopt when none is waiting.
  virtual std::optional<Case> claimNext(const std::string& queue, const Actor& actor,
                                        std::chrono::seconds lease) = 0;
  // Any other lifecycle event (release, request-info, info-answer, report, deliver, amend,
  // reassign). The reports component calls this with Report / Amend / Deliver.
  virtual Case transition(int64_t id, CaseEvent event, const Actor& actor, const TransitionOptions& options = {}) = 0;
  // Claimed cases whose lease ran out go back to their queue; returns how many.
  virtual int expireLeases(int64_t now) = 0;

  // Instances known to belong to a case (to recognise images that arrive later).
  virtual std::vector<std::string> knownInstances(int64_t caseId) = 0;
  // Records instances that arrived after routing; if any came from the unit (fromSender),
  // flags the case newImages and answers an open information request (info-requested -> queued).
  virtual Case attachInstances(int64_t caseId, const std::vector<std::string>& sopInstanceUids, bool fromSender,
                               const Actor& actor) = 0;
  virtual void clearNewImages(int64_t caseId) = 0;
  // When each instance attached after routing was attached (SOP Instance UID -> unix seconds),
  // so a reader can tell which images answer an information request. Instances routed with the
  // study, and those a store kept from before it recorded times, are not listed.
  virtual std::map<std::string, int64_t> lateInstances(int64_t caseId) = 0;

  // Audit of something that is not a state change (a read, a report download...).
  virtual void audit(int64_t caseId, const Actor& actor, const std::string& action, const std::string& detail = "") = 0;
  virtual std::vector<AuditEntry> auditTrail(int64_t caseId) = 0;

  virtual std::vector<QueueSummary> queues() = 0;
  virtual StoreStatistics statistics() = 0;

  // Manifests posted by units (a later post for the same study replaces the earlier one).
  virtual void saveManifest(const Manifest& m) = 0;
  virtual std::optional<Manifest> manifest(const std::string& studyInstanceUid) = 0;
  virtual std::vector<Manifest> pendingManifests() = 0;
  virtual void markManifestRouted(const std::string& studyInstanceUid) = 0;

  // Small persistent settings of the router (the /changes cursor).
  virtual std::optional<std::string> setting(const std::string& key) = 0;
  virtual void setSetting(const std::string& key, const std::string& value) = 0;
  // Sets a numeric setting to `value` unless it already holds a larger number, atomically: the
  // routing workers of several nodes sharing one database move their common /changes cursor
  // forward only, never back over events another node has handled.
  virtual void raiseSetting(const std::string& key, int64_t value) = 0;
};

// Wall clock in unix seconds; stores take it from here so tests can reason about it.
int64_t NowSeconds();

}  // namespace relais
