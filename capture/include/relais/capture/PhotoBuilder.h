#pragma once
// Camera and phone photos -> VL Photographic Image (modality XC); dermatoscope pictures ->
// Dermoscopic Photography Image (modality DMS). Pure: bytes in, DICOM dataset out.
//
// A JPEG is stored under the baseline JPEG transfer syntax with the camera's DCT coefficients,
// re-coded losslessly with a restart marker every MCU row (so the hub decodes it in row bands)
// and turned upright in the DCT domain when EXIF says so; as a last resort, a turn that cannot
// be lossless is re-encoded (see JpegOrientation.h). What was done is recorded in Derivation
// Description, Image Type and the lossy-compression attributes. EXIF, GPS, XMP,
// thumbnails and comments never reach the output. PNG/TIFF/BMP photos are stored uncompressed.
#include <string>

#include "relais/capture/DicomHeader.h"
#include "relais/capture/QualityGate.h"

namespace relais::capture {

enum class PhotoKind { Clinical, Dermoscopic };

// Dermoscopic Image module (Type 2 except the first): empty means "not known".
struct DermoscopySettings {
  std::string lightSourcePolarization;
  std::string contactMethod;
  std::string immersionMedia;
  std::string opticalMagnification;
  std::string emitterColorTemperature;
};

struct PhotoSettings {
  PhotoKind kind = PhotoKind::Clinical;
  QualityThresholds thresholds;
  bool acceptQualityWarnings = false;
  Device device;  // fills what EXIF does not say
  DermoscopySettings dermoscopy;
};

struct ImageInput {
  std::string label;  // "photo 2 (IMG_0042.jpg)": how messages name this image
  Bytes bytes;
};

// Throws CaptureError (message starts with the label) for unusable input, QualityRefused
// when the gate refuses and acceptQualityWarnings is false.
DicomObject buildPhoto(const ImageInput& input, const StudyHeader& study, const InstanceIdentity& instance,
                       const PhotoSettings& settings);

// Shared by every builder: runs the gate, throws QualityRefused or, when overridden, records
// the accepted warnings in Image Comments. Returns the report.
QualityReport applyQualityGate(const cv::Mat& analysis, int width, int height, const QualityThresholds& thresholds,
                               bool acceptWarnings, const std::string& label, DcmItem& dataset);

// How a camera JPEG was stored: why the bytes differ from the camera's, if they do.
struct StoredJpeg {
  std::string derivation;  // for Derivation Description; empty when the camera's JPEG is kept
  bool derived = false;    // pixel values changed (re-encoded): Image Type DERIVED
};

// Quality gate (applyQualityGate on the reduced decode), Image Pixel module, acquisition
// time, lossy-compression attributes and pixel data of a camera JPEG (lossless re-code with
// row restarts, turned or not; re-encode fallback; passthrough when it already restarts every
// MCU row; RGB pixels for an RGB-coded JPEG); sets the object's transfer syntax. A re-coded
// JPEG is entropy-decoded once for both the gate and the re-code. Shared by photo and
// ultrasound stills.
StoredJpeg putJpegImage(DcmItem& dataset, const StudyHeader& study, const ImageInput& input, const JpegInfo& info,
                        const QualityThresholds& thresholds, bool acceptQualityWarnings, DicomObject& object);

// Native 8-bit pixel data (RGB or MONOCHROME2) from a decoded BGR/BGRA/gray image.
void putNativePixels8(DcmItem& dataset, const cv::Mat& image);

}  // namespace relais::capture
