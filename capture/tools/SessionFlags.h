#pragma once
// The flags every relais-capture subcommand shares: patient, request, unit, operator (from
// flags or a JSON file given with --request; flags win), where the study goes (an output
// folder, or the unit's outbox with --outbox), UID root, config.
#include <CLI/CLI.hpp>
#include <string>

#include "relais/capture/CaptureSession.h"

namespace relais::capture::tools {

struct SessionFlags {
  std::string requestFile;
  CaptureContext context;
  std::string outputFolder;
  std::string outboxFolder;
  std::string configFolder;
  std::string uidRoot;
  std::string studyUid;
  std::string studyDate, studyTime;
  bool acceptQualityWarnings = false;
  bool json = false;

  void addTo(CLI::App& command);
  // Reads --request (if any) and overlays the flags given on the command line.
  CaptureOptions toOptions() const;
  // With --outbox, enqueues the written study (OutboxDelivery.h); then prints what was written
  // (human lines, or one JSON object with --json).
  void complete(CaptureResult result, const CaptureOptions& options) const;
};

}  // namespace relais::capture::tools
