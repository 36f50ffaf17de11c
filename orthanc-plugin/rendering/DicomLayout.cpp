#include "rendering/DicomLayout.h"

#include <cstdio>
#include <cstring>

namespace relais::rendering {

namespace {

constexpr uint32_t kUndefinedLength = 0xFFFFFFFFu;
constexpr uint32_t kItem = 0xFFFEE000u;
constexpr uint32_t kItemDelimiter = 0xFFFEE00Du;
constexpr uint32_t kSequenceDelimiter = 0xFFFEE0DDu;
constexpr uint32_t kPixelData = 0x7FE00010u;
constexpr uint32_t kTransferSyntaxUid = 0x00020010u;
constexpr uint32_t kUltrasoundRegions = 0x00186011u;

const char* kImplicitLittleEndian = "1.2.840.10008.1.2";

// The attributes FrameDescription reads, with their VR for implicit-VR files.
struct Wanted {
  uint32_t tag;
  const char* vr;
};
constexpr Wanted kWanted[] = {
    {0x00082144u, "IS"}, {0x00180040u, "IS"}, {0x00181063u, "DS"}, {0x0020000Du, "UI"}, {0x00280002u, "US"},
    {0x00280004u, "CS"}, {0x00280006u, "US"}, {0x00280008u, "IS"}, {0x00280010u, "US"}, {0x00280011u, "US"},
    {0x00280100u, "US"}, {0x00280101u, "US"}, {0x00280102u, "US"}, {0x00280103u, "US"}, {0x00281050u, "DS"},
    {0x00281051u, "DS"}, {0x00281052u, "DS"}, {0x00281053u, "DS"}, {0x00280030u, "DS"}, {0x00181164u, "DS"},
};

// Inside each item of the Sequence of Ultrasound Regions: the region's bounds and its
// physical units and deltas (PixelCalibration).
constexpr Wanted kRegionWanted[] = {
    {0x00186018u, "UL"}, {0x0018601Au, "UL"}, {0x0018601Cu, "UL"}, {0x0018601Eu, "UL"},
    {0x00186024u, "US"}, {0x00186026u, "US"}, {0x0018602Cu, "FD"}, {0x0018602Eu, "FD"},
};

template <size_t N>
const Wanted* FindIn(const Wanted (&list)[N], uint32_t tag) {
  for (const auto& w : list) {
    if (w.tag == tag) return &w;
  }
  return nullptr;
}

const Wanted* FindWanted(uint32_t tag) { return FindIn(kWanted, tag); }

bool HasLongLength(const char vr[2]) {
  static const char* const kLong[] = {"OB", "OD", "OF", "OL", "OV", "OW", "SQ", "SV", "UC", "UN", "UR", "UT", "UV"};
  for (const char* v : kLong) {
    if (vr[0] == v[0] && vr[1] == v[1]) return true;
  }
  return false;
}

std::string ShortKey(uint32_t tag) {
  char key[10];
  std::snprintf(key, sizeof(key), "%04x,%04x", tag >> 16, tag & 0xFFFFu);
  return key;
}

std::string Trimmed(std::string_view text) {
  while (!text.empty() && (text.back() == ' ' || text.back() == '\0')) text.remove_suffix(1);
  return std::string(text);
}

// Binary values the way Orthanc's short JSON writes them: decimal, several joined by '\'.
std::string BinaryAsText(std::string_view value, const std::string& vr) {
  std::string out;
  if (vr == "FD") {
    for (size_t i = 0; i + 8 <= value.size(); i += 8) {
      double v;
      std::memcpy(&v, value.data() + i, 8);  // little endian, like the machines we run on
      char text[32];
      std::snprintf(text, sizeof(text), "%.17g", v);
      if (!out.empty()) out += '\\';
      out += text;
    }
    return out;
  }
  const size_t width = (vr == "US" || vr == "SS") ? 2 : 4;
  for (size_t i = 0; i + width <= value.size(); i += width) {
    const auto* b = reinterpret_cast<const unsigned char*>(value.data() + i);
    long long v = 0;
    if (width == 2) {
      const uint16_t u = static_cast<uint16_t>(b[0] | (b[1] << 8));
      v = vr == "SS" ? static_cast<int16_t>(u) : u;
    } else {
      const uint32_t u = b[0] | (b[1] << 8) | (b[2] << 16) | (static_cast<uint32_t>(b[3]) << 24);
      v = vr == "SL" ? static_cast<int32_t>(u) : static_cast<long long>(u);
    }
    if (!out.empty()) out += '\\';
    out += std::to_string(v);
  }
  return out;
}

class Walker {
 public:
  explicit Walker(std::string_view bytes) : bytes_(bytes) {}

