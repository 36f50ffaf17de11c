#include "adapter/StudyRouter.h"

#include <set>

#include "adapter/OrthancApi.h"
#include "adapter/StoredInstanceTags.h"
#include "domain/HttpError.h"
#include "domain/Laterality.h"
#include "domain/Reconciliation.h"
#include "domain/StudyAttributes.h"

namespace relais::adapter {

namespace {

const Actor kRouter{kRouterUser, ""};


std::string Trimmed(const std::string& s) {
  size_t b = s.find_first_not_of(" \t\r\n");
  size_t e = s.find_last_not_of(" \t\r\n");
  return b == std::string::npos ? "" : s.substr(b, e - b + 1);
}

// Requested Procedure Priority (0040,1003), top level or in the Request Attributes Sequence.
bool StudySaysUrgent(const StudyAttributes& a) {
  for (const char* key : {"0040,1003", "0040,0275.0040,1003"}) {
    const std::string v = Trimmed(a.valueOr(key));
    if (v == "STAT" || v == "HIGH") return true;
  }
  return false;
}

}  // namespace

StudyAttributes StudyRouter::attributesOf(const std::string& orthancInstanceId) const {
  if (auto tags = TagsBeforePixelData(files_, orthancInstanceId)) {
    return StudyAttributes::FromOrthancTags(*tags);
  }
  return StudyAttributes::FromOrthancTags(GetJson("/instances/" + orthancInstanceId + "/tags"));
}

nlohmann::json ManifestStatus::toJson() const {
  return {{"studyInstanceUid", studyInstanceUid},
          {"expected", expected},
          {"received", received},
          {"complete", complete},
          {"caseId", caseId ? nlohmann::json(*caseId) : nlohmann::json(nullptr)}};
}

std::optional<std::string> StudyRouter::LookupStudy(const std::string& studyInstanceUid) {
  auto found = TryPostJson("/tools/lookup", studyInstanceUid);
  if (!found || !found->is_array()) return std::nullopt;
  for (const auto& r : *found) {
    if (r.value("Type", "") == "Study") return r.value("ID", "");
  }
  return std::nullopt;
}

std::vector<StudyRouter::StudyInstance> StudyRouter::Instances(const std::string& orthancStudyId) {
  std::vector<StudyInstance> out;
  auto list = TryGetJson("/studies/" + orthancStudyId + "/instances");
  if (!list || !list->is_array()) return out;
  for (const auto& i : *list) {
    out.push_back({i.value("ID", ""), i.contains("MainDicomTags") ? i["MainDicomTags"].value("SOPInstanceUID", "") : ""});
  }
  return out;
}

std::string StudyRouter::OriginOf(const std::string& orthancInstanceId) {
  return TryGetText("/instances/" + orthancInstanceId + "/metadata/Origin").value_or("");
}

std::string StudyRouter::senderOrigin(const StudyInstance& instance) const {
  std::string origin = OriginOf(instance.orthancId);
  if (origin == "Plugins" && hub_.uploads && hub_.uploads->receivedFromUnit(instance.sopInstanceUid)) {
    return "RelaisUpload";
  }
  return origin;
}

std::optional<StudyRouter::SenderInstance> StudyRouter::firstSenderInstance(
    const std::vector<StudyInstance>& instances) const {
  for (const auto& i : instances) {
    std::string origin = senderOrigin(i);
    if (origin != "Plugins") return SenderInstance{i.orthancId, std::move(origin)};
  }
  return std::nullopt;
}

void StudyRouter::route(const std::string& orthancStudyId, Trigger trigger) {
  auto study = TryGetJson("/studies/" + orthancStudyId);
  if (!study) return;  // deleted meanwhile
  const std::string studyUid = (*study)["MainDicomTags"].value("StudyInstanceUID", "");
  if (studyUid.empty()) return;
  const auto instances = Instances(orthancStudyId);

  if (auto existing = hub_.cases->findByStudy(studyUid)) {
    const auto known = hub_.cases->knownInstances(existing->id);
    const std::set<std::string> knownSet(known.begin(), known.end());
    std::vector<std::string> ours, theirs;
    for (const auto& i : instances) {
      if (knownSet.count(i.sopInstanceUid)) continue;
      (storedByPlugin(i) ? ours : theirs).push_back(i.sopInstanceUid);
    }
    if (!ours.empty()) hub_.cases->attachInstances(existing->id, ours, false, kRouter);
    if (!theirs.empty()) hub_.cases->attachInstances(existing->id, theirs, true, kRouter);
    if (auto m = hub_.cases->manifest(studyUid); m && !m->routed) hub_.cases->markManifestRouted(studyUid);
    return;
  }

  if (auto manifest = hub_.cases->manifest(studyUid)) {
    std::set<std::string> present;
    for (const auto& i : instances) present.insert(i.sopInstanceUid);
    for (const auto& uid : manifest->sopInstanceUids) {
      if (!present.count(uid)) return;  // not met yet: wait, whatever Orthanc's stability says
    }
    const auto firstSender = firstSenderInstance(instances);
    if (!firstSender) return;
    createCase(orthancStudyId, studyUid, instances, *firstSender, attributesOf(firstSender->orthancId), manifest,
               "manifest met");
    return;
  }
  if (trigger == Trigger::Manifest) return;

  const auto firstSender = firstSenderInstance(instances);
  if (!firstSender) return;  // only the hub's own objects: nothing to answer
  const StudyAttributes attributes = attributesOf(firstSender->orthancId);
  if (trigger != Trigger::Overdue) {
    const std::string station = Trimmed(attributes.valueOr("StationName"));
    // A unit's study sent over HTTP comes with a manifest, worth waiting for; one sent by
    // C-STORE never does, so Orthanc's stability is all there is, as for any modality.
    if (hub_.users.isKnownUnit(station) && firstSender->origin != "DicomProtocol") {
      // The wait counts from the study's last instance as Orthanc's index has it (to the
      // second, rounded up), so that a restart neither restarts it nor forgets it.
      const auto lastUpdate = ParseOrthancTime(study->value("LastUpdate", ""));
      std::lock_guard<std::mutex> lock(waitingMutex_);
      waitingForManifest_.emplace(orthancStudyId, lastUpdate ? *lastUpdate + 1 : NowSeconds());
      return;
    }
  }
  createCase(orthancStudyId, studyUid, instances, *firstSender, attributes, std::nullopt,
             trigger == Trigger::Overdue ? "no manifest after " + std::to_string(hub_.config.manifestWaitSeconds) + " s"
                                         : "stable");
}

Sender StudyRouter::SenderOf(const SenderInstance& instance, const std::optional<Manifest>& manifest) {
  Sender s;
  s.origin = instance.origin;
  if (auto metadata = TryGetJson("/instances/" + instance.orthancId + "/metadata?expand"); metadata && metadata->is_object()) {
    s.aet = metadata->value("RemoteAET", "");
    s.ip = metadata->value("RemoteIP", "");
  }
  // Over HTTP Orthanc knows only the address; the unit account that posted the manifest is
  // the one the request filter let store.
  if (manifest && s.origin != "DicomProtocol") s.account = manifest->account;
  return s;
}

void StudyRouter::createCase(const std::string& orthancStudyId, const std::string& studyUid,
                             const std::vector<StudyInstance>& instances, const SenderInstance& sender,
                             const StudyAttributes& a, const std::optional<Manifest>& manifest,
                             const std::string& note) {
  const RoutingDecision decision = hub_.rules.route(a);

  NewCase c;
  c.studyInstanceUid = studyUid;
  c.orthancStudyId = orthancStudyId;
  c.queue = decision.queue;
  c.rule = decision.rule;
  if (decision.priority) {
    c.priority = *decision.priority;
  } else if (manifest && !manifest->priority.empty()) {
    c.priority = manifest->priority;
  } else {
    c.priority = StudySaysUrgent(a) ? "urgent" : "routine";
  }
  c.unit = Trimmed(a.valueOr("StationName"));
  if (manifest && !manifest->unit.empty()) c.unit = manifest->unit;
  c.patient = {Trimmed(a.valueOr("PatientID")), Trimmed(a.valueOr("IssuerOfPatientID")),
               Trimmed(a.valueOr("PatientName")), Trimmed(a.valueOr("PatientBirthDate")),
               Trimmed(a.valueOr("PatientSex"))};
  const std::string siteCode = Trimmed(a.valueOr("0008,2218.0008,0100"));
  const std::string siteScheme = Trimmed(a.valueOr("0008,2218.0008,0102"));
  c.request = {Trimmed(a.valueOr("0040,0275.0032,1060")), Trimmed(a.valueOr("0040,0275.0040,1002")),
               Trimmed(a.valueOr("0010,21B0")), Trimmed(a.valueOr("0008,2218.0008,0104")),
               LateralityCode(LateralityFromDicom(a.valueOr("ImageLaterality"), a.valueOr("Laterality"),
                                                  a.valueOr("0008,2218.0008,2220.0008,0100"))),
               siteCode.empty() ? "" : (siteScheme.empty() ? "SCT" : siteScheme) + ":" + siteCode};
  for (const auto& i : instances) c.sopInstanceUids.push_back(i.sopInstanceUid);
  c.sender = SenderOf(sender, manifest);
  std::string why;
  for (const auto& line : decision.explanation) why += (why.empty() ? "" : " | ") + line;
  c.routingNote = note + ": " + why;

  hub_.cases->createCase(c, kRouter);
  if (manifest) hub_.cases->markManifestRouted(studyUid);
  std::lock_guard<std::mutex> lock(waitingMutex_);
  waitingForManifest_.erase(orthancStudyId);
}

ManifestStatus StudyRouter::manifestStatus(const std::string& studyInstanceUid) {
  ManifestStatus s;
  s.studyInstanceUid = studyInstanceUid;
  auto m = hub_.cases->manifest(studyInstanceUid);
  if (!m) throw NotFound("no manifest for study " + studyInstanceUid);
  const std::set<std::string> expected(m->sopInstanceUids.begin(), m->sopInstanceUids.end());
  s.expected = expected.size();
  if (auto id = LookupStudy(studyInstanceUid)) {
    for (const auto& i : Instances(*id)) s.received += expected.count(i.sopInstanceUid);
  }
  s.complete = s.received == s.expected;
  if (auto c = hub_.cases->findByStudy(studyInstanceUid)) s.caseId = c->id;
  return s;
}

ManifestStatus StudyRouter::postManifest(const std::string& studyInstanceUid,
                                         const std::vector<std::string>& sopInstanceUids, const std::string& priority,
                                         const std::string& unit, const Actor& actor) {
  const auto orthancId = LookupStudy(studyInstanceUid);
  if (orthancId) {
    if (const auto firstSender = firstSenderInstance(Instances(*orthancId))) {
      const std::string station = Trimmed(attributesOf(firstSender->orthancId).valueOr("StationName"));
      if (!unit.empty() && !station.empty() && station != unit) {
        throw Forbidden("study " + studyInstanceUid + " comes from unit " + station + ", not " + unit);
      }
    }
  }
  hub_.cases->saveManifest(
      Manifest{studyInstanceUid, unit, priority, sopInstanceUids, NowSeconds(), false, actor.user});
  {
    std::lock_guard<std::mutex> lock(manifestsMutex_);
    manifestsPending_ = true;
    ++manifestsSaved_;
  }
  if (orthancId) route(*orthancId, Trigger::Manifest);
  ManifestStatus s = manifestStatus(studyInstanceUid);
  if (s.caseId) hub_.cases->audit(*s.caseId, actor, "manifest", std::to_string(s.expected) + " instance(s) expected");
  return s;
}

void StudyRouter::checkPendingManifests() {
  uint64_t savedBefore = 0;
  {
    std::lock_guard<std::mutex> lock(manifestsMutex_);
    savedBefore = manifestsSaved_;
  }
  const auto pending = hub_.cases->pendingManifests();
  for (const auto& m : pending) {
    if (auto id = LookupStudy(m.studyInstanceUid)) route(*id, Trigger::Manifest);
  }
  const bool stillPending = !pending.empty() && !hub_.cases->pendingManifests().empty();
  std::lock_guard<std::mutex> lock(manifestsMutex_);
  if (stillPending) {
    manifestsPending_ = true;
  } else if (manifestsSaved_ == savedBefore) {
    manifestsPending_ = false;
  }
}

bool StudyRouter::awaitsInstances() {
  std::lock_guard<std::mutex> lock(manifestsMutex_);
  return manifestsPending_;
}

void StudyRouter::routeOverdueUnitStudies() {
  std::vector<std::string> overdue;
  {
    std::lock_guard<std::mutex> lock(waitingMutex_);
    const int64_t limit = NowSeconds() - hub_.config.manifestWaitSeconds;
    for (const auto& [id, since] : waitingForManifest_) {
      if (since <= limit) overdue.push_back(id);
    }
  }
  for (const auto& id : overdue) {
    route(id, Trigger::Overdue);
    std::lock_guard<std::mutex> lock(waitingMutex_);
    waitingForManifest_.erase(id);
  }
}

nlohmann::json StudyRouter::dryRun(const std::string& orthancStudyId) {
  const auto firstSender = firstSenderInstance(Instances(orthancStudyId));
  if (!firstSender) throw NotFound("no study " + orthancStudyId + " with images from a sender");
  auto j = hub_.rules.route(attributesOf(firstSender->orthancId)).toJson();
  j["orthancStudyId"] = orthancStudyId;
  return j;
}

}  // namespace relais::adapter
