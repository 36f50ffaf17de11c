#pragma once
// The image-quality gate: is this picture worth sending 300 km? It measures, on a reduced
// grayscale copy scaled to a fixed analysis size (kAnalysisEdge on the long edge, because the
// variance of the Laplacian depends on size):
//  - resolution of the full image against a minimum,
//  - exposure: share of clipped highlights and shadows, mean brightness,
//  - sharpness: variance of the Laplacian (only when exposure is acceptable: a dark or
//    burnt-out picture has no edges to measure).
// Thresholds come per source from config/capture/quality.json. Findings are phrased for a
// nurse: what is wrong and what to do.
#include <nlohmann/json_fwd.hpp>
#include <opencv2/core.hpp>
#include <string>
#include <vector>

#include "relais/capture/JpegStream.h"

namespace relais::capture {

constexpr int kAnalysisEdge = 1024;

struct QualityThresholds {
  int minLongEdge = 0;
  int minShortEdge = 0;
  double minSharpness = 0;        // variance of the Laplacian at kAnalysisEdge; 0 = not checked
  double maxHighlightClipped = 1; // share of pixels >= 250
  double maxShadowClipped = 1;    // share of pixels <= 5
  double minMeanBrightness = 0;
  double maxMeanBrightness = 255;
};

struct QualityFinding {
  std::string problem;  // "is blurred"
  std::string advice;   // "hold the phone still and retake"
  std::string measure;  // "sharpness 12 (needs 60)"
};

struct QualityReport {
  int width = 0, height = 0;
  double sharpness = 0, highlightClipped = 0, shadowClipped = 0, meanBrightness = 0;
  std::vector<QualityFinding> findings;
  bool acceptable() const { return findings.empty(); }
  // "photo 2 (IMG_1.jpg) is blurred: hold the phone still and retake [sharpness 12, needs 60]"
  std::string explain(const std::string& label) const;
};

// Reads the section `source` ("photo", "dermoscopy", "ultrasound", "xray", "film") of the
// quality configuration; `file` names the configuration in errors.
QualityThresholds thresholdsFromJson(const nlohmann::json& config, const std::string& source, const std::string& file);

// Pure measurement on an 8-bit grayscale analysis image; width/height are of the full image.
QualityReport assessQuality(const cv::Mat& analysisGray, int width, int height, const QualityThresholds& thresholds);

// Reduced grayscale decode of a JPEG with libjpeg-turbo's DCT scaling, resized to the
// analysis size. Fails (CaptureError) on any decoder warning, so a truncated or corrupt
// entropy stream is caught even when the bytes are later stored unchanged.
cv::Mat analysisImageFromJpeg(const Bytes& jpeg, const JpegInfo& info);

// The DCT scaling of that decode: the smallest num/denom whose long edge still reaches the
// analysis size.
struct DctScale {
  int num = 1;
  int denom = 1;
};
DctScale analysisScale(const JpegInfo& info);
// The same from a reduced grayscale decode made elsewhere (at analysisScale).
cv::Mat analysisImageFromReduced(const cv::Mat& reducedGray);

// Analysis image of an already decoded picture (8 or 16 bit, 1, 3 or 4 channels; BGR order).
cv::Mat analysisImage(const cv::Mat& image);

}  // namespace relais::capture
