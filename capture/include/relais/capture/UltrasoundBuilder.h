#pragma once
// Ultrasound: a still (screen grab or exported frame) -> US Image; a clip (video file read
// with OpenCV, or a folder of numbered frames) -> US Multi-frame Image with one JPEG per
// frame, Frame Time and Frame Increment Pointer. Screen grabs carry the machine's text
// (patient name, measurements), so Burned In Annotation is YES unless told otherwise.
#include <filesystem>
#include <string>
#include <vector>

#include "relais/capture/PhotoBuilder.h"

namespace relais::capture {

struct UltrasoundSettings {
  QualityThresholds thresholds;
  bool acceptQualityWarnings = false;
  bool burnedInAnnotation = true;
  std::string examType;       // Image Type value 3 (ABDOMINAL, OB, GYNECOLOGY, ...); empty: from the specialty
  double framesPerSecond = 0; // clips: 0 = from the video, else this (numbered frames default to 25)
  int jpegQuality = 90;
  int maxFrames = 1500;
  Device device;
};

// Decoded frames of a clip with their rate.
struct Clip {
  std::vector<cv::Mat> frames;  // BGR 8-bit
  double framesPerSecond = 25;
};

// Reads a video file (any container/codec OpenCV's backends know) or a folder of numbered
// image files (sorted by name). Throws CaptureError naming `path` when unreadable or empty.
Clip readClip(const std::filesystem::path& path, double framesPerSecond, int maxFrames);

DicomObject buildUltrasoundStill(const ImageInput& input, const StudyHeader& study, const InstanceIdentity& instance,
                                 const UltrasoundSettings& settings);

DicomObject buildUltrasoundClip(const std::string& label, const Clip& clip, const StudyHeader& study,
                                const InstanceIdentity& instance, const UltrasoundSettings& settings);

}  // namespace relais::capture
