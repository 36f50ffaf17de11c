#include "relais/capture/PhotoBuilder.h"

#include <dcmtk/dcmdata/dcdeftag.h>
#include <dcmtk/dcmdata/dcfilefo.h>
#include <dcmtk/dcmdata/dcuid.h>
#include <opencv2/imgproc.hpp>

#include "relais/capture/CaptureError.h"
#include "relais/capture/DicomText.h"
#include "relais/capture/ImageFormat.h"
#include "relais/capture/JpegOrientation.h"
#include "relais/capture/LosslessPixels.h"

#include "DctTransform.h"

namespace relais::capture {
namespace {

void put(DcmItem& item, const DcmTagKey& tag, const std::string& value) {
  if (item.putAndInsertString(tag, value.c_str()).bad()) throw CaptureError("cannot set a DICOM attribute");
}

void putImagePixelHeader(DcmItem& ds, int rows, int columns, int samples, const std::string& photometric) {
  put(ds, DCM_SamplesPerPixel, std::to_string(samples));
  put(ds, DCM_PhotometricInterpretation, photometric);
  if (samples > 1) put(ds, DCM_PlanarConfiguration, "0");
  put(ds, DCM_Rows, std::to_string(rows));
  put(ds, DCM_Columns, std::to_string(columns));
  put(ds, DCM_BitsAllocated, "8");
  put(ds, DCM_BitsStored, "8");
  put(ds, DCM_HighBit, "7");
  put(ds, DCM_PixelRepresentation, "0");
}

void putKindSpecific(DcmItem& ds, const PhotoSettings& settings) {
  // Acquisition Context module: Type 2, nothing to say about the context.
  ds.insertEmptyElement(DCM_AcquisitionContextSequence);
  if (settings.kind != PhotoKind::Dermoscopic) return;
  const DermoscopySettings& d = settings.dermoscopy;
  put(ds, DCM_RecognizableVisualFeatures, "NO");
  putText(ds, DCM_LightSourcePolarization, d.lightSourcePolarization);
  putText(ds, DCM_EmitterColorTemperature, d.emitterColorTemperature);
  putText(ds, DCM_ContactMethod, d.contactMethod);
  // Type 2C: only for contact dermoscopy, and forbidden otherwise.
  if (!d.immersionMedia.empty()) putText(ds, DCM_ImmersionMedia, d.immersionMedia);
  putText(ds, DCM_OpticalMagnificationFactor, d.opticalMagnification);
}

Device deviceFrom(const ExifFacts& exif, const PhotoSettings& settings) {
  Device device = settings.device;
  if (!exif.make.empty()) device.manufacturer = exif.make;
  if (!exif.model.empty()) device.model = exif.model;
  if (!exif.serialNumber.empty()) device.serialNumber = exif.serialNumber;
  if (settings.kind == PhotoKind::Dermoscopic) {
    // Type 1 in the Dermoscopic Photography IOD: say "unknown" rather than omit.
    if (device.manufacturer.empty()) device.manufacturer = "unknown";
    if (device.model.empty()) device.model = "unknown";
    if (device.serialNumber.empty()) device.serialNumber = "unknown";
  }
  return device;
}

std::unique_ptr<DcmFileFormat> newFile() { return std::make_unique<DcmFileFormat>(); }

DicomObject buildFromJpeg(const ImageInput& input, const StudyHeader& study, const InstanceIdentity& instance,
                          const PhotoSettings& settings) {
  const JpegInfo info = inspectJpeg(input.bytes);
  if (info.colour == JpegColour::Cmyk || info.colour == JpegColour::Ycck) photometricFor(info);  // throws
  DicomObject object;
  object.file = newFile();
  DcmItem& ds = *object.file->getDataset();
  putCommonAttributes(ds, study, instance, deviceFrom(info.exif, settings));
  const StoredJpeg stored =
      putJpegImage(ds, study, input, info, settings.thresholds, settings.acceptQualityWarnings, object);
  put(ds, DCM_ImageType, stored.derived ? "DERIVED\\PRIMARY" : "ORIGINAL\\PRIMARY");
  if (!stored.derivation.empty()) put(ds, DCM_DerivationDescription, stored.derivation);
  put(ds, DCM_BurnedInAnnotation, "NO");
  putKindSpecific(ds, settings);
  object.sopInstanceUid = instance.sopInstanceUid;
  object.sopClassUid = instance.sopClassUid;
  object.label = input.label;
  return object;
}

DicomObject buildFromRaster(const ImageInput& input, ImageFormat format, const StudyHeader& study,
                            const InstanceIdentity& instance, const PhotoSettings& settings) {
  cv::Mat image = decodeRaster(input.bytes, format);
  if (image.depth() == CV_16U) image.convertTo(image, CV_8U, 1.0 / 257.0);
  if (image.depth() != CV_8U) throw CaptureError("unsupported sample type (expected 8 or 16 bits per sample)");
  DicomObject object;
  object.file = newFile();
  DcmItem& ds = *object.file->getDataset();
  putCommonAttributes(ds, study, instance, deviceFrom(ExifFacts{}, settings));
  applyQualityGate(analysisImage(image), image.cols, image.rows, settings.thresholds, settings.acceptQualityWarnings,
                   input.label, ds);
  put(ds, DCM_ImageType, "ORIGINAL\\PRIMARY");
  putAcquisitionTime(ds, study, "");
  put(ds, DCM_LossyImageCompression, "00");
  put(ds, DCM_BurnedInAnnotation, "NO");
  putKindSpecific(ds, settings);
  putNativePixels8(ds, image);
  if (image.channels() == 1) compressLosslessly(object);
  else object.transferSyntax = EXS_LittleEndianExplicit;
  object.sopInstanceUid = instance.sopInstanceUid;
  object.sopClassUid = instance.sopClassUid;
  object.label = input.label;
  return object;
}

}  // namespace

QualityReport applyQualityGate(const cv::Mat& analysis, int width, int height, const QualityThresholds& thresholds,
                               bool acceptWarnings, const std::string& label, DcmItem& ds) {
  QualityReport report = assessQuality(analysis, width, height, thresholds);
  if (report.acceptable()) return report;
  if (!acceptWarnings) throw QualityRefused(report.explain(label));
  std::string accepted;
  for (const auto& finding : report.findings) {
    accepted += (accepted.empty() ? "" : "; ") + finding.problem + " [" + finding.measure + "]";
  }
  appendImageComment(ds, "Quality warnings accepted by the operator (--accept-quality-warnings): " + accepted);
  return report;
}

StoredJpeg putJpegImage(DcmItem& ds, const StudyHeader& study, const ImageInput& input, const JpegInfo& info,
                        const QualityThresholds& thresholds, bool acceptQualityWarnings, DicomObject& object) {
  StoredJpeg result;
  // A photo whose coefficients are re-coded (turned, or given restart markers) is decoded
  // once: the coefficients and the gate's reduced image come from the same pass. Photos of
  // 8192+ pixels, which the gate reads at 1/8 where libjpeg keeps no AC coefficient, are
  // entropy-decoded twice instead: they are rare (48+ MP sensor modes), and computing the 1/8
  // image from the DC coefficients ourselves would be a second decoder to keep equal to
  // libjpeg-turbo's pixel for pixel, for the gate's thresholds.
  std::unique_ptr<JpegCoefficients> decoded;
  const DctScale scale = analysisScale(info);
  if (info.colour != JpegColour::Rgb && recodesLosslessly(info) && sharesDecode(scale.num, scale.denom)) {
    decoded = std::make_unique<JpegCoefficients>(input.bytes, scale.num, scale.denom);
    applyQualityGate(analysisImageFromReduced(decoded->reducedGray()), info.width, info.height, thresholds,
                     acceptQualityWarnings, input.label, ds);
  } else {
    applyQualityGate(analysisImageFromJpeg(input.bytes, info), info.width, info.height, thresholds,
                     acceptQualityWarnings, input.label, ds);
  }
  putAcquisitionTime(ds, study, info.exif.dateTimeOriginal);
  if (info.colour == JpegColour::Rgb) {
    // In the JPEG transfer syntaxes the VL and US modules allow only YBR_FULL_422, and RGB
    // components labelled YBR decode to wrong colours everywhere. So an RGB-coded JPEG is
    // decoded once and stored as RGB pixels: no second lossy step, the original JPEG
    // compression recorded in the lossy attributes.
    cv::Mat pixels = decodeJpegPixels(input.bytes, info);
    result.derivation = "RGB-coded JPEG decoded to RGB pixels without re-encoding";
    if (info.exif.orientation != 1) {
      pixels = orientPixels(pixels, info.exif.orientation);
      result.derivation += ", EXIF orientation " + std::to_string(info.exif.orientation) + " applied";
    }
    putLossyCompression(ds, {static_cast<double>(info.width) * info.height * info.components / input.bytes.size()});
    putNativePixels8(ds, pixels);
    object.transferSyntax = EXS_LittleEndianExplicit;
    return result;
  }
  const OrientedJpeg oriented = orientJpeg(input.bytes, info, decoded.get());
  decoded.reset();  // the coefficient arrays (tens of MB) are not needed for the copy below
  const bool passthrough = oriented.method == OrientationMethod::Passthrough;
  const Bytes& turned = passthrough ? input.bytes : oriented.jpeg;
  const JpegInfo storedInfo = passthrough ? info : inspectJpeg(turned);
  const std::size_t storedSize = putJpegFrameWithoutMetadata(ds, turned);
  std::vector<double> ratios;
  if (oriented.method == OrientationMethod::Reencoded) {
    ratios.push_back(static_cast<double>(info.width) * info.height * info.components / input.bytes.size());
  }
  ratios.push_back(static_cast<double>(storedInfo.width) * storedInfo.height * storedInfo.components / storedSize);
  result.derivation = oriented.description;
  result.derived = oriented.method == OrientationMethod::Reencoded;
  putImagePixelHeader(ds, storedInfo.height, storedInfo.width, storedInfo.components, photometricFor(storedInfo));
  putLossyCompression(ds, ratios);
  object.transferSyntax = EXS_JPEGProcess1;
  return result;
}

void putNativePixels8(DcmItem& ds, const cv::Mat& input) {
  cv::Mat pixels;
  std::string photometric = "RGB";
  if (input.channels() == 1) {
    pixels = input;
    photometric = "MONOCHROME2";
  } else if (input.channels() == 3) {
    cv::cvtColor(input, pixels, cv::COLOR_BGR2RGB);
  } else if (input.channels() == 4) {
    cv::cvtColor(input, pixels, cv::COLOR_BGRA2RGB);
  } else {
    throw CaptureError("unsupported number of channels: " + std::to_string(input.channels()));
  }
  if (!pixels.isContinuous()) pixels = pixels.clone();
  putImagePixelHeader(ds, pixels.rows, pixels.cols, pixels.channels(), photometric);
  const std::size_t length = pixels.total() * pixels.elemSize();
  if (ds.putAndInsertUint8Array(DCM_PixelData, pixels.data, static_cast<unsigned long>(length)).bad()) {
    throw CaptureError("cannot store the pixel data");
  }
}

DicomObject buildPhoto(const ImageInput& input, const StudyHeader& study, const InstanceIdentity& instance,
                       const PhotoSettings& settings) {
  try {
    const ImageFormat format = detectImageFormat(input.bytes);
    switch (format) {
      case ImageFormat::Jpeg: return buildFromJpeg(input, study, instance, settings);
      case ImageFormat::Png:
      case ImageFormat::Tiff:
      case ImageFormat::Bmp: return buildFromRaster(input, format, study, instance, settings);
      case ImageFormat::Unknown: break;
    }
    throw CaptureError("unknown image format (expected JPEG, PNG, TIFF or BMP)");
  } catch (const QualityRefused&) {
    throw;
  } catch (const CaptureError& e) {
    throw CaptureError(input.label + ": " + e.what());
  }
}

}  // namespace relais::capture
