#pragma once
// The case's study as Orthanc holds it, seen from the reports component: what a report needs
// to read (patient and study header, the images it evaluates), where it writes (new SR and
// PDF instances), and Orthanc's store jobs towards PACS destinations. Calls Orthanc's REST
// API from the plugin; never from a change callback.
#include <optional>
#include <string>
#include <vector>

#include "domain/report/ReportDocument.h"

namespace relais::adapter {

struct StudyForReport {
  report::PatientIdentity patient;
  report::StudyIdentity study;
  // Every instance of the study except the hub's own report series, with Orthanc's ids.
  std::vector<report::InstanceReference> instances;
};

// Throws std::runtime_error naming the study if Orthanc does not know it.
StudyForReport ReadStudyForReport(const std::string& orthancStudyId);

// POST /instances; returns Orthanc's instance id. Throws std::runtime_error if refused.
std::string StoreInstance(const std::string& dicomBytes);

// DELETE /instances/{id} (undoing a report whose case could not move); false if refused.
bool DeleteInstance(const std::string& orthancInstanceId);

// Orthanc id of the study holding an instance, or nullopt.
std::optional<std::string> ParentStudyOf(const std::string& orthancInstanceId);

// POST /modalities/{name}/store as an asynchronous job; returns the job id, or throws with
// Orthanc's reason (unknown modality...).
std::string StartStoreJob(const std::string& modality, const std::vector<std::string>& resources);

struct JobStatus {
  std::string state;  // Pending | Running | Success | Failure | Paused | Retry; "" if unknown
  std::string error;
};
JobStatus ReadJob(const std::string& jobId);

}  // namespace relais::adapter
