// relais-capture: turns what a unit's camera, dermatoscope, ultrasound machine and X-ray
// detector produce into one DICOM study per session. Thin front end over relais_capture.
// Exit codes: 0 written (and enqueued, with --outbox), 1 bad input or failure (nothing
// written, nothing enqueued), 2 usage error, 3 refused by the quality gate (nothing written;
// retake, or --accept-quality-warnings). `inbox`: 0 shown, 1 no such answer or unreadable
// outbox, 2 usage (no outbox found).
#include <CLI/CLI.hpp>
#include <malloc.h>
#include <sys/mman.h>

#include <cstdint>
#include <cstdlib>
#include <iostream>

#include "Commands.h"
#include "relais/capture/CaptureError.h"

namespace {

// The heap grows to a few hundred megabytes for a batch of photos (libjpeg's coefficient
// arrays are allocated with malloc). Touched the first time in 4 KiB pages, that is tens of
// thousands of page faults and TLB misses; advising the heap for transparent huge pages
// (2 MiB) removes most of them. The heap is extended once (virtual memory only) and advised;
// with the thresholds above it is never trimmed, so later allocations come from that range.
// Advisory: without THP support nothing changes.
void adviseHugePagesForTheHeap() {
  constexpr std::size_t kReserve = 384u * 1024 * 1024;
  constexpr std::uintptr_t kHuge = 2u * 1024 * 1024;
  void* block = std::malloc(kReserve);
  if (block == nullptr) return;
  const auto start = (reinterpret_cast<std::uintptr_t>(block) + kHuge - 1) & ~(kHuge - 1);
  const auto end = (reinterpret_cast<std::uintptr_t>(block) + kReserve) & ~(kHuge - 1);
  if (end > start) madvise(reinterpret_cast<void*>(start), end - start, MADV_HUGEPAGE);
  std::free(block);
}

}  // namespace

int main(int argc, char** argv) {
  // A 12 MP photo needs buffers of tens of megabytes (JPEG coefficients for the lossless turn,
  // the DICOM copy). Keep them in the heap between photos of a batch instead of returning them
  // to the kernel and page-faulting them in again for the next photo.
  mallopt(M_MMAP_THRESHOLD, 512 * 1024 * 1024);
  mallopt(M_TRIM_THRESHOLD, 1024 * 1024 * 1024);
  mallopt(M_ARENA_MAX, 1);
  adviseHugePagesForTheHeap();
  CLI::App app{"relais-capture: photos, dermoscopy, ultrasound and X-ray into conformant DICOM"};
  app.require_subcommand(1);
  relais::capture::tools::addPhotoCommand(app);
  relais::capture::tools::addUltrasoundCommand(app);
  relais::capture::tools::addXrayCommand(app);
  relais::capture::tools::addInboxCommand(app);
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    return app.exit(e) == 0 ? 0 : 2;
  } catch (const relais::capture::QualityRefused& e) {
    std::cerr << "relais-capture: refused by the quality check:\n" << e.what() << "\n"
              << "(nothing was written; retake, or add --accept-quality-warnings to send anyway)\n";
    return 3;
  } catch (const std::exception& e) {
    std::cerr << "relais-capture: error: " << e.what() << "\n";
    if (!app.got_subcommand("inbox")) std::cerr << "(nothing was written)\n";
    return 1;
  }
  return 0;
}
