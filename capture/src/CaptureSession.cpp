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
#include "relais/capture/ExistingStudy.h"

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

// The specialties this unit may ask for (config/capture/specialties.json): a misspelt one
// would reach the hub's triage queue instead of a specialist.
void checkSpecialty(const std::string& specialty, const fs::path& file) {
  if (specialty.empty()) return;
  const nlohmann::json config = readJson(file);
  const auto list = config.find("specialties");
  if (list == config.end() || !list->is_array()) {
    throw CaptureError(file.string() + ": \"specialties\" must be a list of the specialty names the hub knows");
  }
  std::string known;
  for (const auto& name : *list) {
    if (!name.is_string()) throw CaptureError(file.string() + ": \"specialties\" must hold strings");
    if (name.get<std::string>() == specialty) return;
    known += (known.empty() ? "" : ", ") + name.get<std::string>();
  }
  throw CaptureError("unknown specialty \"" + specialty + "\": the hub knows " + known + " (" + file.string() + ")");
}

}  // namespace

fs::path defaultConfigFolder() {
  if (const char* env = std::getenv("RELAIS_CAPTURE_CONFIG"); env && *env) return env;
  return RELAIS_CAPTURE_CONFIG_DIR;
}

CaptureSession::CaptureSession(const CaptureOptions& options) : options_(options), uids_(options.uidRoot) {
  if (!options_.studyUid.empty() && !isValidUid(options_.studyUid)) {
    throw CaptureError("study UID \"" + options_.studyUid + "\" is not a valid DICOM UID");
  }
  if (options_.outputFolder.empty()) throw CaptureError("no output folder given (--out DIR)");
  const fs::path config = options_.configFolder.empty() ? defaultConfigFolder() : options_.configFolder;
  ExistingStudy existing;
  if (!options_.studyUid.empty()) {
    const fs::path folder = options_.existingStudyFolder.empty() ? options_.outputFolder : options_.existingStudyFolder;
    existing = readExistingStudy(folder, options_.studyUid);
    if (existing.found) {
      options_.context = joinStudy(options_.context, existing, options_.studyUid);
    } else if (options_.studyMustBeKnown || options_.context.patient.id.empty()) {
      throw CaptureError("study " + options_.studyUid + " is unknown on this unit: " +
                         (options_.studyMustBeKnown ? "the outbox" : "the folder " + folder.string()) +
                         " holds no file of it, so its patient and request cannot be repeated; images are added "
                         "only to a study captured here (relais-capture inbox names them), else start a new study "
                         "without --study-uid");
    }
    firstSeriesNumber_ = existing.highestSeriesNumber + 1;
  }
  validate(options_.context);
  checkSpecialty(options_.context.request.specialty, config / "specialties.json");
  qualityFile_ = (config / "quality.json").string();
  qualityConfig_ = std::make_shared<const nlohmann::json>(readJson(qualityFile_));
  study_.context = options_.context;
  if (!options_.context.request.bodySite.empty()) {
    const fs::path sitesFile = config / "body-sites.json";
    study_.bodySite = BodySites(readJson(sitesFile), sitesFile.string()).resolve(options_.context.request.bodySite);
  } else {
    study_.bodySite = existing.bodySite;  // the study's, when the added images do not say
  }
  study_.studyUid = options_.studyUid.empty() ? uids_.next() : options_.studyUid;
  sessionTime(study_.sessionDate, study_.sessionTime);
  study_.date = study_.sessionDate;
  study_.time = study_.sessionTime;
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
  result.context = study_.context;
  result.files = writer_->commit();
  result.notes = notes_;
  return result;
}

}  // namespace relais::capture
