#include "relais/capture/XrayBuilder.h"

#include <dcmtk/dcmdata/dcdeftag.h>
#include <dcmtk/dcmdata/dcfilefo.h>

#include <cmath>
#include <cstdio>
#include <opencv2/imgproc.hpp>

#include "relais/capture/CaptureError.h"
#include "relais/capture/ImageFormat.h"
#include "relais/capture/JpegOrientation.h"
#include "relais/capture/LosslessPixels.h"

namespace relais::capture {
namespace {

void put(DcmItem& item, const DcmTagKey& tag, const std::string& value) {
  if (item.putAndInsertString(tag, value.c_str()).bad()) throw CaptureError("cannot set a DICOM attribute");
}

std::string decimal(double value) {
  char buffer[32];
  std::snprintf(buffer, sizeof buffer, "%.6g", value);
  return buffer;
}

template <typename Build>
DicomObject labelled(const ImageInput& input, Build build) {
  try {
    return build();
  } catch (const QualityRefused&) {
    throw;
  } catch (const CaptureError& e) {
    throw CaptureError(input.label + ": " + e.what());
  }
}

}  // namespace

VoiWindow windowFromHistogram(const cv::Mat& gray16) {
  CV_Assert(gray16.type() == CV_16UC1);
  std::vector<std::uint64_t> histogram(65536, 0);
  for (int y = 0; y < gray16.rows; ++y) {
    const auto* row = gray16.ptr<std::uint16_t>(y);
    for (int x = 0; x < gray16.cols; ++x) ++histogram[row[x]];
  }
  const double total = static_cast<double>(gray16.total());
  auto percentile = [&](double fraction) {
    std::uint64_t seen = 0;
    for (int value = 0; value < 65536; ++value) {
      seen += histogram[static_cast<std::size_t>(value)];
      if (seen >= fraction * total) return value;
    }
    return 65535;
  };
  const double low = percentile(0.005), high = percentile(0.995);
  VoiWindow window;
  window.width = std::max(2.0, high - low + 1);
  window.center = low + window.width / 2;
  return window;
}

DicomObject buildDigitalXray(const ImageInput& input, const StudyHeader& study, const InstanceIdentity& instance,
                             const XraySettings& settings) {
  return labelled(input, [&] {
    const ImageFormat format = detectImageFormat(input.bytes);
    if (format != ImageFormat::Png && format != ImageFormat::Tiff) {
      throw CaptureError(format == ImageFormat::Unknown
                             ? "unknown image format (a detector image is a 16-bit PNG or TIFF)"
                             : "a detector image must be a 16-bit PNG or TIFF; for a photo of a film use --film");
    }
    cv::Mat image = decodeRaster(input.bytes, format);
    if (image.depth() != CV_16U) {
      throw CaptureError("the image has 8-bit samples, a detector image has 16; for a photo of a film use --film");
    }
    if (image.channels() == 3) cv::cvtColor(image, image, cv::COLOR_BGR2GRAY);
    if (image.channels() != 1) throw CaptureError("a detector image must be grayscale");
    double minimum = 0, maximum = 0;
    cv::minMaxLoc(image, &minimum, &maximum);
    if (maximum <= minimum) throw CaptureError("the image is blank (every pixel has the same value)");
    const int bitsStored = std::max(8, static_cast<int>(std::floor(std::log2(maximum))) + 1);

    DicomObject object;
    object.file = std::make_unique<DcmFileFormat>();
    DcmItem& ds = *object.file->getDataset();
    putCommonAttributes(ds, study, instance, settings.device);
    applyQualityGate(analysisImage(image), image.cols, image.rows, settings.thresholds, settings.acceptQualityWarnings,
                     input.label, ds);
    const VoiWindow window = windowFromHistogram(image);
    put(ds, DCM_ImageType, "ORIGINAL\\PRIMARY");
    put(ds, DCM_PresentationIntentType, "FOR PRESENTATION");
    put(ds, DCM_PatientOrientation, settings.patientOrientation);
    putAcquisitionTime(ds, study, "");
    put(ds, DCM_SamplesPerPixel, "1");
    put(ds, DCM_PhotometricInterpretation, "MONOCHROME2");
    put(ds, DCM_Rows, std::to_string(image.rows));
    put(ds, DCM_Columns, std::to_string(image.cols));
    put(ds, DCM_BitsAllocated, "16");
    put(ds, DCM_BitsStored, std::to_string(bitsStored));
    put(ds, DCM_HighBit, std::to_string(bitsStored - 1));
    put(ds, DCM_PixelRepresentation, "0");
    put(ds, DCM_PixelIntensityRelationship, "LIN");
    put(ds, DCM_PixelIntensityRelationshipSign, "1");
    put(ds, DCM_RescaleIntercept, "0");
    put(ds, DCM_RescaleSlope, "1");
    put(ds, DCM_RescaleType, "US");
    put(ds, DCM_PresentationLUTShape, "IDENTITY");
    put(ds, DCM_WindowCenter, decimal(window.center));
    put(ds, DCM_WindowWidth, decimal(window.width));
    put(ds, DCM_WindowCenterWidthExplanation, "histogram 0.5-99.5 %");
    put(ds, DCM_LossyImageCompression, "00");
    put(ds, DCM_BurnedInAnnotation, "NO");
    put(ds, DCM_DetectorType, settings.detectorType);
    put(ds, DCM_ImagerPixelSpacing, decimal(settings.pixelSpacingMm) + "\\" + decimal(settings.pixelSpacingMm));
    ds.insertEmptyElement(DCM_AcquisitionContextSequence);
    if (!study.bodySite) {
      // DX wants Image Laterality (Type 1), which in turn rules out the series' Laterality,
      // and its anatomy macro wants the Anatomic Region Sequence, empty when unknown (Type 2).
      put(ds, DCM_ImageLaterality, "U");
      ds.findAndDeleteElement(DCM_Laterality);
      ds.insertEmptyElement(DCM_AnatomicRegionSequence);
    }
    cv::Mat pixels = image.isContinuous() ? image : image.clone();
    if (ds.putAndInsertUint16Array(DCM_PixelData, pixels.ptr<Uint16>(), static_cast<unsigned long>(pixels.total())).bad()) {
      throw CaptureError("cannot store the pixel data");
    }
    compressLosslessly(object);
    object.sopInstanceUid = instance.sopInstanceUid;
    object.sopClassUid = instance.sopClassUid;
    object.label = input.label;
    return object;
  });
}

DicomObject buildFilmCapture(const ImageInput& input, const StudyHeader& study, const InstanceIdentity& instance,
                             const XraySettings& settings) {
  return labelled(input, [&] {
    const ImageFormat format = detectImageFormat(input.bytes);
    if (format == ImageFormat::Unknown) throw CaptureError("unknown image format (expected JPEG, PNG, TIFF or BMP)");
    cv::Mat image;
    std::vector<double> lossyRatios;
    std::string derivation = "Photographed or scanned film converted to grayscale";
    if (format == ImageFormat::Jpeg) {
      const JpegInfo info = inspectJpeg(input.bytes);
      image = decodeJpegPixels(input.bytes, info);
      if (info.exif.orientation != 1) {
        image = orientPixels(image, info.exif.orientation);
        derivation += ", EXIF orientation " + std::to_string(info.exif.orientation) + " applied";
      }
      lossyRatios.push_back(static_cast<double>(info.width) * info.height * info.components / input.bytes.size());
    } else {
      image = decodeRaster(input.bytes, format);
    }
    cv::Mat gray;
    if (image.channels() == 3) cv::cvtColor(image, gray, cv::COLOR_BGR2GRAY);
    else if (image.channels() == 4) cv::cvtColor(image, gray, cv::COLOR_BGRA2GRAY);
    else gray = image;
    if (gray.depth() == CV_16U) gray.convertTo(gray, CV_8U, 1.0 / 257.0);

    DicomObject object;
    object.file = std::make_unique<DcmFileFormat>();
    DcmItem& ds = *object.file->getDataset();
    putCommonAttributes(ds, study, instance, settings.device);
    applyQualityGate(analysisImage(gray), gray.cols, gray.rows, settings.thresholds, settings.acceptQualityWarnings,
                     input.label, ds);
    put(ds, DCM_ConversionType, "DF");
    put(ds, DCM_ImageType, "DERIVED\\SECONDARY");
    put(ds, DCM_DerivationDescription, derivation);
    putAcquisitionTime(ds, study, "");
    if (lossyRatios.empty()) put(ds, DCM_LossyImageCompression, "00");
    else putLossyCompression(ds, lossyRatios);
    put(ds, DCM_BurnedInAnnotation, "NO");
    putNativePixels8(ds, gray);
    compressLosslessly(object);
    object.sopInstanceUid = instance.sopInstanceUid;
    object.sopClassUid = instance.sopClassUid;
    object.label = input.label;
    return object;
  });
}

}  // namespace relais::capture
