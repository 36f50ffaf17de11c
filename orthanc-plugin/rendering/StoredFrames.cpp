#include "rendering/StoredFrames.h"

#include <algorithm>
#include <stdexcept>
#include <utility>

namespace relais::rendering {

namespace {

// Most headers end within the first 16 KiB; an ultrasound header with an icon or a long
// private sequence may not, and is read again at the size the walk asked for.
constexpr size_t kFirstRead = 16 * 1024;
constexpr size_t kLargestHeader = 64 * 1024 * 1024;

std::string ReadExactly(const ReadBytes& read, uint64_t offset, size_t length) {
  std::string bytes = read(offset, length);
  if (bytes.size() != length) {
    throw std::runtime_error("stored file ends at byte " + std::to_string(offset + bytes.size()) +
                             ", its header promises " + std::to_string(offset + length));
  }
  return bytes;
}

// The layout and the bytes read to find it (the whole header, at least).
std::pair<DicomLayout, std::string> ReadStoredHead(const ReadBytes& read, uint64_t fileSize) {
  size_t wanted = static_cast<size_t>(std::min<uint64_t>(fileSize, kFirstRead));
  for (;;) {
    std::string head = read(0, wanted);
    try {
      DicomLayout layout = ReadDicomLayout(head);
      return {std::move(layout), std::move(head)};
    } catch (const HeaderTooShort& shortBy) {
      if (head.size() < wanted || wanted >= fileSize || shortBy.needed > kLargestHeader) {
        throw std::runtime_error("no Pixel Data in the stored file's first " + std::to_string(head.size()) +
                                 " bytes");
      }
      // Grow geometrically: a long sequence is walked again from the start each time.
      wanted = static_cast<size_t>(std::min<uint64_t>(fileSize, std::max(shortBy.needed, wanted * 4)));
    }
  }
}

}  // namespace

DicomLayout ReadStoredLayout(const ReadBytes& read, uint64_t fileSize) { return ReadStoredHead(read, fileSize).first; }

StoredFrames DescribeStoredFile(const ReadBytes& read, uint64_t fileSize) {
  StoredFrames stored;
  stored.layout = ReadStoredLayout(read, fileSize);
  stored.description = DescribeFrames(stored.layout.shortTags, stored.layout.transferSyntax);
  stored.fileSize = fileSize;
  return stored;
}

std::string StoredHeaderBytes(const ReadBytes& read, uint64_t fileSize) {
  auto [layout, head] = ReadStoredHead(read, fileSize);
  head.resize(static_cast<size_t>(layout.pixelDataElementOffset));  // the walk read at least this far
  return head;
}

std::optional<ByteRange> NativeFrameRange(const StoredFrames& stored, unsigned frame) {
  const DicomLayout& layout = stored.layout;
  if (!layout.pixelDataLength) return std::nullopt;
  const size_t frameBytes = NativeFrameBytes(stored.description);
  const uint64_t start = static_cast<uint64_t>(frame) * frameBytes;
  if (frameBytes == 0 || start + frameBytes > *layout.pixelDataLength ||
      layout.pixelDataOffset + start + frameBytes > stored.fileSize) {
    throw std::runtime_error("Pixel Data holds " + std::to_string(*layout.pixelDataLength) + " bytes of a " +
                             std::to_string(stored.fileSize) + "-byte file, frame " + std::to_string(frame) +
                             " would end at " + std::to_string(start + frameBytes));
  }
  return ByteRange{layout.pixelDataOffset + start, frameBytes};
}

std::optional<std::string> ReadStoredFrame(const ReadBytes& read, const StoredFrames& stored, unsigned frame) {
  const DicomLayout& layout = stored.layout;
  const FrameDescription& d = stored.description;
  if (const auto range = NativeFrameRange(stored, frame)) return ReadExactly(read, range->offset, range->length);
  if (d.frames != 1) return std::nullopt;
  std::string value = read(layout.pixelDataOffset, static_cast<size_t>(stored.fileSize - layout.pixelDataElementOffset));
  const auto fragments = EncapsulatedFragments(value);
  if (fragments.size() == 1) {
    // A camera photo is one fragment: trimmed in place rather than copied (3 MB).
    value.resize(fragments[0].first + fragments[0].second);
    value.erase(0, fragments[0].first);
    return value;
  }
  std::string joined;
  for (const auto& [offset, length] : fragments) joined.append(value, offset, length);
  return joined;
}

}  // namespace relais::rendering
