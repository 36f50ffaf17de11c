#include "OutboxDelivery.h"

#include <signal.h>
#include <unistd.h>

#include <cerrno>
#include <string>

#include "outbox/Outbox.h"
#include "outbox/OutboxError.h"
#include "relais/capture/CaptureError.h"
#include "relais/capture/DiskSpace.h"

namespace relais::capture::tools {

namespace fs = std::filesystem;

namespace {

const char* const kOutboxDisk = "the outbox's disk";

// A capture killed between writing and enqueueing leaves its staging folder behind; it was
// never enqueued, so it is removed by the next capture (folders are named by process ID, and
// a folder whose process still runs belongs to a capture in progress).
void RemoveAbandonedStaging(const fs::path& incoming) {
  std::error_code error;
  for (const auto& entry : fs::directory_iterator(incoming, error)) {
    const std::string name = entry.path().filename().string();
    if (name.empty() || name.find_first_not_of("0123456789") != std::string::npos) continue;
    const long pid = std::stol(name);
    if (pid == static_cast<long>(getpid()) || kill(static_cast<pid_t>(pid), 0) == 0 || errno != ESRCH) continue;
    std::error_code ignored;
    fs::remove_all(entry.path(), ignored);
  }
}

}  // namespace

void stageInOutbox(CaptureOptions& options, const fs::path& outbox) {
  RemoveAbandonedStaging(outbox / "incoming");
  options.outputFolder = outbox / "incoming" / std::to_string(getpid());
  options.outputDisk = kOutboxDisk;
  if (!options.studyUid.empty() && outbox::IsValidUid(options.studyUid)) {
    options.existingStudyFolder = outbox / "studies" / options.studyUid;
    options.studyMustBeKnown = true;
  }
}

Delivery deliverToOutbox(CaptureResult& result, const CaptureOptions& options, const fs::path& outboxFolder) {
  // Staged files go whatever happens: enqueued, the outbox has its own copies; not, nothing of
  // the session may stay behind.
  struct Staged {
    ~Staged() {
      std::error_code ignored;
      for (const auto& file : files) fs::remove(file, ignored);
      fs::remove(folder, ignored);  // only if empty: a folder still holding anything stays
      fs::remove(folder.parent_path(), ignored);  // incoming/, when no other capture stages there
    }
    std::vector<fs::path> files;
    fs::path folder;
  } staged{std::move(result.files), options.outputFolder};
  result.files.clear();
  const bool urgent = result.context.request.priority == "urgent";
  outbox::Outbox box(outboxFolder);
  Delivery delivery{outboxFolder, urgent ? "urgent" : "routine", 0};
  std::vector<outbox::EnqueueResult> enqueued;
  try {
    enqueued = box.enqueueFiles(staged.files, urgent ? outbox::Priority::Urgent : outbox::Priority::Routine);
  } catch (const outbox::OutboxError&) {
    // The outbox copies the staged study in before the staged files go: the disk holds it twice.
    std::uintmax_t bytes = 0;
    std::error_code ignored;
    for (const auto& file : staged.files) bytes += fs::file_size(file, ignored);
    if (outOfSpace(outboxFolder, bytes, 0)) throw CaptureError(diskFullMessage(kOutboxDisk, outboxFolder, bytes));
    throw;
  }
  for (const auto& e : enqueued) {
    delivery.added += e.added ? 1 : 0;
    result.files.push_back(e.file);
  }
  return delivery;
}

}  // namespace relais::capture::tools
