#pragma once
// One capture session = one study: the nurse's patient and request, the session's UIDs and
// time, the shipped configuration (quality thresholds, body sites), and the staged output.
// Builders ask it for identities; finish() commits the files and reports what was written,
// which is what the outbox needs to enqueue the study.
#include <filesystem>
#include <memory>
#include <nlohmann/json_fwd.hpp>
#include <string>
#include <vector>

#include "relais/capture/BodySites.h"
#include "relais/capture/CaptureContext.h"
#include "relais/capture/DicomHeader.h"
#include "relais/capture/QualityGate.h"
#include "relais/capture/StudyWriter.h"
#include "relais/capture/UidGenerator.h"

namespace relais::capture {

struct CaptureOptions {
  CaptureContext context;
  std::filesystem::path outputFolder;
  std::string outputDisk;              // how a "disk full" message names it; empty: "the disk of <folder>"
  std::filesystem::path configFolder;  // empty: defaultConfigFolder()
  std::string uidRoot;                 // empty: 2.25 UUID-derived UIDs
  std::string studyUid;                // empty: a new study; else add to that study
  std::string studyDate, studyTime;    // of an existing study; empty: taken from a file of that
                                       // study in existingStudyFolder, else the session's time
  std::filesystem::path existingStudyFolder;  // where earlier files of studyUid are; empty: outputFolder
  // With studyUid: the images join that study's patient, request and unit, read from one of
  // its files (ExistingStudy.h); conflicting flags are refused. No file of it: refused when
  // this is set (the outbox must know the study) or no patient ID is given.
  bool studyMustBeKnown = false;
  bool acceptQualityWarnings = false;
};

struct CaptureResult {
  std::string studyInstanceUid;
  CaptureContext context;  // what the objects carry (for --study-uid: the study's patient and request)
  std::vector<std::filesystem::path> files;
  std::vector<std::string> notes;  // accepted quality warnings, orientation fallbacks
};

// $RELAIS_CAPTURE_CONFIG, else the config/capture folder of the source tree Relais was built from.
std::filesystem::path defaultConfigFolder();

class CaptureSession {
 public:
  explicit CaptureSession(const CaptureOptions& options);

  const StudyHeader& study() const { return study_; }
  const CaptureOptions& options() const { return options_; }
  // Thresholds of the quality.json section for `source`.
  QualityThresholds thresholds(const std::string& source) const;

  // Starts a new series (one acquisition) and returns its number.
  int newSeries(const std::string& modality, const std::string& description);
  // Identity of the next object of series `series`.
  InstanceIdentity nextInstance(int series, const std::string& sopClassUid);
  std::string newUid() { return uids_.next(); }

  // Thread-safe; `order` places the file in the result list (default: in call order).
  void add(DicomObject& object, long order = -1) { writer_->stage(object, order); }
  void note(const std::string& text) { notes_.push_back(text); }
  CaptureResult finish();

 private:
  struct Series { std::string uid, modality, description; int instances = 0; };
  CaptureOptions options_;
  UidGenerator uids_;
  StudyHeader study_;
  std::string qualityFile_;
  std::shared_ptr<const nlohmann::json> qualityConfig_;
  std::vector<Series> series_;
  int firstSeriesNumber_ = 1;
  std::unique_ptr<StudyWriter> writer_;
  std::vector<std::string> notes_;
};

}  // namespace relais::capture
