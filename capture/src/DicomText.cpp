#include "relais/capture/DicomText.h"

#include <dcmtk/dcmdata/dcitem.h>
#include <dcmtk/dcmdata/dctag.h>
#include <dcmtk/dcmdata/dcvr.h>

#include <algorithm>
#include <cstdint>
#include <vector>

#include "relais/capture/CaptureError.h"

namespace relais::capture {
namespace {

bool isFreeText(const std::string& vr) { return vr == "LT" || vr == "ST" || vr == "UT"; }

// Code points of `raw`: valid UTF-8 as it is, any other byte as ISO 8859-1.
std::vector<char32_t> decode(const std::string& raw) {
  std::vector<char32_t> points;
  const auto* bytes = reinterpret_cast<const unsigned char*>(raw.data());
  const std::size_t size = raw.size();
  for (std::size_t i = 0; i < size;) {
    const unsigned char lead = bytes[i];
    int length = lead < 0x80 ? 1 : (lead >> 5) == 0x6 ? 2 : (lead >> 4) == 0xE ? 3 : (lead >> 3) == 0x1E ? 4 : 0;
    char32_t point = length == 1 ? lead : length == 2 ? (lead & 0x1F) : length == 3 ? (lead & 0x0F) : (lead & 0x07);
    bool valid = length > 0 && i + static_cast<std::size_t>(length) <= size;
    for (int k = 1; valid && k < length; ++k) {
      const unsigned char next = bytes[i + static_cast<std::size_t>(k)];
      valid = (next & 0xC0) == 0x80;
      point = (point << 6) | (next & 0x3F);
    }
    // Overlong forms, surrogates and points past U+10FFFF are not UTF-8 either.
    valid = valid && !(length == 2 && point < 0x80) && !(length == 3 && point < 0x800) &&
            !(length == 4 && point < 0x10000) && !(point >= 0xD800 && point <= 0xDFFF) && point <= 0x10FFFF;
    if (valid) {
      points.push_back(point);
      i += static_cast<std::size_t>(length);
    } else {
      points.push_back(lead);  // ISO 8859-1: the byte is the code point
      ++i;
    }
  }
  return points;
}

void encode(char32_t point, std::string& out) {
  if (point < 0x80) {
    out += static_cast<char>(point);
  } else if (point < 0x800) {
    out += static_cast<char>(0xC0 | (point >> 6));
    out += static_cast<char>(0x80 | (point & 0x3F));
  } else if (point < 0x10000) {
    out += static_cast<char>(0xE0 | (point >> 12));
    out += static_cast<char>(0x80 | ((point >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (point & 0x3F));
  } else {
    out += static_cast<char>(0xF0 | (point >> 18));
    out += static_cast<char>(0x80 | ((point >> 12) & 0x3F));
    out += static_cast<char>(0x80 | ((point >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (point & 0x3F));
  }
}

bool isControl(char32_t point) { return point < 0x20 || (point >= 0x7F && point <= 0x9F); }

// At most `limit` bytes of UTF-8 `text`, cut before a continuation byte, trailing spaces off.
std::string cut(const std::string& text, std::size_t limit) {
  std::string out = text;
  if (limit > 0 && out.size() > limit) {
    std::size_t end = limit;
    while (end > 0 && (static_cast<unsigned char>(out[end]) & 0xC0) == 0x80) --end;
    out.resize(end);
  }
  while (!out.empty() && out.back() == ' ') out.pop_back();
  return out;
}

}  // namespace

std::size_t maxValueLength(const std::string& vr) {
  if (vr == "AE" || vr == "CS" || vr == "DS" || vr == "SH") return 16;
  if (vr == "IS") return 12;
  if (vr == "LO" || vr == "PN" || vr == "UI") return 64;
  if (vr == "ST") return 1024;
  if (vr == "LT") return 10240;
  return 0;
}

namespace {

// Valid UTF-8 without the control characters and separators `vr` forbids; not cut.
std::string clean(const std::string& raw, const std::string& vr) {
  const bool freeText = isFreeText(vr);
  std::string out;
  out.reserve(raw.size());
  for (char32_t point : decode(raw)) {
    const bool keptControl = freeText && (point == '\t' || point == '\n' || point == '\f' || point == '\r');
    if (isControl(point) && !keptControl) point = ' ';
    if (point == '\\' && !freeText) point = '/';
    encode(point, out);
  }
  // Leading spaces are insignificant in the short VRs and readers strip them.
  if (!freeText && vr != "PN") out.erase(0, std::min(out.size(), out.find_first_not_of(' ')));
  return out;
}

}  // namespace

std::string dicomText(const std::string& raw, const std::string& vr) {
  const std::string text = clean(raw, vr);
  if (vr != "PN") return cut(text, maxValueLength(vr));
  // PN: up to three component groups (alphabetic=ideographic=phonetic), 64 bytes each.
  std::string name;
  std::size_t start = 0;
  for (int group = 0; group < 3; ++group) {
    const std::size_t end = text.find('=', start);
    name += (group ? "=" : "") + cut(text.substr(start, end == std::string::npos ? std::string::npos : end - start), 64);
    if (end == std::string::npos) break;
    start = end + 1;
  }
  return name;
}

std::string dicomTextMarkingCut(const std::string& raw, const std::string& vr, bool* wasCut) {
  const std::string text = clean(raw, vr);
  const std::size_t limit = maxValueLength(vr);
  const bool longer = limit > 3 && vr != "PN" && text.size() > limit;
  if (wasCut) *wasCut = longer;
  return longer ? cut(text, limit - 3) + "..." : dicomText(raw, vr);
}

void putText(DcmItem& item, const DcmTagKey& tag, const std::string& raw) {
  const std::string vr = DcmVR(DcmTag(tag).getEVR()).getVRName();
  const OFCondition status = item.putAndInsertString(tag, dicomText(raw, vr).c_str());
  if (status.bad()) throw CaptureError(std::string("cannot set DICOM attribute ") + DcmTag(tag).getTagName() + ": " + status.text());
}

}  // namespace relais::capture
