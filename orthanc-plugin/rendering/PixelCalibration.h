#pragma once
// How far apart an instance's pixels are on the patient, for the viewer's measurements: Pixel
// Spacing (0028,0030) first, else Imager Pixel Spacing (0018,1164), else the calibrated regions
// of an ultrasound image (Sequence of Ultrasound Regions, 0018,6011). Read from Orthanc's
// "short" tag JSON, sequences as arrays of objects, the form DicomLayout gives too.
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace relais::rendering {

// Millimetres between the centres of neighbouring pixels.
struct PixelSpacing {
  double rowMm = 0;     // between rows: vertical, along y
  double columnMm = 0;  // between columns: horizontal, along x
  std::string source;   // "PixelSpacing", "ImagerPixelSpacing" or "UltrasoundRegion"
};

// A region of an ultrasound image whose physical deltas are distances (Physical Units 3, cm),
// bounds inclusive in pixels. A distance counts only between two points of one region.
struct UltrasoundRegion {
  int x0 = 0, y0 = 0, x1 = 0, y1 = 0;
  double mmPerPixelX = 0;
  double mmPerPixelY = 0;
};

struct PixelCalibration {
  std::optional<PixelSpacing> spacing;  // none: measurements are in pixels, uncalibrated
  std::vector<UltrasoundRegion> regions;
};

// Malformed or non-positive values are ignored, as if absent: an uncalibrated measurement is
// shown as such, a wrong one would not be.
PixelCalibration ReadPixelCalibration(const nlohmann::json& shortTags);

// {"pixelSpacing": {"row", "column", "source"} or null, "ultrasoundRegions": [{"x0", "y0", "x1",
// "y1", "mmPerPixelX", "mmPerPixelY"}]}, merged into the viewer's facts.
void AddCalibrationFacts(const PixelCalibration& c, nlohmann::json& facts);

}  // namespace relais::rendering
