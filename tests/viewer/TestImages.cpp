#include "TestImages.h"

#include <dcmtk/dcmdata/dcdatset.h>
#include <dcmtk/dcmdata/dcdeftag.h>
#include <dcmtk/dcmdata/dcfilefo.h>
#include <dcmtk/dcmdata/dcpixel.h>
#include <dcmtk/dcmdata/dcpixseq.h>
#include <dcmtk/dcmdata/dcpxitem.h>
#include <dcmtk/dcmdata/dcuid.h>
#include <dcmtk/dcmdata/dcvrat.h>

#include <stdexcept>
#include <vector>

#include <opencv2/core.hpp>
#include <opencv2/imgcodecs.hpp>

#include "harness/OrthancServer.h"
#include "rendering/JpegCodec.h"

namespace relais::test {

namespace {

void Check(const OFCondition& c, const char* what) {
  if (c.bad()) throw std::runtime_error(std::string(what) + ": " + c.text());
}

std::string NewUid() {
  char uid[100];
  return dcmGenerateUniqueIdentifier(uid, SITE_INSTANCE_UID_ROOT);
}

void PutCommon(DcmDataset& d, const char* sopClass, const char* modality) {
  Check(d.putAndInsertString(DCM_SOPClassUID, sopClass), "SOPClassUID");
  Check(d.putAndInsertString(DCM_SOPInstanceUID, NewUid().c_str()), "SOPInstanceUID");
  Check(d.putAndInsertString(DCM_StudyInstanceUID, NewUid().c_str()), "StudyInstanceUID");
  Check(d.putAndInsertString(DCM_SeriesInstanceUID, NewUid().c_str()), "SeriesInstanceUID");
  Check(d.putAndInsertString(DCM_PatientID, "RENDER-TEST"), "PatientID");
  Check(d.putAndInsertString(DCM_PatientName, "Test^Render"), "PatientName");
  Check(d.putAndInsertString(DCM_Modality, modality), "Modality");
  Check(d.putAndInsertString(DCM_SeriesNumber, "1"), "SeriesNumber");
  Check(d.putAndInsertString(DCM_InstanceNumber, "1"), "InstanceNumber");
}

void PutImagePixel(DcmDataset& d, int width, int height, int samples, const char* photometric, int bits) {
  Check(d.putAndInsertUint16(DCM_Rows, static_cast<Uint16>(height)), "Rows");
  Check(d.putAndInsertUint16(DCM_Columns, static_cast<Uint16>(width)), "Columns");
  Check(d.putAndInsertUint16(DCM_SamplesPerPixel, static_cast<Uint16>(samples)), "SamplesPerPixel");
  Check(d.putAndInsertString(DCM_PhotometricInterpretation, photometric), "Photometric");
  Check(d.putAndInsertUint16(DCM_BitsAllocated, bits == 8 ? 8 : 16), "BitsAllocated");
  Check(d.putAndInsertUint16(DCM_BitsStored, static_cast<Uint16>(bits)), "BitsStored");
  Check(d.putAndInsertUint16(DCM_HighBit, static_cast<Uint16>(bits - 1)), "HighBit");
  Check(d.putAndInsertUint16(DCM_PixelRepresentation, 0), "PixelRepresentation");
  if (samples == 3) Check(d.putAndInsertUint16(DCM_PlanarConfiguration, 0), "PlanarConfiguration");
}

void Save(DcmFileFormat& f, const std::filesystem::path& file, E_TransferSyntax syntax) {
  Check(f.saveFile(file.c_str(), syntax), "saving the test object");
}

}  // namespace

void WriteGrey16(const std::filesystem::path& file, const GreyOptions& o) {
  cv::Mat values(o.height, o.width, CV_16UC1);
  for (int y = 0; y < o.height; ++y) {
    for (int x = 0; x < o.width; ++x) values.at<uint16_t>(y, x) = static_cast<uint16_t>((x * o.maxValue) / (o.width - 1));
  }
  WriteGrey16(file, values, o);
}

void WriteGrey16(const std::filesystem::path& file, const cv::Mat& values, const GreyOptions& input) {
  CV_Assert(values.type() == CV_16UC1);
  GreyOptions o = input;
  o.width = values.cols;
  o.height = values.rows;
  DcmFileFormat f;
  DcmDataset& d = *f.getDataset();
  PutCommon(d, UID_DigitalXRayImageStorageForPresentation, "DX");
  PutImagePixel(d, o.width, o.height, 1, o.monochrome1 ? "MONOCHROME1" : "MONOCHROME2", 12);
  if (o.rescaleSlope != 1.0 || o.rescaleIntercept != 0.0) {
    Check(d.putAndInsertString(DCM_RescaleSlope, std::to_string(o.rescaleSlope).c_str()), "RescaleSlope");
    Check(d.putAndInsertString(DCM_RescaleIntercept, std::to_string(o.rescaleIntercept).c_str()), "Intercept");
  }
  if (!o.window.empty()) {
    const size_t sep = o.window.find('\\');
    Check(d.putAndInsertString(DCM_WindowCenter, o.window.substr(0, sep).c_str()), "WindowCenter");
    Check(d.putAndInsertString(DCM_WindowWidth, o.window.substr(sep + 1).c_str()), "WindowWidth");
  }
  cv::Mat packed = values.isContinuous() ? values : values.clone();
  Check(d.putAndInsertUint16Array(DCM_PixelData, packed.ptr<Uint16>(), static_cast<unsigned long>(packed.total())),
        "PixelData");
  Save(f, file, EXS_LittleEndianExplicit);
}

void WriteRgb(const std::filesystem::path& file, int width, int height, int frames) {
  std::vector<cv::Mat> images;
  for (int k = 0; k < frames; ++k) {
    cv::Mat rgb(height, width, CV_8UC3);
    for (int y = 0; y < height; ++y) {
      for (int x = 0; x < width; ++x) {
        const bool left = x < width / 2;
        rgb.at<cv::Vec3b>(y, x) = cv::Vec3b(left ? 220 : 20, static_cast<Uint8>(y < height / 4 ? (40 * k) % 256 : 20),
                                            left ? 20 : 220);
      }
    }
    images.push_back(rgb);
  }
  if (frames > 1) {
    WriteUltrasoundClip(file, images);
    return;
  }
  DcmFileFormat f;
  DcmDataset& d = *f.getDataset();
  PutCommon(d, UID_SecondaryCaptureImageStorage, "OT");
  PutImagePixel(d, width, height, 3, "RGB", 8);
  cv::Mat packed = images[0].isContinuous() ? images[0] : images[0].clone();
  Check(d.putAndInsertUint8Array(DCM_PixelData, packed.ptr<Uint8>(), static_cast<unsigned long>(packed.total() * 3)),
        "PixelData");
  Save(f, file, EXS_LittleEndianExplicit);
}

void WriteUltrasoundClip(const std::filesystem::path& file, const std::vector<cv::Mat>& images) {
  CV_Assert(!images.empty() && images[0].type() == CV_8UC3);
  const int width = images[0].cols, height = images[0].rows, frames = static_cast<int>(images.size());
  DcmFileFormat f;
  DcmDataset& d = *f.getDataset();
  PutCommon(d, UID_UltrasoundMultiframeImageStorage, "US");
  PutImagePixel(d, width, height, 3, "RGB", 8);
  {
    Check(d.putAndInsertString(DCM_NumberOfFrames, std::to_string(frames).c_str()), "NumberOfFrames");
    Check(d.putAndInsertString(DCM_FrameTime, "40"), "FrameTime");
    DcmAttributeTag* pointer = new DcmAttributeTag(DCM_FrameIncrementPointer);
    pointer->putTagVal(DCM_FrameTime);
    Check(d.insert(pointer, true), "FrameIncrementPointer");
  }
  const size_t frameBytes = static_cast<size_t>(width) * height * 3;
  std::vector<Uint8> pixels(frameBytes * frames);
  for (int k = 0; k < frames; ++k) {
    cv::Mat target(height, width, CV_8UC3, &pixels[k * frameBytes]);
    images[k].copyTo(target);
  }
  Check(d.putAndInsertUint8Array(DCM_PixelData, pixels.data(), static_cast<unsigned long>(pixels.size())),
        "PixelData");
  Save(f, file, EXS_LittleEndianExplicit);
}

void WritePalette(const std::filesystem::path& file, int width, int height) {
  DcmFileFormat f;
  DcmDataset& d = *f.getDataset();
  PutCommon(d, UID_SecondaryCaptureImageStorage, "OT");
  PutImagePixel(d, width, height, 1, "PALETTE COLOR", 8);
  // Descriptor: 256 entries, first mapped value 0, 16 bits per entry.
  const Uint16 descriptor[3] = {256, 0, 16};
  std::vector<Uint16> red(256, 0), green(256, 0), blue(256, 0);
  red[10] = 0xFFFF;
  green[200] = 0xFFFF;
  for (auto [tag, lut] : {std::pair{DCM_RedPaletteColorLookupTableDescriptor, &red},
                          std::pair{DCM_GreenPaletteColorLookupTableDescriptor, &green},
                          std::pair{DCM_BluePaletteColorLookupTableDescriptor, &blue}}) {
    (void)lut;
    Check(d.putAndInsertUint16Array(tag, descriptor, 3), "LUT descriptor");
  }
  Check(d.putAndInsertUint16Array(DCM_RedPaletteColorLookupTableData, red.data(), 256), "red LUT");
  Check(d.putAndInsertUint16Array(DCM_GreenPaletteColorLookupTableData, green.data(), 256), "green LUT");
  Check(d.putAndInsertUint16Array(DCM_BluePaletteColorLookupTableData, blue.data(), 256), "blue LUT");
  std::vector<Uint8> pixels(static_cast<size_t>(width) * height);
  for (int y = 0; y < height; ++y) {
    for (int x = 0; x < width; ++x) pixels[static_cast<size_t>(y) * width + x] = x < width / 2 ? 10 : 200;
  }
  Check(d.putAndInsertUint8Array(DCM_PixelData, pixels.data(), static_cast<unsigned long>(pixels.size())),
        "PixelData");
  Save(f, file, EXS_LittleEndianExplicit);
}

void WriteJpegPhoto(const std::filesystem::path& file, int width, int height) {
  cv::Mat rgb(height, width, CV_8UC3);
  for (int y = 0; y < height; ++y) {
    for (int x = 0; x < width; ++x) {
      rgb.at<cv::Vec3b>(y, x) = x < width / 2 ? cv::Vec3b(220, 20, 20) : cv::Vec3b(20, 20, 220);
    }
  }
  WriteJpegPhoto(file, rgb, 92);
}

void WriteJpegPhoto(const std::filesystem::path& file, const cv::Mat& rgb, int quality) {
  WriteJpegFrame(file, rendering::EncodeJpeg(rgb, quality), rgb.cols, rgb.rows);
}

void WriteJpegFrame(const std::filesystem::path& file, const std::string& jpeg, int width, int height) {
  DcmFileFormat f;
  DcmDataset& d = *f.getDataset();
  PutCommon(d, UID_VLPhotographicImageStorage, "XC");
  PutImagePixel(d, width, height, 3, "YBR_FULL_422", 8);
  Check(d.putAndInsertString(DCM_LossyImageCompression, "01"), "LossyImageCompression");
  Check(d.putAndInsertString(DCM_LossyImageCompressionMethod, "ISO_10918_1"), "Method");
  DcmPixelData* pixelData = new DcmPixelData(DCM_PixelData);
  DcmPixelSequence* sequence = new DcmPixelSequence(DCM_PixelSequenceTag);
  sequence->insert(new DcmPixelItem(DCM_PixelItemTag));  // empty basic offset table
  std::vector<Uint8> bytes(jpeg.begin(), jpeg.end());
  if (bytes.size() % 2 != 0) bytes.push_back(0);
  DcmPixelItem* fragment = new DcmPixelItem(DCM_PixelItemTag);
  Check(fragment->putUint8Array(bytes.data(), static_cast<unsigned long>(bytes.size())), "fragment");
  sequence->insert(fragment);
  pixelData->putOriginalRepresentation(EXS_JPEGProcess1, nullptr, sequence);
  Check(d.insert(pixelData, true), "PixelData");
  Save(f, file, EXS_JPEGProcess1);
}

namespace {

// The contiguous codestream box ("jp2c") of a JP2 file.
std::string CodestreamOf(const std::vector<uchar>& jp2) {
  size_t at = 0;
  while (at + 8 <= jp2.size()) {
    uint64_t length = (uint64_t(jp2[at]) << 24) | (uint64_t(jp2[at + 1]) << 16) | (uint64_t(jp2[at + 2]) << 8) | jp2[at + 3];
    const std::string type(reinterpret_cast<const char*>(&jp2[at + 4]), 4);
    size_t header = 8;
    if (length == 1) {
      length = 0;
      for (int i = 0; i < 8; ++i) length = (length << 8) | jp2[at + 8 + i];
      header = 16;
    } else if (length == 0) {
      length = jp2.size() - at;
    }
    if (type == "jp2c") return std::string(reinterpret_cast<const char*>(&jp2[at + header]), length - header);
    at += length;
  }
  throw std::runtime_error("no codestream in the JPEG 2000 file");
}

}  // namespace

void WriteJpeg2000Grey16(const std::filesystem::path& file, const GreyOptions& o) {
  const std::filesystem::path plain = file.string() + ".plain.dcm";
  WriteGrey16(plain, o);
  cv::Mat values(o.height, o.width, CV_16UC1);
  for (int y = 0; y < o.height; ++y) {
    for (int x = 0; x < o.width; ++x) values.at<uint16_t>(y, x) = static_cast<uint16_t>((x * o.maxValue) / (o.width - 1));
  }
  std::vector<uchar> jp2;
  if (!cv::imencode(".jp2", values, jp2)) throw std::runtime_error("OpenCV cannot write JPEG 2000");
  std::string codestream = CodestreamOf(jp2);
  if (codestream.size() % 2 != 0) codestream.push_back('\0');

  DcmFileFormat f;
  Check(f.loadFile(plain.c_str()), "loading the plain object");
  std::filesystem::remove(plain);
  DcmDataset& d = *f.getDataset();
  d.findAndDeleteElement(DCM_PixelData);
  DcmPixelData* pixelData = new DcmPixelData(DCM_PixelData);
  DcmPixelSequence* sequence = new DcmPixelSequence(DCM_PixelSequenceTag);
  sequence->insert(new DcmPixelItem(DCM_PixelItemTag));
  DcmPixelItem* fragment = new DcmPixelItem(DCM_PixelItemTag);
  Check(fragment->putUint8Array(reinterpret_cast<const Uint8*>(codestream.data()), static_cast<unsigned long>(codestream.size())),
        "fragment");
  sequence->insert(fragment);
  pixelData->putOriginalRepresentation(EXS_JPEG2000, nullptr, sequence);
  Check(d.insert(pixelData, true), "PixelData");
  Save(f, file, EXS_JPEG2000);
}

std::string NewDicomUid() { return NewUid(); }

std::string SopInstanceUidOf(const std::filesystem::path& file) {
  DcmFileFormat f;
  Check(f.loadFile(file.c_str()), "loading the test object");
  OFString uid;
  Check(f.getDataset()->findAndGetOFString(DCM_SOPInstanceUID, uid), "SOPInstanceUID");
  return uid.c_str();
}

void ApplyRequest(const std::filesystem::path& file, const StudyRequest& r) {
  DcmFileFormat f;
  Check(f.loadFile(file.c_str()), "loading the test object");
  // DCMTK reads large values lazily from the file, which saving over it would truncate.
  Check(f.loadAllDataIntoMemory(), "reading the pixel data");
  DcmDataset& d = *f.getDataset();
  const E_TransferSyntax syntax = d.getOriginalXfer();
  Check(d.putAndInsertString(DCM_SpecificCharacterSet, "ISO_IR 192"), "SpecificCharacterSet");  // UTF-8 text
  Check(d.putAndInsertString(DCM_PatientID, r.patientId.c_str()), "PatientID");
  Check(d.putAndInsertString(DCM_PatientName, r.patientName.c_str()), "PatientName");
  Check(d.putAndInsertString(DCM_PatientBirthDate, r.birthDate.c_str()), "PatientBirthDate");
  Check(d.putAndInsertString(DCM_PatientSex, r.sex.c_str()), "PatientSex");
  if (!r.studyInstanceUid.empty()) Check(d.putAndInsertString(DCM_StudyInstanceUID, r.studyInstanceUid.c_str()), "Study");
  if (!r.seriesInstanceUid.empty()) Check(d.putAndInsertString(DCM_SeriesInstanceUID, r.seriesInstanceUid.c_str()), "Series");
  Check(d.putAndInsertString(DCM_StudyDate, r.studyDate.c_str()), "StudyDate");
  Check(d.putAndInsertString(DCM_StudyTime, "101500"), "StudyTime");
  Check(d.putAndInsertString(DCM_StudyDescription, r.studyDescription.c_str()), "StudyDescription");
  Check(d.putAndInsertString(DCM_SeriesDescription, r.seriesDescription.c_str()), "SeriesDescription");
  Check(d.putAndInsertString(DCM_InstanceNumber, std::to_string(r.instanceNumber).c_str()), "InstanceNumber");
  Check(d.putAndInsertString(DCM_StationName, r.station.c_str()), "StationName");
  Check(d.putAndInsertString(DCM_InstitutionName, r.institution.c_str()), "InstitutionName");
  if (!r.history.empty()) Check(d.putAndInsertString(DCM_AdditionalPatientHistory, r.history.c_str()), "History");
  if (!r.specialty.empty() || !r.question.empty()) {
    DcmItem* item = nullptr;
    Check(d.findOrCreateSequenceItem(DCM_RequestAttributesSequence, item, 0), "RequestAttributesSequence");
    Check(item->putAndInsertString(DCM_RequestedProcedureDescription, r.specialty.c_str()), "RequestedProcedure");
    Check(item->putAndInsertString(DCM_ReasonForTheRequestedProcedure, r.question.c_str()), "Reason");
    Check(item->putAndInsertString(DCM_RequestedProcedureID, "RP1"), "RequestedProcedureID");
    Check(item->putAndInsertString(DCM_ScheduledProcedureStepID, "SPS1"), "SPS");
    if (!r.priority.empty()) Check(item->putAndInsertString(DCM_RequestedProcedurePriority, r.priority.c_str()), "Priority");
  }
  if (!r.bodySiteCode.empty()) {
    DcmItem* region = nullptr;
    Check(d.findOrCreateSequenceItem(DCM_AnatomicRegionSequence, region, 0), "AnatomicRegionSequence");
    Check(region->putAndInsertString(DCM_CodeValue, r.bodySiteCode.c_str()), "CodeValue");
    Check(region->putAndInsertString(DCM_CodingSchemeDesignator, "SCT"), "CodingSchemeDesignator");
    Check(region->putAndInsertString(DCM_CodeMeaning, r.bodySiteMeaning.c_str()), "CodeMeaning");
  }
  if (!r.imageLaterality.empty()) Check(d.putAndInsertString(DCM_ImageLaterality, r.imageLaterality.c_str()), "ImageLaterality");
  Check(f.saveFile(file.c_str(), syntax), "saving the test object");
}

void Transcode(const std::string& tool, const std::string& options, const std::filesystem::path& in,
               const std::filesystem::path& out) {
  std::string output;
  const int code = RunCommand(tool + " " + options + " '" + in.string() + "' '" + out.string() + "'", &output);
  if (code != 0) throw std::runtime_error(tool + " failed: " + output);
}

}  // namespace relais::test
