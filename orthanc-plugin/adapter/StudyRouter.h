#pragma once
// Turns a study stored in Orthanc into a case, exactly once, and keeps the case in step with
// the study afterwards. Called by the routing worker (StableStudy, manifest progress) and by
// the manifest route; safe to call from several threads at once because the case store's
// createCase is idempotent per StudyInstanceUID.
//
// When is a study complete?
// - A manifest was posted for it (a Relais unit): when every SOP Instance UID it lists is in
//   Orthanc, not before, whatever Orthanc's stability says.
// - No manifest and the study's Station Name is a unit with a machine account: it waits for
//   the manifest, at most Relais.ManifestWaitSeconds after its last instance, then is routed
//   anyway (the audit trail says so): nothing is left behind.
// - Any other sender (a third-party modality, storescu): when Orthanc reports it stable, or
//   when the StudyReconciler finds it quiet for StableAge without a case (after a restart).
// Instances the hub stores itself (Origin "Plugins": report SR and PDF) never count as new
// images; anything else arriving after routing attaches to the case and flags newImages.
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "adapter/Hub.h"
#include "adapter/StoredInstanceFiles.h"
#include "domain/StudyAttributes.h"

namespace relais::adapter {

// Who the audit trail names for what the router does, e.g. answering an information request
// because the unit sent images.
inline constexpr const char* kRouterUser = "relais-router";

struct ManifestStatus {
  std::string studyInstanceUid;
  size_t expected = 0;
  size_t received = 0;
  bool complete = false;
  std::optional<int64_t> caseId;
  nlohmann::json toJson() const;
};

class StudyRouter {
 public:
  StudyRouter(Hub& hub, StoredInstanceFiles files) : hub_(hub), files_(std::move(files)) {}

  // Stable: Orthanc's StableStudy; Manifest: a manifest was posted or instances arrived for one;
  // Reconcile: a study without a case, quiet for StableAge by its LastUpdate (StudyReconciler);
  // Overdue: a unit study that waited too long for its manifest.
  enum class Trigger { Stable, Manifest, Reconcile, Overdue };
  // Routes the study (Orthanc ID) if it is complete, or attaches late instances to its case.
  void route(const std::string& orthancStudyId, Trigger trigger);

  // The manifest route: records it (bound to the caller's unit) and routes at once if met.
  ManifestStatus postManifest(const std::string& studyInstanceUid, const std::vector<std::string>& sopInstanceUids,
                              const std::string& priority, const std::string& unit, const Actor& actor);
  ManifestStatus manifestStatus(const std::string& studyInstanceUid);
  // Re-checks every manifest still waiting for instances (after new instances arrived).
  void checkPendingManifests();
  // Whether some manifest still waits for instances: only then does a new instance need the
  // worker at once (anything else waits for StableStudy). Cheap; safe on Orthanc's threads.
  bool awaitsInstances();
  // Routes unit studies that waited longer than ManifestWaitSeconds for their manifest.
  void routeOverdueUnitStudies();

  // Which rule a stored study (or a set of attributes) would match, and why.
  nlohmann::json dryRun(const std::string& orthancStudyId);

  // Orthanc's study ID for a StudyInstanceUID, if stored.
  static std::optional<std::string> LookupStudy(const std::string& studyInstanceUid);

 private:
  struct StudyInstance {
    std::string orthancId;
    std::string sopInstanceUid;
  };
  static std::vector<StudyInstance> Instances(const std::string& orthancStudyId);
  // Orthanc's Origin metadata of an instance: "DicomProtocol", "RestApi", "Plugins"...
  static std::string OriginOf(const std::string& orthancInstanceId);
  // The hub's own objects (reports) are stored by the plugin; so are the units' instances that
  // came through a resumable upload, which the upload store remembers and which count as the
  // unit's (origin "RelaisUpload" below).
  std::string senderOrigin(const StudyInstance& instance) const;
  bool storedByPlugin(const StudyInstance& instance) const { return senderOrigin(instance) == "Plugins"; }
  struct SenderInstance {
    std::string orthancId;
    std::string origin;
  };
  // The first instance that came from a sender (not one of the hub's own report objects): its
  // tags stand for the study. nullopt when the study holds only the hub's objects.
  std::optional<SenderInstance> firstSenderInstance(const std::vector<StudyInstance>& instances) const;
  // `attributes` are the first sender instance's: read once per routing, since reading tags
  // makes Orthanc parse the DICOM file.
  void createCase(const std::string& orthancStudyId, const std::string& studyUid,
                  const std::vector<StudyInstance>& instances, const SenderInstance& sender,
                  const StudyAttributes& attributes, const std::optional<Manifest>& manifest,
                  const std::string& note);
  // Who brought the study: the first sender instance's Orthanc metadata, and the manifest's account.
  static Sender SenderOf(const SenderInstance& instance, const std::optional<Manifest>& manifest);

  // The first sender instance's attributes, from the stored file's header where it can be read
  // there (adapter/StoredInstanceTags), else from Orthanc's /tags.
  StudyAttributes attributesOf(const std::string& orthancInstanceId) const;

  Hub& hub_;
  const StoredInstanceFiles files_;
  std::mutex manifestsMutex_;
  bool manifestsPending_ = true;  // unknown at start: the first check settles it
  uint64_t manifestsSaved_ = 0;   // bumped by each posted manifest, so a check never clears a newer one
  std::mutex waitingMutex_;
  std::map<std::string, int64_t> waitingForManifest_;  // Orthanc study ID -> since
};

}  // namespace relais::adapter
