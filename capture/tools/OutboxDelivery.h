#pragma once
// --outbox DIR: the capture goes straight into the unit's outbox. The study is written as
// usual (StudyWriter: temporary names, renamed at commit) into DIR/incoming/<pid>/, then enqueued
// with relais_outbox's Outbox::enqueueFiles, the call behind `relais-forward enqueue` (every
// file copied in, then one transaction), then the staged files are removed: the outbox keeps
// its own copies. A failure at any step leaves the outbox as it was. The request's urgency
// is the study's priority in the outbox (urgent studies leave first).
#include <filesystem>
#include <string>

#include "relais/capture/CaptureSession.h"

namespace relais::capture::tools {

// Points the session's output at DIR/incoming/<pid>/ (clearing what killed captures staged
// there) and, for --study-uid, the lookup of the existing study (its patient, request, unit,
// date and time) at the outbox's copy of that study, which must exist.
void stageInOutbox(CaptureOptions& options, const std::filesystem::path& outbox);

struct Delivery {
  std::filesystem::path outbox;
  std::string priority;  // "urgent" | "routine"
  int added = 0;         // new instances in the outbox
};

// Enqueues the files of `result` (with the urgency of result.context, the study's when added
// to one) and replaces them, in `result`, by the outbox's copies.
Delivery deliverToOutbox(CaptureResult& result, const CaptureOptions& options, const std::filesystem::path& outbox);

}  // namespace relais::capture::tools