  size_t position() const { return pos_; }
  void seek(size_t pos) { pos_ = pos; }

  void need(size_t count) const {
    if (pos_ + count > bytes_.size()) throw HeaderTooShort(pos_ + count);
  }
  uint16_t u16() {
    need(2);
    const auto* b = reinterpret_cast<const unsigned char*>(bytes_.data() + pos_);
    pos_ += 2;
    return static_cast<uint16_t>(b[0] | (b[1] << 8));
  }
  uint32_t u32() {
    const uint32_t low = u16();
    return low | (static_cast<uint32_t>(u16()) << 16);
  }
  uint32_t tag() {
    const uint32_t group = u16();
    return (group << 16) | u16();
  }
  std::string_view take(size_t count) {
    need(count);
    std::string_view out = bytes_.substr(pos_, count);
    pos_ += count;
    return out;
  }
  void skip(uint64_t count) {
    if (pos_ + count > bytes_.size()) throw HeaderTooShort(pos_ + count);
    pos_ += count;
  }

 private:
  std::string_view bytes_;
  size_t pos_ = 0;
};

struct ElementHeader {
  uint32_t tag = 0;
  char vr[2] = {0, 0};  // zero in implicit VR
  uint32_t length = 0;
};

ElementHeader ReadHeader(Walker& w, bool explicitVr) {
  ElementHeader h;
  h.tag = w.tag();
  // Items and delimiters carry no VR, whatever the transfer syntax.
  if (!explicitVr || (h.tag >> 16) == 0xFFFEu) {
    h.length = w.u32();
    return h;
  }
  const std::string_view vr = w.take(2);
  h.vr[0] = vr[0];
  h.vr[1] = vr[1];
  if (HasLongLength(h.vr)) {
    w.u16();  // reserved
    h.length = w.u32();
  } else {
    h.length = w.u16();
  }
  return h;
}

void SkipUndefinedSequence(Walker& w, bool explicitVr);

// The elements of an item of undefined length, up to and including its delimiter.
void SkipUndefinedItem(Walker& w, bool explicitVr) {
  for (;;) {
    const ElementHeader h = ReadHeader(w, explicitVr);
    if (h.tag == kItemDelimiter) return;
    if (h.length == kUndefinedLength) {
      // An undefined-length UN holds implicit-VR data (PS3.5 6.2.2).
      const bool unknown = h.vr[0] == 'U' && h.vr[1] == 'N';
      SkipUndefinedSequence(w, explicitVr && !unknown);
    } else {
      w.skip(h.length);
    }
  }
}

void SkipUndefinedSequence(Walker& w, bool explicitVr) {
  for (;;) {
    const uint32_t tag = w.tag();
    const uint32_t length = w.u32();
    if (tag == kSequenceDelimiter) return;
    if (tag != kItem) {
      throw std::runtime_error("malformed sequence: tag " + ShortKey(tag) + " where an item was expected");
    }
    if (length == kUndefinedLength) {
      SkipUndefinedItem(w, explicitVr);
    } else {
      w.skip(length);
    }
  }
}

std::string ValueAsText(std::string_view value, const std::string& vr) {
  const bool binary = vr == "US" || vr == "SS" || vr == "UL" || vr == "SL" || vr == "FD";
  return binary ? BinaryAsText(value, vr) : Trimmed(value);
}

// The wanted elements of one item of the ultrasound regions, in short form; other elements
// (nested sequences included) skipped.
nlohmann::json ReadRegionItem(Walker& w, bool explicitVr, uint32_t length) {
  nlohmann::json item = nlohmann::json::object();
  const size_t end = length == kUndefinedLength ? 0 : w.position() + length;
  for (;;) {
    if (length != kUndefinedLength && w.position() >= end) return item;
    const ElementHeader h = ReadHeader(w, explicitVr);
    if (h.tag == kItemDelimiter) return item;
    if (h.length == kUndefinedLength) {
      const bool unknown = h.vr[0] == 'U' && h.vr[1] == 'N';
      SkipUndefinedSequence(w, explicitVr && !unknown);
      continue;
    }
    const Wanted* wanted = FindIn(kRegionWanted, h.tag);
    if (wanted == nullptr) {
      w.skip(h.length);
      continue;
    }
    const std::string vr = explicitVr ? std::string(h.vr, 2) : wanted->vr;
    item[ShortKey(h.tag)] = ValueAsText(w.take(h.length), vr);
  }
}

// The Sequence of Ultrasound Regions as Orthanc's short JSON has it: an array of items.
nlohmann::json ReadUltrasoundRegions(Walker& w, bool explicitVr, uint32_t length) {
  nlohmann::json items = nlohmann::json::array();
  const size_t end = length == kUndefinedLength ? 0 : w.position() + length;
  for (;;) {
    if (length != kUndefinedLength && w.position() >= end) return items;
    const uint32_t tag = w.tag();
    const uint32_t itemLength = w.u32();
    if (tag == kSequenceDelimiter) return items;
    if (tag != kItem) {
      throw std::runtime_error("malformed sequence: tag " + ShortKey(tag) + " where an item was expected");
    }
    items.push_back(ReadRegionItem(w, explicitVr, itemLength));
  }
}

}  // namespace

DicomLayout ReadDicomLayout(std::string_view head) {
  Walker w(head);
  w.need(132);
  if (head.substr(128, 4) != "DICM") throw std::runtime_error("not a DICOM Part 10 file (no DICM prefix)");
  w.seek(132);

  DicomLayout layout;
  // File meta information: explicit VR little endian, group 0002 only.
  for (;;) {
    w.need(2);
    const size_t start = w.position();
    if (w.u16() != 0x0002u) {
      w.seek(start);
      break;
    }
    w.seek(start);
    const ElementHeader h = ReadHeader(w, true);
    if (h.length == kUndefinedLength) throw std::runtime_error("file meta element of undefined length");
    const std::string_view value = w.take(h.length);
    if (h.tag == kTransferSyntaxUid) layout.transferSyntax = Trimmed(value);
  }
  if (layout.transferSyntax.empty()) throw std::runtime_error("file meta information names no transfer syntax");
  if (layout.transferSyntax == "1.2.840.10008.1.2.2" || layout.transferSyntax == "1.2.840.10008.1.2.1.99") {
    throw std::runtime_error("transfer syntax " + layout.transferSyntax + " is not walked here");
  }
  const bool explicitVr = layout.transferSyntax != kImplicitLittleEndian;

  for (;;) {
    const size_t elementStart = w.position();
    const ElementHeader h = ReadHeader(w, explicitVr);
    if (h.tag == kPixelData) {
      layout.pixelDataElementOffset = elementStart;
      layout.pixelDataOffset = w.position();
      if (h.length != kUndefinedLength) layout.pixelDataLength = h.length;
      return layout;
    }
    if (h.tag == kUltrasoundRegions && !(h.vr[0] == 'U' && h.vr[1] == 'N')) {
      layout.shortTags[ShortKey(h.tag)] = ReadUltrasoundRegions(w, explicitVr, h.length);
      continue;
    }
    if (h.length == kUndefinedLength) {
      const bool unknown = h.vr[0] == 'U' && h.vr[1] == 'N';
      SkipUndefinedSequence(w, explicitVr && !unknown);
      continue;
    }
    const Wanted* wanted = FindWanted(h.tag);
    if (wanted == nullptr) {
      w.skip(h.length);
      continue;
    }
    const std::string vr = explicitVr ? std::string(h.vr, 2) : wanted->vr;
    layout.shortTags[ShortKey(h.tag)] = ValueAsText(w.take(h.length), vr);
  }
}

std::vector<std::pair<uint64_t, uint32_t>> EncapsulatedFragments(std::string_view value) {
  Walker w(value);
  std::vector<std::pair<uint64_t, uint32_t>> fragments;
  bool offsetTable = true;
  try {
    for (;;) {
      const uint32_t tag = w.tag();
      const uint32_t length = w.u32();
      if (tag == kSequenceDelimiter) return fragments;
      if (tag != kItem || length == kUndefinedLength) {
        throw std::runtime_error("malformed encapsulated pixel data at byte " + std::to_string(w.position() - 8));
      }
      if (!offsetTable) fragments.emplace_back(w.position(), length);
      offsetTable = false;
      w.skip(length);
    }
  } catch (const HeaderTooShort&) {
    throw std::runtime_error("encapsulated pixel data ends before its sequence delimiter");
  }
}

}  // namespace relais::rendering
