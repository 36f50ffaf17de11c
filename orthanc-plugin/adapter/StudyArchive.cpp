#include "adapter/StudyArchive.h"

#include <orthanc/OrthancCPlugin.h>

#include <stdexcept>

#include <nlohmann/json.hpp>

#include "adapter/OrthancContext.h"
#include "domain/report/ReportMarking.h"

namespace relais::adapter {

namespace {

using nlohmann::json;

class Answer {
 public:
  Answer() {
    buffer_.data = nullptr;
    buffer_.size = 0;
  }
  ~Answer() {
    if (buffer_.data != nullptr) OrthancPluginFreeMemoryBuffer(Context(), &buffer_);
  }
  Answer(const Answer&) = delete;
  Answer& operator=(const Answer&) = delete;
  OrthancPluginMemoryBuffer* get() { return &buffer_; }
  std::string text() const {
    return buffer_.data == nullptr ? std::string() : std::string(static_cast<const char*>(buffer_.data), buffer_.size);
  }

 private:
  OrthancPluginMemoryBuffer buffer_;
};

std::optional<std::string> Get(const std::string& uri) {
  Answer a;
  if (OrthancPluginRestApiGet(Context(), a.get(), uri.c_str()) != OrthancPluginErrorCode_Success) return std::nullopt;
  return a.text();
}

json GetJson(const std::string& uri) {
  auto text = Get(uri);
  if (!text) throw std::runtime_error("Orthanc refused GET " + uri);
  return json::parse(*text);
}

std::string Tag(const json& tags, const char* name) {
  auto it = tags.find(name);
  return it != tags.end() && it->is_string() ? it->get<std::string>() : std::string();
}

}  // namespace

StudyForReport ReadStudyForReport(const std::string& orthancStudyId) {
  auto studyText = Get("/studies/" + orthancStudyId);
  if (!studyText) throw std::runtime_error("Orthanc does not know study " + orthancStudyId);
  const json study = json::parse(*studyText);
  const json& s = study.at("MainDicomTags");
  const json& p = study.at("PatientMainDicomTags");
  StudyForReport out;
  out.patient = {Tag(p, "PatientID"), "", Tag(p, "PatientName"), Tag(p, "PatientBirthDate"), Tag(p, "PatientSex")};
  out.study.studyInstanceUid = Tag(s, "StudyInstanceUID");
  out.study.studyDate = Tag(s, "StudyDate");
  out.study.studyTime = Tag(s, "StudyTime");
  out.study.accessionNumber = Tag(s, "AccessionNumber");
  out.study.studyId = Tag(s, "StudyID");
  out.study.referringPhysician = Tag(s, "ReferringPhysicianName");
  out.study.studyDescription = Tag(s, "StudyDescription");
  bool headerRead = false;
  for (const auto& seriesId : study.at("Series")) {
    const json series = GetJson("/series/" + seriesId.get<std::string>());
    const json& st = series.at("MainDicomTags");
    if (report::IsHubReportSeries(Tag(st, "Manufacturer"), Tag(st, "Modality"))) continue;
    for (const auto& instanceId : series.at("Instances")) {
      const std::string id = instanceId.get<std::string>();
      const json instance = GetJson("/instances/" + id);
      report::InstanceReference ref;
      ref.studyInstanceUid = out.study.studyInstanceUid;
      ref.seriesInstanceUid = Tag(st, "SeriesInstanceUID");
      ref.sopInstanceUid = Tag(instance.at("MainDicomTags"), "SOPInstanceUID");
      ref.sopClassUid = Get("/instances/" + id + "/metadata/SopClassUid").value_or("");
      if (!headerRead) {
        // Attributes Orthanc does not index: read once from the first image.
        const json tags = GetJson("/instances/" + id + "/simplified-tags");
        out.patient.issuer = Tag(tags, "IssuerOfPatientID");
        out.study.institution = Tag(tags, "InstitutionName");
        if (ref.sopClassUid.empty()) ref.sopClassUid = Tag(tags, "SOPClassUID");
        headerRead = true;
      }
      if (!ref.sopClassUid.empty() && !ref.sopInstanceUid.empty()) out.instances.push_back(ref);
    }
  }
  return out;
}

std::string StoreInstance(const std::string& dicomBytes) {
  Answer a;
  if (OrthancPluginRestApiPost(Context(), a.get(), "/instances", dicomBytes.data(),
                               static_cast<uint32_t>(dicomBytes.size())) != OrthancPluginErrorCode_Success) {
    throw std::runtime_error("Orthanc refused to store the report instance");
  }
  const json answer = json::parse(a.text());
  return answer.at("ID").get<std::string>();
}

bool DeleteInstance(const std::string& orthancInstanceId) {
  return OrthancPluginRestApiDelete(Context(), ("/instances/" + orthancInstanceId).c_str()) ==
         OrthancPluginErrorCode_Success;
}

std::optional<std::string> ParentStudyOf(const std::string& orthancInstanceId) {
  auto text = Get("/instances/" + orthancInstanceId + "/study");
  if (!text) return std::nullopt;
  return json::parse(*text).value("ID", "");
}

std::string StartStoreJob(const std::string& modality, const std::vector<std::string>& resources) {
  const std::string body = json{{"Resources", resources}, {"Asynchronous", true}}.dump();
  const std::string uri = "/modalities/" + modality + "/store";
  Answer a;
  OrthancPluginErrorCode code = OrthancPluginRestApiPost(Context(), a.get(), uri.c_str(), body.data(),
                                                         static_cast<uint32_t>(body.size()));
  if (code != OrthancPluginErrorCode_Success) {
    throw std::runtime_error("Orthanc refused POST " + uri + ": " + OrthancPluginGetErrorDescription(Context(), code));
  }
  return json::parse(a.text()).at("ID").get<std::string>();
}

JobStatus ReadJob(const std::string& jobId) {
  auto text = Get("/jobs/" + jobId);
  if (!text) return {};
  const json job = json::parse(*text);
  JobStatus status{job.value("State", ""), job.value("ErrorDescription", "")};
  if (job.contains("ErrorDetails") && job["ErrorDetails"].is_string() && !job["ErrorDetails"].get<std::string>().empty()) {
    status.error += ": " + job["ErrorDetails"].get<std::string>();
  }
  return status;
}

}  // namespace relais::adapter
