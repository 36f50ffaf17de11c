#pragma once
// The flags every relais-capture subcommand shares: patient, request, unit, operator (from
// flags or a JSON file given with --request; flags win), output folder, UID root, config.
// A later subcommand or option (the outbox's --outbox, an inbox command) reuses this.
#include <CLI/CLI.hpp>
#include <string>

#include "relais/capture/CaptureSession.h"

namespace relais::capture::tools {

struct SessionFlags {
  std::string requestFile;
  CaptureContext context;
  std::string outputFolder;
  std::string configFolder;
  std::string uidRoot;
  std::string studyUid;
  std::string studyDate, studyTime;
  bool acceptQualityWarnings = false;
  bool json = false;

  void addTo(CLI::App& command);
  // Reads --request (if any) and overlays the flags given on the command line.
  CaptureOptions toOptions() const;
};

// Prints what was written (human lines, or one JSON object with --json).
void report(const CaptureResult& result, bool json);

}  // namespace relais::capture::tools
