#include "relais/capture/ExifFacts.h"

#include <algorithm>

namespace relais::capture {
namespace {

class TiffReader {
 public:
  TiffReader(const std::uint8_t* data, std::size_t size) : data_(data), size_(size) {
    if (size_ >= 8 && data_[0] == 'I' && data_[1] == 'I') littleEndian_ = true;
    else if (size_ >= 8 && data_[0] == 'M' && data_[1] == 'M') littleEndian_ = false;
    else valid_ = false;
  }
  bool valid() const { return valid_; }
  bool has(std::size_t offset, std::size_t length) const {
    return offset <= size_ && length <= size_ - offset;
  }
  std::uint16_t u16(std::size_t offset) const {
    if (!has(offset, 2)) return 0;
    return littleEndian_ ? static_cast<std::uint16_t>(data_[offset] | data_[offset + 1] << 8)
                         : static_cast<std::uint16_t>(data_[offset] << 8 | data_[offset + 1]);
  }
  std::uint32_t u32(std::size_t offset) const {
    if (!has(offset, 4)) return 0;
    const std::uint32_t a = data_[offset], b = data_[offset + 1], c = data_[offset + 2], d = data_[offset + 3];
    return littleEndian_ ? (a | b << 8 | c << 16 | d << 24) : (a << 24 | b << 16 | c << 8 | d);
  }
  std::string ascii(std::size_t entry) const {
    const std::uint32_t count = u32(entry + 4);
    const std::size_t offset = count <= 4 ? entry + 8 : u32(entry + 8);
    if (count == 0 || !has(offset, count)) return {};
    std::string text(reinterpret_cast<const char*>(data_ + offset), count);
    text.erase(std::find(text.begin(), text.end(), '\0'), text.end());
    while (!text.empty() && text.back() == ' ') text.pop_back();
    return text;
  }

 private:
  const std::uint8_t* data_;
  std::size_t size_;
  bool littleEndian_ = true;
  bool valid_ = true;
};

constexpr std::uint16_t kOrientation = 0x0112, kMake = 0x010F, kModel = 0x0110,
                        kExifIfd = 0x8769, kGpsIfd = 0x8825, kDateTimeOriginal = 0x9003,
                        kBodySerialNumber = 0xA431;
constexpr std::uint16_t kTypeShort = 3;

void readIfd(const TiffReader& tiff, std::size_t offset, ExifFacts& facts, int depth) {
  if (depth > 2 || !tiff.has(offset, 2)) return;
  const std::uint16_t count = tiff.u16(offset);
  for (std::uint16_t i = 0; i < count; ++i) {
    const std::size_t entry = offset + 2 + 12u * i;
    if (!tiff.has(entry, 12)) return;
    const std::uint16_t tag = tiff.u16(entry);
    switch (tag) {
      case kOrientation:
        if (tiff.u16(entry + 2) == kTypeShort) {
          const int value = tiff.u16(entry + 8);
          if (value >= 1 && value <= 8) facts.orientation = value;
        }
        break;
      case kMake: facts.make = tiff.ascii(entry); break;
      case kModel: facts.model = tiff.ascii(entry); break;
      case kDateTimeOriginal: facts.dateTimeOriginal = tiff.ascii(entry); break;
      case kBodySerialNumber: facts.serialNumber = tiff.ascii(entry); break;
      case kGpsIfd: facts.hadGps = true; break;
      case kExifIfd: readIfd(tiff, tiff.u32(entry + 8), facts, depth + 1); break;
      default: break;
    }
  }
}

}  // namespace

ExifFacts parseExif(const std::uint8_t* data, std::size_t size) {
  ExifFacts facts;
  TiffReader tiff(data, size);
  if (!tiff.valid() || tiff.u16(2) != 42) return facts;
  readIfd(tiff, tiff.u32(4), facts, 0);
  return facts;
}

}  // namespace relais::capture
