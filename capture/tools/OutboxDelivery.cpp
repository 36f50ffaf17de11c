#include "OutboxDelivery.h"

#include "outbox/Outbox.h"

namespace relais::capture::tools {

namespace fs = std::filesystem;

void stageInOutbox(CaptureOptions& options, const fs::path& outbox) {
  options.outputFolder = outbox / "incoming";
  if (!options.studyUid.empty() && outbox::IsValidUid(options.studyUid)) {
    options.existingStudyFolder = outbox / "studies" / options.studyUid;
  }
}

Delivery deliverToOutbox(CaptureResult& result, const CaptureOptions& options, const fs::path& outboxFolder) {
  // Staged files go whatever happens: enqueued, the outbox has its own copies; not, nothing of
  // the session may stay behind.
  struct Staged {
    std::vector<fs::path> files;
    ~Staged() {
      for (const auto& file : files) {
        std::error_code ignored;
        fs::remove(file, ignored);
      }
    }
  } staged{std::move(result.files)};
  result.files.clear();
  const bool urgent = options.context.request.priority == "urgent";
  outbox::Outbox box(outboxFolder);
  Delivery delivery{outboxFolder, urgent ? "urgent" : "routine", 0};
  for (const auto& e : box.enqueueFiles(staged.files, urgent ? outbox::Priority::Urgent : outbox::Priority::Routine)) {
    delivery.added += e.added ? 1 : 0;
    result.files.push_back(e.file);
  }
  return delivery;
}

}  // namespace relais::capture::tools
