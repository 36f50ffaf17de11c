#include "adapter/StudyReconciler.h"

#include <chrono>
#include <string>
#include <vector>

#include "adapter/OrthancApi.h"
#include "adapter/OrthancContext.h"

namespace relais::adapter {

namespace {

// Orthanc's index is shared with every instance being stored: a page at a time, so that a hub
// holding many studies never holds it long.
constexpr int kPage = 2000;

std::vector<std::string> HeldStudies() {
  std::vector<std::string> ids;
  for (size_t since = 0;; since += kPage) {
    const auto page = GetJson("/studies?since=" + std::to_string(since) + "&limit=" + std::to_string(kPage));
    for (const auto& id : page) ids.push_back(id.get<std::string>());
    if (page.size() < static_cast<size_t>(kPage)) return ids;
  }
}

void Log(const std::string& message) { OrthancPluginLogWarning(Context(), ("Relais reconciliation: " + message).c_str()); }

}  // namespace

StudyReconciler::StudyReconciler(Hub& hub, StudyRouter& router)
    : hub_(hub), router_(router), state_(hub.config.stableAgeSeconds, hub.config.reconcileSeconds, NowSeconds()) {}

int64_t StudyReconciler::reconcile() {
  const int64_t started = NowSeconds();
  const auto clock = std::chrono::steady_clock::now();
  // A case created between the two reads makes its study look caseless: routing it again
  // finds the case and changes nothing.
  const auto withCase = hub_.cases->orthancStudyIdsWithCases();
  const auto held = HeldStudies();
  const auto candidates = state_.withoutCase(held, withCase);
  int routed = 0;
  for (const auto& id : candidates) {
    try {
      const auto study = TryGetJson("/studies/" + id);
      if (!study) continue;  // deleted meanwhile
      const auto lastUpdate = ParseOrthancTime(study->value("LastUpdate", ""));
      if (!lastUpdate) {
        Log("study " + id + " has no readable LastUpdate: left to StableStudy");
        continue;
      }
      if (state_.judge(id, *lastUpdate, NowSeconds()) != Reconciliation::Verdict::Route) continue;
      router_.route(id, StudyRouter::Trigger::Reconcile);
      state_.routed(id, *lastUpdate);
      ++routed;
    } catch (const std::exception& e) {
      OrthancPluginLogError(Context(), ("Relais reconciliation: study " + id + ": " + e.what()).c_str());
    }
  }
  const auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - clock);
  OrthancPluginLogInfo(Context(), ("Relais reconciliation: " + std::to_string(held.size()) + " studies, " +
                                   std::to_string(candidates.size()) + " without a case, " +
                                   std::to_string(ms.count()) + " ms")
                                      .c_str());
  if (routed > 0) Log(std::to_string(routed) + " quiet stud" + (routed == 1 ? "y" : "ies") + " without a case handed to the router");
  return state_.nextPassAt(started);
}

}  // namespace relais::adapter
