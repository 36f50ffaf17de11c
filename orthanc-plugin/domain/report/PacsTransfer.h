#pragma once
// Sending a case's study and report to a hospital PACS (an Orthanc DicomModalities entry) as
// an Orthanc store job, tracked on the case: queued -> running -> succeeded, or back to
// queued with a growing delay after each failure, until the attempts run out (failed).
#include <cstdint>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace relais::report {

struct PacsTransfer {
  int64_t id = 0;
  int64_t caseId = 0;
  int64_t reportId = 0;
  std::string destination;             // Orthanc DicomModalities name
  std::vector<std::string> resources;  // Orthanc ids sent (the study, or an amendment's SR and PDF)
  std::string state = "queued";        // queued | running | succeeded | failed
  std::string jobId;
  int attempts = 0;                    // store jobs started so far
  std::string lastError;
  int64_t nextAttemptAt = 0;           // unix seconds; a queued transfer waits until then
  int64_t updatedAt = 0;

  nlohmann::json toJson() const;
};

struct RetryPolicy {
  int maxAttempts = 5;
  int firstDelaySeconds = 10;
  int maxDelaySeconds = 600;
};

// Delay before the next attempt after `failedAttempts` failures: first, 2x, 4x ... capped.
int64_t RetryDelaySeconds(const RetryPolicy& policy, int failedAttempts);

// The transfer after Orthanc reported its job's state ("Pending", "Running", "Success",
// "Failure", "Paused", "Retry" or "" when Orthanc no longer knows the job).
PacsTransfer AfterJobState(PacsTransfer transfer, const std::string& jobState, const std::string& error,
                           const RetryPolicy& policy, int64_t now);

// The transfer after starting a job failed (e.g. Orthanc refused the request).
PacsTransfer AfterStartFailure(PacsTransfer transfer, const std::string& error, const RetryPolicy& policy,
                               int64_t now);

}  // namespace relais::report
