#include "domain/report/PacsTransfer.h"

#include <algorithm>

namespace relais::report {

nlohmann::json PacsTransfer::toJson() const {
  return {{"id", id},           {"destination", destination}, {"state", state},
          {"jobId", jobId},     {"attempts", attempts},       {"lastError", lastError},
          {"reportId", reportId}, {"resources", resources},   {"updatedAt", updatedAt}};
}

int64_t RetryDelaySeconds(const RetryPolicy& policy, int failedAttempts) {
  int64_t delay = policy.firstDelaySeconds;
  for (int i = 1; i < failedAttempts && delay < policy.maxDelaySeconds; ++i) delay *= 2;
  return std::min<int64_t>(delay, policy.maxDelaySeconds);
}

namespace {
PacsTransfer Failed(PacsTransfer t, const std::string& error, const RetryPolicy& policy, int64_t now) {
  t.lastError = error.empty() ? "the store job failed" : error;
  t.updatedAt = now;
  t.jobId.clear();
  if (t.attempts >= policy.maxAttempts) {
    t.state = "failed";
    return t;
  }
  t.state = "queued";
  t.nextAttemptAt = now + RetryDelaySeconds(policy, t.attempts);
  return t;
}
}  // namespace

PacsTransfer AfterJobState(PacsTransfer t, const std::string& jobState, const std::string& error,
                           const RetryPolicy& policy, int64_t now) {
  if (jobState == "Success") {
    t.state = "succeeded";
    t.lastError.clear();
    t.updatedAt = now;
    return t;
  }
  if (jobState == "Failure") return Failed(t, error, policy, now);
  if (jobState.empty()) return Failed(t, "Orthanc no longer knows job " + t.jobId, policy, now);
  return t;  // Pending, Running, Retry, Paused: Orthanc is still at it
}

PacsTransfer AfterStartFailure(PacsTransfer t, const std::string& error, const RetryPolicy& policy, int64_t now) {
  return Failed(t, error, policy, now);
}

}  // namespace relais::report
