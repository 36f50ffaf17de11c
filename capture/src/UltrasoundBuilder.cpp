#include "relais/capture/UltrasoundBuilder.h"

#include <dcmtk/dcmdata/dcdeftag.h>
#include <dcmtk/dcmdata/dcfilefo.h>
#include <turbojpeg.h>

#include <algorithm>
#include <cstdio>
#include <opencv2/imgproc.hpp>

#include "TurboJpeg.h"
#include "relais/capture/CaptureError.h"
#include "relais/capture/DicomText.h"
#include "relais/capture/ImageFormat.h"
#include "relais/capture/MediaCodecs.h"
#include "relais/capture/StudyWriter.h"

namespace relais::capture {
namespace fs = std::filesystem;
namespace {

void put(DcmItem& item, const DcmTagKey& tag, const std::string& value) {
  if (item.putAndInsertString(tag, value.c_str()).bad()) throw CaptureError("cannot set a DICOM attribute");
}

std::string examType(const UltrasoundSettings& settings, const StudyHeader& study) {
  if (!settings.examType.empty()) return dicomText(settings.examType, "CS");
  const std::string& specialty = study.context.request.specialty;
  if (specialty.find("obstetric") != std::string::npos) return "OB";
  return "ABDOMINAL";
}

void putUltrasoundAttributes(DcmItem& ds, const StudyHeader& study, const UltrasoundSettings& settings, bool derived,
                             const std::string& derivation) {
  // Value 3: the exam; value 4: the modes in the image as a bit field, 0001 = 2D.
  put(ds, DCM_ImageType, std::string(derived ? "DERIVED" : "ORIGINAL") + "\\PRIMARY\\" +
                             examType(settings, study) + "\\0001");
  if (!derivation.empty()) put(ds, DCM_DerivationDescription, derivation);
  put(ds, DCM_BurnedInAnnotation, settings.burnedInAnnotation ? "YES" : "NO");
}

Bytes encodeFrame(void* encoder, const cv::Mat& bgr, int quality) {
  cv::Mat input = bgr.isContinuous() ? bgr : bgr.clone();
  unsigned char* output = nullptr;
  unsigned long size = 0;
  const int rc = tjCompress2(encoder, input.data, input.cols, 0, input.rows, TJPF_BGR, &output, &size, TJSAMP_420,
                             quality, TJFLAG_ACCURATEDCT);
  TjBuffer owned(output);
  if (rc != 0) throw CaptureError("JPEG encoding of a frame failed: " + tjError(encoder));
  return Bytes(output, output + size);
}

cv::Mat toBgr8(cv::Mat frame) {
  if (frame.depth() == CV_16U) frame.convertTo(frame, CV_8U, 1.0 / 257.0);
  if (frame.channels() == 1) cv::cvtColor(frame, frame, cv::COLOR_GRAY2BGR);
  else if (frame.channels() == 4) cv::cvtColor(frame, frame, cv::COLOR_BGRA2BGR);
  return frame;
}

bool isImageFile(const fs::path& path) {
  std::string ext = path.extension().string();
  std::transform(ext.begin(), ext.end(), ext.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return ext == ".jpg" || ext == ".jpeg" || ext == ".png" || ext == ".bmp" || ext == ".tif" || ext == ".tiff";
}

}  // namespace

Clip readClip(const fs::path& path, double framesPerSecond, int maxFrames) {
  Clip clip;
  std::error_code error;
  if (fs::is_directory(path, error)) {
    std::vector<fs::path> files;
    for (const auto& entry : fs::directory_iterator(path)) {
      if (entry.is_regular_file() && isImageFile(entry.path())) files.push_back(entry.path());
    }
    std::sort(files.begin(), files.end());
    if (files.empty()) throw CaptureError(path.string() + ": the folder holds no numbered frames (JPEG, PNG, BMP, TIFF)");
    if (static_cast<int>(files.size()) > maxFrames) {
      throw CaptureError(path.string() + ": " + std::to_string(files.size()) + " frames, more than the " +
                         std::to_string(maxFrames) + " a clip may have");
    }
    for (const auto& file : files) {
      try {
        const Bytes bytes = readInputFile(file);
        const ImageFormat format = detectImageFormat(bytes);
        if (format == ImageFormat::Unknown) throw CaptureError("unknown image format");
        clip.frames.push_back(toBgr8(decodeRaster(bytes, format)));
      } catch (const CaptureError& e) {
        throw CaptureError(file.string() + ": " + e.what());
      }
      if (clip.frames.back().size() != clip.frames.front().size()) {
        throw CaptureError(file.string() + ": frame size differs from the first frame");
      }
    }
    clip.framesPerSecond = framesPerSecond > 0 ? framesPerSecond : 25;
    return clip;
  }
  if (!fs::is_regular_file(path, error)) throw CaptureError(path.string() + ": no such file");
  if (fs::file_size(path) == 0) throw CaptureError(path.string() + ": the file is empty");
  double fps = 0;
  std::vector<cv::Mat> frames = readVideoFrames(path.string(), maxFrames, fps);
  clip.framesPerSecond = framesPerSecond > 0 ? framesPerSecond : fps;
  if (!(clip.framesPerSecond > 0 && clip.framesPerSecond < 1000)) clip.framesPerSecond = 25;
  for (cv::Mat& frame : frames) {
    checkDimensions(frame.cols, frame.rows);
    clip.frames.push_back(toBgr8(std::move(frame)));
  }
  if (clip.frames.empty()) throw CaptureError(path.string() + ": the video has no readable frame (corrupt or truncated)");
  return clip;
}

DicomObject buildUltrasoundStill(const ImageInput& input, const StudyHeader& study, const InstanceIdentity& instance,
                                 const UltrasoundSettings& settings) {
  try {
    const ImageFormat format = detectImageFormat(input.bytes);
    if (format == ImageFormat::Unknown) throw CaptureError("unknown image format (expected JPEG, PNG, TIFF or BMP)");
    DicomObject object;
    object.file = std::make_unique<DcmFileFormat>();
    DcmItem& ds = *object.file->getDataset();
    putCommonAttributes(ds, study, instance, settings.device);
    StoredJpeg stored;
    if (format == ImageFormat::Jpeg) {
      const JpegInfo info = inspectJpeg(input.bytes);
      stored = putJpegImage(ds, study, input, info, settings.thresholds, settings.acceptQualityWarnings, object);
    } else {
      const cv::Mat image = decodeRaster(input.bytes, format);
      applyQualityGate(analysisImage(image), image.cols, image.rows, settings.thresholds,
                       settings.acceptQualityWarnings, input.label, ds);
      putAcquisitionTime(ds, study, "");
      put(ds, DCM_LossyImageCompression, "00");
      putNativePixels8(ds, toBgr8(image));
      object.transferSyntax = EXS_LittleEndianExplicit;
    }
    putUltrasoundAttributes(ds, study, settings, stored.derived, stored.derivation);
    object.sopInstanceUid = instance.sopInstanceUid;
    object.sopClassUid = instance.sopClassUid;
    object.label = input.label;
    return object;
  } catch (const QualityRefused&) {
    throw;
  } catch (const CaptureError& e) {
    throw CaptureError(input.label + ": " + e.what());
  }
}

DicomObject buildUltrasoundClip(const std::string& label, const Clip& clip, const StudyHeader& study,
                                const InstanceIdentity& instance, const UltrasoundSettings& settings) {
  if (clip.frames.empty()) throw CaptureError(label + ": the clip has no frame");
  DicomObject object;
  object.file = std::make_unique<DcmFileFormat>();
  DcmItem& ds = *object.file->getDataset();
  putCommonAttributes(ds, study, instance, settings.device);
  const cv::Mat& middle = clip.frames[clip.frames.size() / 2];
  applyQualityGate(analysisImage(middle), middle.cols, middle.rows, settings.thresholds,
                   settings.acceptQualityWarnings, label, ds);
  TjHandle encoder = makeTj(tjInitCompress);
  std::vector<Bytes> frames;
  frames.reserve(clip.frames.size());
  std::size_t compressed = 0;
  for (const cv::Mat& frame : clip.frames) {
    frames.push_back(encodeFrame(encoder.get(), frame, settings.jpegQuality));
    compressed += frames.back().size();
  }
  putAcquisitionTime(ds, study, "");
  put(ds, DCM_SamplesPerPixel, "3");
  put(ds, DCM_PhotometricInterpretation, "YBR_FULL_422");
  put(ds, DCM_PlanarConfiguration, "0");
  put(ds, DCM_Rows, std::to_string(middle.rows));
  put(ds, DCM_Columns, std::to_string(middle.cols));
  put(ds, DCM_BitsAllocated, "8");
  put(ds, DCM_BitsStored, "8");
  put(ds, DCM_HighBit, "7");
  put(ds, DCM_PixelRepresentation, "0");
  put(ds, DCM_NumberOfFrames, std::to_string(frames.size()));
  char frameTime[32];
  std::snprintf(frameTime, sizeof frameTime, "%.4g", 1000.0 / clip.framesPerSecond);
  put(ds, DCM_FrameTime, frameTime);
  if (ds.putAndInsertTagKey(DCM_FrameIncrementPointer, DCM_FrameTime).bad()) {
    throw CaptureError("cannot set Frame Increment Pointer");
  }
  put(ds, DCM_CineRate, std::to_string(static_cast<int>(clip.framesPerSecond + 0.5)));
  put(ds, DCM_RecommendedDisplayFrameRate, std::to_string(static_cast<int>(clip.framesPerSecond + 0.5)));
  const double raw = static_cast<double>(middle.total()) * 3 * frames.size();
  putLossyCompression(ds, {raw / static_cast<double>(compressed)});
  putUltrasoundAttributes(ds, study, settings, true,
                          "Frames compressed with JPEG baseline at quality " + std::to_string(settings.jpegQuality));
  putJpegFrames(ds, frames);
  object.transferSyntax = EXS_JPEGProcess1;
  object.sopInstanceUid = instance.sopInstanceUid;
  object.sopClassUid = instance.sopClassUid;
  object.label = label;
  return object;
}

}  // namespace relais::capture
