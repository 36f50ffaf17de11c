#include "rendering/FrameDescription.h"

#include <algorithm>
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
  return d;
}

cv::Mat ReadNativeFrame(const std::string& raw, const FrameDescription& d) {
  const size_t pixels = static_cast<size_t>(d.rows) * d.columns;
  const size_t needed = pixels * d.samplesPerPixel * (d.bitsAllocated / 8);
  if (raw.size() < needed) {
    throw std::runtime_error("frame has " + std::to_string(raw.size()) + " bytes, its attributes need " +
                             std::to_string(needed));
  }
  void* data = const_cast<char*>(raw.data());
  if (d.samplesPerPixel == 3) {
    if (!d.planar) return cv::Mat(d.rows, d.columns, CV_8UC3, data).clone();
    std::vector<cv::Mat> planes;
    for (int c = 0; c < 3; ++c) {
      planes.emplace_back(d.rows, d.columns, CV_8UC1, static_cast<uint8_t*>(data) + c * pixels);
    }
    cv::Mat rgb;
    cv::merge(planes, rgb);
    return rgb;
  }
  if (d.bitsAllocated == 8) {
    if (!d.signedPixels) return cv::Mat(d.rows, d.columns, CV_8UC1, data).clone();
    cv::Mat widened;  // OpenCV's area resize has no signed 8-bit path
    cv::Mat(d.rows, d.columns, CV_8SC1, data).convertTo(widened, CV_16S);
    return widened;
  }
  cv::Mat values(d.rows, d.columns, CV_16UC1);
  const auto* in = reinterpret_cast<const uint16_t*>(raw.data());
  auto* out = values.ptr<uint16_t>();
  const int unused = 16 - d.bitsStored;
  if (!d.signedPixels) {
    const uint16_t mask = static_cast<uint16_t>((1u << d.bitsStored) - 1u);
    for (size_t i = 0; i < pixels; ++i) out[i] = in[i] & mask;
    return values;
  }
  // Sign-extend from bit bitsStored-1: shift the sign bit to bit 15, then back arithmetically.
  cv::Mat signedValues(d.rows, d.columns, CV_16SC1);
  auto* s = signedValues.ptr<int16_t>();
  for (size_t i = 0; i < pixels; ++i) {
    s[i] = static_cast<int16_t>(static_cast<int16_t>(static_cast<uint16_t>(in[i] << unused)) >> unused);
  }
  return signedValues;
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
  return facts;
}

}  // namespace relais::rendering
