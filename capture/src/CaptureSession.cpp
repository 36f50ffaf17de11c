#include "relais/capture/CaptureSession.h"

#include <dcmtk/dcmdata/dcdeftag.h>
#include <dcmtk/dcmdata/dcfilefo.h>

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <ctime>
#include <fstream>
#include <optional>
#include <tuple>
#include <utility>
#include <nlohmann/json.hpp>

#include "relais/capture/CaptureError.h"

#ifndef RELAIS_CAPTURE_CONFIG_DIR
#define RELAIS_CAPTURE_CONFIG_DIR "config/capture"
#endif

namespace relais::capture {
namespace fs = std::filesystem;
namespace {

nlohmann::json readJson(const fs::path& path) {
  std::ifstream in(path);
  if (!in) throw CaptureError(path.string() + ": cannot open the configuration file");
  try {
    return nlohmann::json::parse(in);
  } catch (const nlohmann::json::exception& e) {
    throw CaptureError(path.string() + ": not valid JSON: " + e.what());
  }
}

void sessionTime(std::string& date, std::string& time) {
  const std::time_t now = std::chrono::system_clock::to_time_t(std::chrono::system_clock::now());
  std::tm local{};
  localtime_r(&now, &local);
  char buffer[16];
  std::strftime(buffer, sizeof buffer, "%Y%m%d", &local);
  date = buffer;
  std::strftime(buffer, sizeof buffer, "%H%M%S", &local);
  time = buffer;
}

// What the files of study `uid` already in `folder` fix for images added to it, read in one
// pass: its Study Date/Time (they must be repeated, or dcentvfy and PACS see two different
// studies) and its highest Series Number (new series are numbered after it, so the study never
// holds two series of the same number: the viewer and PACS order series by it).
struct ExistingStudy {
  std::optional<std::pair<std::string, std::string>> dateAndTime;
  int highestSeriesNumber = 0;
};

ExistingStudy readExistingStudy(const fs::path& folder, const std::string& uid) {
  ExistingStudy study;
  std::error_code error;
  for (fs::directory_iterator it(folder, error), end; !error && it != end; it.increment(error)) {
    if (it->path().extension() != ".dcm" || it->path().filename().string()[0] == '.') continue;
    DcmFileFormat file;
    if (file.loadFile(it->path().c_str(), EXS_Unknown, EGL_noChange, 1024).bad()) continue;
    OFString studyUid;
    DcmDataset& ds = *file.getDataset();
    if (ds.findAndGetOFString(DCM_StudyInstanceUID, studyUid).bad() || studyUid.c_str() != uid) continue;
    if (!study.dateAndTime) {
      OFString studyDate, studyTime;
      ds.findAndGetOFString(DCM_StudyDate, studyDate);
      ds.findAndGetOFString(DCM_StudyTime, studyTime);
      study.dateAndTime = std::make_pair(std::string(studyDate.c_str()), std::string(studyTime.c_str()));
    }
    Sint32 number = 0;
    if (ds.findAndGetSint32(DCM_SeriesNumber, number).good()) {
      study.highestSeriesNumber = std::max(study.highestSeriesNumber, static_cast<int>(number));
    }
  }
  return study;
}

}  // namespace

fs::path defaultConfigFolder() {
  if (const char* env = std::getenv("RELAIS_CAPTURE_CONFIG"); env && *env) return env;
  return RELAIS_CAPTURE_CONFIG_DIR;
}

CaptureSession::CaptureSession(const CaptureOptions& options) : options_(options), uids_(options.uidRoot) {
  validate(options_.context);
  if (!options_.studyUid.empty() && !isValidUid(options_.studyUid)) {
    throw CaptureError("study UID \"" + options_.studyUid + "\" is not a valid DICOM UID");
  }
  if (options_.outputFolder.empty()) throw CaptureError("no output folder given (--out DIR)");
  const fs::path config = options_.configFolder.empty() ? defaultConfigFolder() : options_.configFolder;
  qualityFile_ = (config / "quality.json").string();
  qualityConfig_ = std::make_shared<const nlohmann::json>(readJson(qualityFile_));
  study_.context = options_.context;
  if (!options_.context.request.bodySite.empty()) {
    const fs::path sitesFile = config / "body-sites.json";
    study_.bodySite = BodySites(readJson(sitesFile), sitesFile.string()).resolve(options_.context.request.bodySite);
  }
  study_.studyUid = options_.studyUid.empty() ? uids_.next() : options_.studyUid;
  sessionTime(study_.sessionDate, study_.sessionTime);
  study_.date = study_.sessionDate;
  study_.time = study_.sessionTime;
  ExistingStudy existing;
  if (!options_.studyUid.empty()) {
    existing = readExistingStudy(
        options_.existingStudyFolder.empty() ? options_.outputFolder : options_.existingStudyFolder, options_.studyUid);
    firstSeriesNumber_ = existing.highestSeriesNumber + 1;
  }
  if (!options_.studyDate.empty()) {
    study_.date = options_.studyDate;
    study_.time = options_.studyTime;
  } else if (existing.dateAndTime) {
    std::tie(study_.date, study_.time) = *existing.dateAndTime;
  }
  writer_ = std::make_unique<StudyWriter>(options_.outputFolder, options_.outputDisk);
}

QualityThresholds CaptureSession::thresholds(const std::string& source) const {
  return thresholdsFromJson(*qualityConfig_, source, qualityFile_);
}

int CaptureSession::newSeries(const std::string& modality, const std::string& description) {
  series_.push_back(Series{uids_.next(), modality, description, 0});
  return static_cast<int>(series_.size());
}

InstanceIdentity CaptureSession::nextInstance(int series, const std::string& sopClassUid) {
  Series& s = series_.at(static_cast<std::size_t>(series - 1));
  InstanceIdentity identity;
  identity.sopClassUid = sopClassUid;
  identity.sopInstanceUid = uids_.next();
  identity.seriesUid = s.uid;
  identity.seriesNumber = firstSeriesNumber_ + series - 1;
  identity.instanceNumber = ++s.instances;
  identity.modality = s.modality;
  identity.seriesDescription = s.description;
  return identity;
}

CaptureResult CaptureSession::finish() {
  CaptureResult result;
  result.studyInstanceUid = study_.studyUid;
  result.files = writer_->commit();
  result.notes = notes_;
  return result;
}

}  // namespace relais::capture
