#pragma once
// Shared set-up of the capture tests: a temporary folder, a complete patient/request context,
// and options pointing at the shipped configuration.
#include <gtest/gtest.h>

#include "harness/TempDir.h"
#include "relais/capture/Capture.h"

namespace relais::capture::test {

inline CaptureOptions sampleOptions(const std::filesystem::path& out) {
  CaptureOptions options;
  options.context.patient = {"PAT-0042", "CS-KAYES", "DIALLO^Awa", "19850214", "F"};
  options.context.request.specialty = "dermatology";
  options.context.request.question = "Pigmented lesion growing for 3 months: melanoma?";
  options.context.request.history = "No previous skin cancer.";
  options.context.request.priority = "urgent";
  options.context.request.bodySite = "left-forearm";
  options.context.unit = "VAN-07";
  options.context.institution = "Mobile unit 7 Kayes";
  options.context.operatorName = "TRAORE^Fatou";
  options.outputFolder = out;
  options.configFolder = std::filesystem::path(RELAIS_SOURCE_DIR) / "config" / "capture";
  return options;
}

}  // namespace relais::capture::test
