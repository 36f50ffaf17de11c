#pragma once
// Where a DICOM Part 10 file keeps its pixels, and the attributes that describe them, read
// from the bytes in front of Pixel Data. With it the renderer reads one frame of a stored
// file (a few kilobytes of header, then the frame's bytes) instead of having the whole file
// parsed: a 29 MB ultrasound clip is 1.4 MB per frame.
//
// Walks little-endian data sets, explicit or implicit VR, skipping sequences of defined or
// undefined length (nested Pixel Data of an icon is inside a sequence, so never taken for the
// frame's). Big-endian and deflated files are refused: Orthanc's decoder takes those.
#include <cstdint>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

namespace relais::rendering {

// The bytes given end before Pixel Data; `needed` is at least how many the walk needs.
class HeaderTooShort : public std::runtime_error {
 public:
  explicit HeaderTooShort(size_t needed)
      : std::runtime_error("DICOM header continues past the bytes read"), needed(needed) {}
  size_t needed;
};

struct DicomLayout {
  std::string transferSyntax;
  // The attributes FrameDescription reads, in Orthanc's "short" form: {"0028,0010": "600"}.
  nlohmann::json shortTags = nlohmann::json::object();
  uint64_t pixelDataElementOffset = 0;     // file offset of Pixel Data's tag: the header ends there
  uint64_t pixelDataOffset = 0;            // file offset of Pixel Data's value
  std::optional<uint64_t> pixelDataLength;  // none: undefined length (encapsulated)
};

// Throws HeaderTooShort when `head` (the start of the file) ends before Pixel Data, and
// std::runtime_error naming the problem when the file is not one this walker reads.
DicomLayout ReadDicomLayout(std::string_view head);

// The fragments of encapsulated Pixel Data, as (offset, length) relative to the start of
// `value` (the bytes from Pixel Data's value on), the Basic Offset Table item left out.
// Throws std::runtime_error if the items are malformed or `value` ends before the sequence
// delimiter.
std::vector<std::pair<uint64_t, uint32_t>> EncapsulatedFragments(std::string_view value);

}  // namespace relais::rendering
