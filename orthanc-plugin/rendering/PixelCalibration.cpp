#include "rendering/PixelCalibration.h"

#include <cctype>
#include <cmath>

namespace relais::rendering {

namespace {

constexpr int kCentimetres = 3;  // Physical Units X/Y Direction (0018,6024/6026)

// Orthanc writes short keys in lower case; other writers of this JSON may not.
const nlohmann::json* Find(const nlohmann::json& tags, std::string key) {
  auto it = tags.find(key);
  if (it != tags.end()) return &*it;
  for (char& c : key) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  it = tags.find(key);
  return it == tags.end() ? nullptr : &*it;
}

std::vector<double> Numbers(const nlohmann::json& tags, const char* key) {
  std::vector<double> out;
  const nlohmann::json* value = Find(tags, key);
  if (value == nullptr) return out;
  if (value->is_number()) return {value->get<double>()};
  if (!value->is_string()) return out;
  const std::string text = value->get<std::string>();
  size_t start = 0;
  while (start <= text.size()) {
    const size_t end = std::min(text.find('\\', start), text.size());
    try {
      size_t used = 0;
      const double v = std::stod(text.substr(start, end - start), &used);
      if (!std::isfinite(v)) return {};
      out.push_back(v);
    } catch (const std::exception&) {
      return {};
    }
    start = end + 1;
  }
  return out;
}

std::optional<double> Number(const nlohmann::json& tags, const char* key) {
  const auto values = Numbers(tags, key);
  if (values.empty()) return std::nullopt;
  return values.front();
}

std::optional<PixelSpacing> SpacingFrom(const nlohmann::json& tags, const char* key, const char* source) {
  const auto values = Numbers(tags, key);
  if (values.size() != 2 || values[0] <= 0 || values[1] <= 0) return std::nullopt;
  return PixelSpacing{values[0], values[1], source};
}

std::optional<UltrasoundRegion> RegionFrom(const nlohmann::json& item) {
  if (!item.is_object()) return std::nullopt;
  const auto unitsX = Number(item, "0018,6024");
  const auto unitsY = Number(item, "0018,6026");
  const auto deltaX = Number(item, "0018,602c");
  const auto deltaY = Number(item, "0018,602e");
  const auto x0 = Number(item, "0018,6018");
  const auto y0 = Number(item, "0018,601a");
  const auto x1 = Number(item, "0018,601c");
  const auto y1 = Number(item, "0018,601e");
  if (!unitsX || !unitsY || *unitsX != kCentimetres || *unitsY != kCentimetres) return std::nullopt;
  if (!deltaX || !deltaY || *deltaX <= 0 || *deltaY <= 0) return std::nullopt;
  if (!x0 || !y0 || !x1 || !y1 || *x1 < *x0 || *y1 < *y0) return std::nullopt;
  return UltrasoundRegion{static_cast<int>(*x0), static_cast<int>(*y0), static_cast<int>(*x1),
                          static_cast<int>(*y1), *deltaX * 10.0, *deltaY * 10.0};
}

}  // namespace

PixelCalibration ReadPixelCalibration(const nlohmann::json& tags) {
  PixelCalibration c;
  if (const nlohmann::json* sequence = Find(tags, "0018,6011"); sequence != nullptr && sequence->is_array()) {
    for (const auto& item : *sequence) {
      if (auto region = RegionFrom(item)) c.regions.push_back(*region);
    }
  }
  c.spacing = SpacingFrom(tags, "0028,0030", "PixelSpacing");
  if (!c.spacing) c.spacing = SpacingFrom(tags, "0018,1164", "ImagerPixelSpacing");
  if (!c.spacing && !c.regions.empty()) {
    const UltrasoundRegion& first = c.regions.front();
    c.spacing = PixelSpacing{first.mmPerPixelY, first.mmPerPixelX, "UltrasoundRegion"};
  }
  return c;
}

void AddCalibrationFacts(const PixelCalibration& c, nlohmann::json& facts) {
  facts["pixelSpacing"] = nullptr;
  if (c.spacing) {
    facts["pixelSpacing"] = {{"row", c.spacing->rowMm}, {"column", c.spacing->columnMm}, {"source", c.spacing->source}};
  }
  facts["ultrasoundRegions"] = nlohmann::json::array();
  for (const auto& r : c.regions) {
    facts["ultrasoundRegions"].push_back({{"x0", r.x0},
                                          {"y0", r.y0},
                                          {"x1", r.x1},
                                          {"y1", r.y1},
                                          {"mmPerPixelX", r.mmPerPixelX},
                                          {"mmPerPixelY", r.mmPerPixelY}});
  }
}

}  // namespace relais::rendering
