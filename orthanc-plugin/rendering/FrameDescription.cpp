#include "rendering/FrameDescription.h"

#include <algorithm>
#include <cstdint>
#include <cstring>
#include <stdexcept>
#include <vector>

namespace relais::rendering {

namespace {

std::string Text(const nlohmann::json& tags, const char* tag) {
  auto it = tags.find(tag);
  if (it == tags.end() || !it->is_string()) return {};
  std::string s = it->get<std::string>();
  while (!s.empty() && (s.back() == ' ' || s.back() == '\0')) s.pop_back();
  return s;
}

// First value of a possibly multi-valued DS/IS/US attribute ("40\80" -> 40).
std::optional<double> FirstNumber(const nlohmann::json& tags, const char* tag) {
  std::string text = Text(tags, tag);
  text = text.substr(0, text.find('\\'));
  if (text.empty()) return std::nullopt;
  try {
    size_t used = 0;
    double v = std::stod(text, &used);
    return v;
  } catch (const std::exception&) {
    return std::nullopt;
  }
}

int Integer(const nlohmann::json& tags, const char* tag, int fallback) {
  auto v = FirstNumber(tags, tag);
  return v ? static_cast<int>(*v) : fallback;
}

// Whether any of the 16-bit values has a bit set outside `mask`: the values OR-ed together
// eight bytes at a time, a pass at memory speed with no write.
bool AnyBitsAbove(std::string_view values, uint16_t mask) {
  uint64_t seen = 0;
  size_t i = 0;
  for (; i + 8 <= values.size(); i += 8) {
    uint64_t word;
    std::memcpy(&word, values.data() + i, 8);
    seen |= word;
  }
  for (; i + 2 <= values.size(); i += 2) {
    uint16_t value;
    std::memcpy(&value, values.data() + i, 2);
    seen |= value;
  }
  const uint64_t outside = ~(static_cast<uint64_t>(mask) * 0x0001000100010001ull);
  return (seen & outside) != 0;
}

}  // namespace

bool FrameDescription::isJpegBaseline() const {
  return transferSyntax == "1.2.840.10008.1.2.4.50" && photometric != "PALETTE COLOR";
}

bool FrameDescription::isPlainNative() const {
  const bool littleEndian = transferSyntax == "1.2.840.10008.1.2.1" || transferSyntax == "1.2.840.10008.1.2";
  if (!littleEndian || rows <= 0 || columns <= 0) return false;
  const bool grey = samplesPerPixel == 1 && (photometric == "MONOCHROME1" || photometric == "MONOCHROME2") &&
                    (bitsAllocated == 8 || bitsAllocated == 16) && bitsStored <= bitsAllocated &&
                    highBit == bitsStored - 1;
  const bool rgb = samplesPerPixel == 3 && photometric == "RGB" && bitsAllocated == 8;
  return grey || rgb;
}

FrameDescription DescribeFrames(const nlohmann::json& tags, const std::string& transferSyntax) {
  FrameDescription d;
  d.transferSyntax = transferSyntax;
  d.studyInstanceUid = Text(tags, "0020,000d");
  if (d.studyInstanceUid.empty()) d.studyInstanceUid = Text(tags, "0020,000D");
  d.photometric = Text(tags, "0028,0004");
  d.rows = Integer(tags, "0028,0010", 0);
  d.columns = Integer(tags, "0028,0011", 0);
  d.samplesPerPixel = Integer(tags, "0028,0002", 1);
  d.bitsAllocated = Integer(tags, "0028,0100", 8);
  d.bitsStored = Integer(tags, "0028,0101", d.bitsAllocated);
  d.highBit = Integer(tags, "0028,0102", d.bitsStored - 1);
  d.signedPixels = Integer(tags, "0028,0103", 0) == 1;
  d.planar = Integer(tags, "0028,0006", 0) == 1;
  d.frames = std::max(1, Integer(tags, "0028,0008", 1));

  if (auto v = FirstNumber(tags, "0018,1063"); v && *v > 0) {
    d.frameTimeMs = *v;
  } else if (auto rate = FirstNumber(tags, "0018,0040"); rate && *rate > 0) {
    d.frameTimeMs = 1000.0 / *rate;
  } else if (auto recommended = FirstNumber(tags, "0008,2144"); recommended && *recommended > 0) {
    d.frameTimeMs = 1000.0 / *recommended;
  }
  if (auto v = FirstNumber(tags, "0028,1053"); v && *v != 0) d.grey.rescaleSlope = *v;
  if (auto v = FirstNumber(tags, "0028,1052")) d.grey.rescaleIntercept = *v;
  d.grey.monochrome1 = d.photometric == "MONOCHROME1";
  d.grey.windowCenter = FirstNumber(tags, "0028,1050");
  d.grey.windowWidth = FirstNumber(tags, "0028,1051");
  if (!d.grey.windowCenter || !d.grey.windowWidth) d.grey.windowCenter = d.grey.windowWidth = std::nullopt;
  d.calibration = ReadPixelCalibration(tags);
  return d;
}

size_t NativeFrameBytes(const FrameDescription& d) {
  return static_cast<size_t>(d.rows) * d.columns * d.samplesPerPixel * (d.bitsAllocated / 8);
}

cv::Mat NativeFrameValues(std::string_view raw, const FrameDescription& d) {
  const size_t pixels = static_cast<size_t>(d.rows) * d.columns;
  const size_t needed = NativeFrameBytes(d);
  if (raw.size() < needed) {
    throw std::runtime_error("frame has " + std::to_string(raw.size()) + " bytes, its attributes need " +
                             std::to_string(needed));
  }
  // cv::Mat has no read-only view; nothing below writes through `data`.
  void* data = const_cast<char*>(raw.data());
  if (d.samplesPerPixel == 3) {
    if (!d.planar) return cv::Mat(d.rows, d.columns, CV_8UC3, data);
    std::vector<cv::Mat> planes;
    for (int c = 0; c < 3; ++c) {
      planes.emplace_back(d.rows, d.columns, CV_8UC1, static_cast<uint8_t*>(data) + c * pixels);
    }
    cv::Mat rgb;
    cv::merge(planes, rgb);
    return rgb;
  }
  if (d.bitsAllocated == 8) {
    if (!d.signedPixels) return cv::Mat(d.rows, d.columns, CV_8UC1, data);
    cv::Mat widened;  // OpenCV's area resize has no signed 8-bit path
    cv::Mat(d.rows, d.columns, CV_8SC1, data).convertTo(widened, CV_16S);
    return widened;
  }
  const cv::Mat stored(d.rows, d.columns, CV_16UC1, data);
  if (!d.signedPixels) {
    if (d.bitsStored >= 16) return stored;
    // Bits above High Bit may hold anything (retired overlays) and must be cleared before any
    // averaging; they are nearly always clear already, which one read-only pass tells.
    const unsigned mask = (1u << d.bitsStored) - 1u;
    if (!AnyBitsAbove(raw.substr(0, pixels * 2), static_cast<uint16_t>(mask))) return stored;
    cv::Mat values;
    cv::bitwise_and(stored, cv::Scalar(mask), values);
    return values;
  }
  // Sign-extend from bit bitsStored-1: shift the sign bit to bit 15, then back arithmetically.
  const int unused = 16 - d.bitsStored;
  const auto* in = reinterpret_cast<const uint16_t*>(raw.data());
  cv::Mat signedValues(d.rows, d.columns, CV_16SC1);
  auto* s = signedValues.ptr<int16_t>();
  for (size_t i = 0; i < pixels; ++i) {
    s[i] = static_cast<int16_t>(static_cast<int16_t>(static_cast<uint16_t>(in[i] << unused)) >> unused);
  }
  return signedValues;
}

cv::Mat ReadNativeFrame(std::string_view raw, const FrameDescription& d) {
  cv::Mat values = NativeFrameValues(raw, d);
  return values.data == reinterpret_cast<const uchar*>(raw.data()) ? values.clone() : values;
}

nlohmann::json ViewerFacts(const FrameDescription& d, const std::optional<Window>& defaultWindow) {
  nlohmann::json facts = {{"rows", d.rows},
                          {"columns", d.columns},
                          {"frames", d.frames},
                          {"frameTimeMs", d.frameTimeMs > 0 ? nlohmann::json(d.frameTimeMs) : nlohmann::json()},
                          {"photometric", d.photometric},
                          {"grey", d.isGrey()},
                          {"window", nullptr}};
  if (defaultWindow) facts["window"] = {{"center", defaultWindow->center}, {"width", defaultWindow->width}};
  AddCalibrationFacts(d.calibration, facts);
  return facts;
}

}  // namespace relais::rendering
