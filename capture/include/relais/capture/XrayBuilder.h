#pragma once
// X-ray: a 16-bit grayscale detector image (PNG or TIFF) -> Digital X-Ray Image, For
// Presentation, with a VOI window from the histogram; a photographed or scanned film ->
// Secondary Capture, Conversion Type DF (digitized film), converted to 8-bit grayscale.
#include <string>

#include "relais/capture/PhotoBuilder.h"

namespace relais::capture {

struct XraySettings {
  QualityThresholds thresholds;
  bool acceptQualityWarnings = false;
  double pixelSpacingMm = 0.15;  // Imager Pixel Spacing (Type 1); the detector's pitch
  std::string detectorType;      // DIRECT, SCINTILLATOR, STORAGE or empty (unknown)
  // Patient Orientation (row\column direction), Type 1 in the DX Image module. The default
  // is the standard display of a PA chest or any image viewed as if facing the patient.
  std::string patientOrientation = "L\\F";
  Device device;
};

struct VoiWindow {
  double center = 0;
  double width = 1;
};

// Window covering the 0.5th to 99.5th percentile of the pixel values: robust to collimator
// edges and a few saturated pixels.
VoiWindow windowFromHistogram(const cv::Mat& gray16);

DicomObject buildDigitalXray(const ImageInput& input, const StudyHeader& study, const InstanceIdentity& instance,
                             const XraySettings& settings);

DicomObject buildFilmCapture(const ImageInput& input, const StudyHeader& study, const InstanceIdentity& instance,
                             const XraySettings& settings);

}  // namespace relais::capture
