#pragma once
// Every study Orthanc holds becomes a case, whatever stopped the hub (issue 18). Orthanc's
// StableStudy lives in the memory of the process that received the instances: a study stored
// just before a crash or a stop never gets one. So the hub also compares what the databases
// hold: the studies Orthanc has, the studies with a case, and each study's LastUpdate (the time
// of its last instance, kept in Orthanc's index). A study without a case that has been quiet
// for StableAge is routed, as StableStudy would have done.
//
// This class is the bookkeeping of one node's passes, without Orthanc: which studies to look at,
// which to route, and when the next pass is worth making. Routing stays idempotent per study
// (CaseStore::createCase), so a study routed twice (here and by StableStudy, or by two nodes)
// is still one case.
#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

namespace relais {

// Orthanc's LastUpdate ("20261207T235538", always UTC) in unix seconds; nullopt if unreadable.
std::optional<int64_t> ParseOrthancTime(const std::string& text);

class Reconciliation {
 public:
  // `startedAt`: when this node started (unix seconds). Studies last updated before then may
  // have lost their StableStudy, so a pass is made as soon as one of them turns quiet; later
  // ones get theirs from Orthanc and only the periodic pass backs them up.
  Reconciliation(int stableAgeSeconds, int periodSeconds, int64_t startedAt)
      : stableAge_(stableAgeSeconds), period_(periodSeconds), startedAt_(startedAt) {}

  // The studies Orthanc holds (`held`, Orthanc IDs) that have no case: the ones this pass looks
  // at. Forgets what it knew of studies that now have a case or are gone.
  std::vector<std::string> withoutCase(const std::vector<std::string>& held, const std::set<std::string>& withCase);

  enum class Verdict {
    Route,  // quiet for StableAge, and not routed yet in this state
    Wait,   // instances arrived less than StableAge ago
    Skip,   // routed at this same LastUpdate already: the router kept it waiting (a manifest,
            // only the hub's own objects...); look again once it changes
  };
  // For a study without a case, last updated at `lastUpdate`, at time `now`. Wait also notes
  // when the study will be quiet, for nextPassAt.
  Verdict judge(const std::string& orthancId, int64_t lastUpdate, int64_t now);
  // The router was asked to route the study in this state.
  void routed(const std::string& orthancId, int64_t lastUpdate) { routedAt_[orthancId] = lastUpdate; }

  // When the next pass is due after the one that started at `now`: after the period, or sooner
  // when a study from before this node started turns quiet. Resets what judge noted.
  int64_t nextPassAt(int64_t now);

 private:
  int stableAge_;
  int period_;
  int64_t startedAt_;
  std::map<std::string, int64_t> routedAt_;   // Orthanc ID -> LastUpdate when routed
  std::optional<int64_t> soonestQuiet_;       // of the waiting studies from before the start
};

}  // namespace relais
