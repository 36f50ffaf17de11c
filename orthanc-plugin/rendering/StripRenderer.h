#pragma once
// A large native grey frame rendered as it is read: strips of a few hundred kilobytes are read
// from the stored file into one reused buffer, cleared of bits above High Bit, and
// block-averaged straight away, so each stored byte crosses memory once and the full frame is
// never held. A 2500x3000 16-bit radiograph shown 1024 wide: 15 MB read in 250 KB pieces that
// stay in the processor's cache, instead of copied, scanned and averaged as a whole.
// Gives the bytes RenderPixels gives for the same frame read whole.
#include <cstdint>
#include <functional>
#include <optional>
#include <string>

#include "rendering/RenderRequest.h"
#include "rendering/StoredFrames.h"

namespace relais::rendering {

// Reads `length` bytes from `offset` of the stored file into `target`; returns how many.
using ReadInto = std::function<size_t(uint64_t offset, size_t length, void* target)>;

// Nothing when strips would not help (not 16-bit grey, or shrunk by less than half): the
// caller renders the whole frame. Throws std::runtime_error when the file is shorter than its
// header says.
std::optional<std::string> RenderGreyInStrips(const ReadInto& read, const StoredFrames& stored, unsigned frame,
                                              const RenderRequest& request);

}  // namespace relais::rendering
