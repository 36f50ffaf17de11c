#include "relais/capture/QualityGate.h"

#include <cmath>
#include <cstdio>
#include <nlohmann/json.hpp>
#include <opencv2/imgproc.hpp>

#include "TurboJpeg.h"

namespace relais::capture {
namespace {

std::string format(const char* pattern, double value) {
  char buffer[64];
  std::snprintf(buffer, sizeof buffer, pattern, value);
  return buffer;
}

cv::Mat resizeToAnalysis(const cv::Mat& gray) {
  const int longEdge = std::max(gray.cols, gray.rows);
  if (longEdge == kAnalysisEdge) return gray;
  const double scale = static_cast<double>(kAnalysisEdge) / longEdge;
  cv::Mat out;
  cv::resize(gray, out, cv::Size(std::max(1, static_cast<int>(std::lround(gray.cols * scale))),
                                 std::max(1, static_cast<int>(std::lround(gray.rows * scale)))),
             0, 0, scale < 1 ? cv::INTER_AREA : cv::INTER_LINEAR);
  return out;
}

}  // namespace

std::string QualityReport::explain(const std::string& label) const {
  std::string text;
  for (const auto& finding : findings) {
    if (!text.empty()) text += "\n";
    text += label + " " + finding.problem + ": " + finding.advice + " [" + finding.measure + "]";
  }
  return text;
}

QualityThresholds thresholdsFromJson(const nlohmann::json& config, const std::string& source, const std::string& file) {
  auto section = config.find(source);
  if (section == config.end() || !section->is_object()) {
    throw CaptureError(file + ": no object \"" + source + "\" (quality thresholds for that source)");
  }
  QualityThresholds t;
  auto number = [&](const char* key, double& target) {
    auto it = section->find(key);
    if (it == section->end()) return;
    if (!it->is_number()) throw CaptureError(file + ": \"" + source + "." + key + "\" must be a number");
    target = it->get<double>();
  };
  double minLong = 0, minShort = 0;
  number("minLongEdge", minLong);
  number("minShortEdge", minShort);
  t.minLongEdge = static_cast<int>(minLong);
  t.minShortEdge = static_cast<int>(minShort);
  number("minSharpness", t.minSharpness);
  number("maxHighlightClipped", t.maxHighlightClipped);
  number("maxShadowClipped", t.maxShadowClipped);
  number("minMeanBrightness", t.minMeanBrightness);
  number("maxMeanBrightness", t.maxMeanBrightness);
  return t;
}

QualityReport assessQuality(const cv::Mat& gray, int width, int height, const QualityThresholds& t) {
  CV_Assert(gray.type() == CV_8UC1);
  QualityReport report;
  report.width = width;
  report.height = height;
  const int longEdge = std::max(width, height), shortEdge = std::min(width, height);
  if (longEdge < t.minLongEdge || shortEdge < t.minShortEdge) {
    report.findings.push_back({"is too small",
                               "use the camera's normal photo mode (not a thumbnail or a screenshot) and retake",
                               std::to_string(width) + "x" + std::to_string(height) + ", needs at least " +
                                   std::to_string(t.minLongEdge) + "x" + std::to_string(t.minShortEdge)});
  }
  const double pixels = static_cast<double>(gray.total());
  report.highlightClipped = cv::countNonZero(gray >= 250) / pixels;
  report.shadowClipped = cv::countNonZero(gray <= 5) / pixels;
  report.meanBrightness = cv::mean(gray)[0];
  bool exposureOk = true;
  if (report.highlightClipped > t.maxHighlightClipped || report.meanBrightness > t.maxMeanBrightness) {
    exposureOk = false;
    report.findings.push_back({"is over-exposed (too bright, parts are pure white)",
                               "avoid direct sunlight and the flash at close range, then retake",
                               format("%.0f %% burnt out", 100 * report.highlightClipped) +
                                   format(", allowed %.0f %%", 100 * t.maxHighlightClipped)});
  }
  if (report.shadowClipped > t.maxShadowClipped || report.meanBrightness < t.minMeanBrightness) {
    exposureOk = false;
    report.findings.push_back({"is too dark", "add light (move to a window or use a lamp) and retake",
                               format("%.0f %% black", 100 * report.shadowClipped) +
                                   format(", mean brightness %.0f", report.meanBrightness)});
  }
  cv::Mat laplacian;
  cv::Laplacian(gray, laplacian, CV_32F);
  cv::Scalar mean, deviation;
  cv::meanStdDev(laplacian, mean, deviation);
  report.sharpness = deviation[0] * deviation[0];
  if (exposureOk && t.minSharpness > 0 && report.sharpness < t.minSharpness) {
    report.findings.push_back({"is blurred", "hold the phone still, tap the screen on the skin to focus, and retake",
                               format("sharpness %.0f", report.sharpness) + format(", needs %.0f", t.minSharpness)});
  }
  return report;
}

DctScale analysisScale(const JpegInfo& info) {
  int factorCount = 0;
  tjscalingfactor* factors = tjGetScalingFactors(&factorCount);
  const int longEdge = std::max(info.width, info.height);
  tjscalingfactor chosen{1, 1};
  for (int i = 0; i < factorCount; ++i) {
    const tjscalingfactor f = factors[i];
    if (f.num > f.denom) continue;
    const int scaled = TJSCALED(longEdge, f);
    if (scaled >= kAnalysisEdge && scaled < TJSCALED(longEdge, chosen)) chosen = f;
  }
  return {chosen.num, chosen.denom};
}

cv::Mat analysisImageFromJpeg(const Bytes& jpeg, const JpegInfo& info) {
  TjHandle decoder = makeTj(tjInitDecompress);
  const DctScale scale = analysisScale(info);
  const tjscalingfactor chosen{scale.num, scale.denom};
  const int width = TJSCALED(info.width, chosen), height = TJSCALED(info.height, chosen);
  cv::Mat gray(height, width, CV_8UC1);
  if (tjDecompress2(decoder.get(), jpeg.data(), jpeg.size(), gray.data, width, 0, height, TJPF_GRAY,
                    TJFLAG_STOPONWARNING | TJFLAG_FASTDCT) != 0) {
    throw CaptureError("the JPEG image data are damaged: " + tjError(decoder.get()));
  }
  return resizeToAnalysis(gray);
}

cv::Mat analysisImageFromReduced(const cv::Mat& reducedGray) { return resizeToAnalysis(reducedGray); }

cv::Mat analysisImage(const cv::Mat& image) {
  cv::Mat gray;
  if (image.channels() == 3) cv::cvtColor(image, gray, cv::COLOR_BGR2GRAY);
  else if (image.channels() == 4) cv::cvtColor(image, gray, cv::COLOR_BGRA2GRAY);
  else gray = image;
  if (gray.depth() == CV_16U) {
    double low = 0, high = 0;
    cv::minMaxLoc(gray, &low, &high);
    cv::Mat eight;
    gray.convertTo(eight, CV_8U, high > low ? 255.0 / (high - low) : 1.0, high > low ? -low * 255.0 / (high - low) : 0);
    gray = eight;
  } else if (gray.depth() != CV_8U) {
    cv::Mat eight;
    gray.convertTo(eight, CV_8U);
    gray = eight;
  }
  return resizeToAnalysis(gray);
}

}  // namespace relais::capture
