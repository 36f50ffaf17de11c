#include "SessionFlags.h"

#include <fstream>
#include <iostream>
#include <nlohmann/json.hpp>
#include <optional>

#include "OutboxDelivery.h"
#include "relais/capture/CaptureError.h"

namespace relais::capture::tools {

void SessionFlags::addTo(CLI::App& c) {
  c.add_option("--request", requestFile, "JSON file with patient, request, unit, institution, operator");
  c.add_option("--patient-id", context.patient.id, "patient ID (required, here or in --request)");
  c.add_option("--issuer", context.patient.issuer, "issuer of the patient ID (e.g. the health centre's register)");
  c.add_option("--patient-name", context.patient.name, "patient name as FAMILY^Given");
  c.add_option("--birth-date", context.patient.birthDate, "birth date YYYYMMDD");
  c.add_option("--sex", context.patient.sex, "M, F or O");
  c.add_option("--specialty", context.request.specialty,
               "specialty asked for, one of config/capture/specialties.json (dermatology, radiology...)");
  c.add_option("--question", context.request.question, "the clinical question");
  c.add_option("--history", context.request.history, "relevant history");
  c.add_option("--priority", context.request.priority, "routine or urgent");
  c.add_option("--body-site", context.request.bodySite, "body site key, e.g. left-forearm (config/capture/body-sites.json)");
  c.add_option("--unit", context.unit, "unit ID, e.g. VAN-07 (Station Name)");
  c.add_option("--institution", context.institution, "health centre or van name (Institution Name)");
  c.add_option("--operator", context.operatorName, "nurse's name (Operators' Name), FAMILY^Given");
  CLI::Option_group* destination = c.add_option_group("destination", "where the study goes (one of them)");
  destination->add_option("--out", outputFolder, "folder the study's DICOM files are written into");
  destination->add_option("--outbox", outboxFolder,
                          "the unit's outbox (relais-forward's \"outbox\" folder): the study is enqueued for the hub");
  destination->require_option(1);
  c.add_option("--config", configFolder, "folder with quality.json and body-sites.json");
  c.add_option("--uid-root", uidRoot, "organisation UID root (default: 2.25 UUID-derived UIDs)");
  c.add_option("--study-uid", studyUid,
               "add to this study of the unit (its patient, request and unit are repeated; flags that contradict "
               "them are refused)");
  c.add_option("--study-date", studyDate, "Study Date (YYYYMMDD) of the existing study given by --study-uid");
  c.add_option("--study-time", studyTime, "Study Time (HHMMSS) of the existing study given by --study-uid");
  c.add_flag("--accept-quality-warnings", acceptQualityWarnings,
             "store images the quality gate would refuse; the override is recorded in each image");
  c.add_flag("--json", json, "print the result as JSON");
}

CaptureOptions SessionFlags::toOptions() const {
  CaptureOptions options;
  if (!requestFile.empty()) {
    std::ifstream in(requestFile);
    if (!in) throw CaptureError(requestFile + ": cannot open the request file");
    nlohmann::json document;
    try {
      document = nlohmann::json::parse(in);
    } catch (const nlohmann::json::exception& e) {
      throw CaptureError(requestFile + ": not valid JSON: " + e.what());
    }
    options.context = contextFromJson(document, requestFile);
  }
  auto overlay = [](std::string& target, const std::string& flag) {
    if (!flag.empty()) target = flag;
  };
  CaptureContext& c = options.context;
  overlay(c.patient.id, context.patient.id);
  overlay(c.patient.issuer, context.patient.issuer);
  overlay(c.patient.name, context.patient.name);
  overlay(c.patient.birthDate, context.patient.birthDate);
  overlay(c.patient.sex, context.patient.sex);
  overlay(c.request.specialty, context.request.specialty);
  overlay(c.request.question, context.request.question);
  overlay(c.request.history, context.request.history);
  if (context.request.priority != "routine") c.request.priority = context.request.priority;
  overlay(c.request.bodySite, context.request.bodySite);
  overlay(c.unit, context.unit);
  overlay(c.institution, context.institution);
  overlay(c.operatorName, context.operatorName);
  options.outputFolder = outputFolder;
  options.configFolder = configFolder;
  options.uidRoot = uidRoot;
  options.studyUid = studyUid;
  options.studyDate = studyDate;
  options.studyTime = studyTime;
  options.acceptQualityWarnings = acceptQualityWarnings;
  if (!outboxFolder.empty()) stageInOutbox(options, outboxFolder);
  return options;
}

void SessionFlags::complete(CaptureResult result, const CaptureOptions& options) const {
  std::optional<Delivery> delivery;
  if (!outboxFolder.empty()) delivery = deliverToOutbox(result, options, outboxFolder);
  if (json) {
    nlohmann::json out{{"studyInstanceUid", result.studyInstanceUid}, {"files", nlohmann::json::array()},
                       {"notes", result.notes}};
    for (const auto& file : result.files) out["files"].push_back(file.string());
    if (delivery) {
      out["outbox"] = {{"folder", delivery->outbox.string()}, {"priority", delivery->priority}, {"added", delivery->added}};
    }
    std::cout << out.dump() << std::endl;
    return;
  }
  std::cout << "study " << result.studyInstanceUid << ": " << result.files.size() << " file(s)\n";
  for (const auto& file : result.files) std::cout << "  " << file.string() << "\n";
  if (delivery) {
    std::cout << "enqueued " << delivery->added << " new instance(s) in the outbox " << delivery->outbox.string()
              << " (" << delivery->priority << "); relais-forward sends them\n";
  }
  for (const auto& note : result.notes) std::cout << "note: " << note << "\n";
}

}  // namespace relais::capture::tools
