#include "relais/capture/DicomHeader.h"

#include <dcmtk/dcmdata/dcdeftag.h>
#include <dcmtk/dcmdata/dcfilefo.h>
#include <dcmtk/dcmdata/dcpixel.h>
#include <dcmtk/dcmdata/dcpixseq.h>
#include <dcmtk/dcmdata/dcpxitem.h>
#include <dcmtk/dcmdata/dcuid.h>
#include <dcmtk/ofstd/offile.h>

#include <cstdio>
#include <cstring>
#include "relais/version.h"

#include "relais/capture/CaptureError.h"
#include "relais/capture/DicomText.h"

namespace relais::capture {
namespace {

void put(DcmItem& item, const DcmTagKey& tag, const std::string& value) {
  const OFCondition status = item.putAndInsertString(tag, value.c_str());
  if (status.bad()) throw CaptureError(std::string("cannot set DICOM attribute: ") + status.text());
}

std::string fitLongString(const std::string& text, bool* cut = nullptr) { return dicomTextMarkingCut(text, "LO", cut); }

void putCode(DcmItem& item, const CodedConcept& code) {
  put(item, DCM_CodeValue, code.value);
  put(item, DCM_CodingSchemeDesignator, code.scheme);
  put(item, DCM_CodeMeaning, code.meaning);
}

}  // namespace

DicomObject::DicomObject() = default;
DicomObject::DicomObject(DicomObject&&) noexcept = default;
DicomObject& DicomObject::operator=(DicomObject&&) noexcept = default;
DicomObject::~DicomObject() = default;

std::string softwareVersion() { return std::string("Relais ") + relais::kVersion; }

void putCommonAttributes(DcmItem& ds, const StudyHeader& study, const InstanceIdentity& instance,
                         const Device& device) {
  const CaptureContext& ctx = study.context;
  // SOP Common
  put(ds, DCM_SpecificCharacterSet, "ISO_IR 192");
  put(ds, DCM_SOPClassUID, instance.sopClassUid);
  put(ds, DCM_SOPInstanceUID, instance.sopInstanceUid);
  put(ds, DCM_InstanceCreationDate, study.sessionDate);
  put(ds, DCM_InstanceCreationTime, study.sessionTime);
  // Patient
  putText(ds, DCM_PatientName, ctx.patient.name);
  putText(ds, DCM_PatientID, ctx.patient.id);
  if (!ctx.patient.issuer.empty()) putText(ds, DCM_IssuerOfPatientID, ctx.patient.issuer);
  put(ds, DCM_PatientBirthDate, ctx.patient.birthDate);
  putText(ds, DCM_PatientSex, ctx.patient.sex);
  // General Study and Patient Study: the request as a third-party sender would write it.
  put(ds, DCM_StudyInstanceUID, study.studyUid);
  put(ds, DCM_StudyDate, study.date);
  put(ds, DCM_StudyTime, study.time);
  put(ds, DCM_ReferringPhysicianName, "");
  put(ds, DCM_StudyID, "");
  put(ds, DCM_AccessionNumber, "");
  if (!ctx.request.specialty.empty()) putText(ds, DCM_StudyDescription, fitLongString("Teleexpertise " + ctx.request.specialty));
  bool questionCut = false;
  const std::string reason = fitLongString(ctx.request.question, &questionCut);
  std::string history = ctx.request.history;
  if (questionCut) history = "Question: " + ctx.request.question + (history.empty() ? "" : "\nHistory: " + history);
  if (!history.empty()) putText(ds, DCM_AdditionalPatientHistory, history);
  // General Series
  put(ds, DCM_Modality, instance.modality);
  put(ds, DCM_SeriesInstanceUID, instance.seriesUid);
  put(ds, DCM_SeriesNumber, std::to_string(instance.seriesNumber));
  put(ds, DCM_SeriesDate, study.sessionDate);
  put(ds, DCM_SeriesTime, study.sessionTime);
  if (!instance.seriesDescription.empty()) putText(ds, DCM_SeriesDescription, instance.seriesDescription);
  if (!ctx.operatorName.empty()) putText(ds, DCM_OperatorsName, ctx.operatorName);
  DcmItem* request = nullptr;
  if (ds.findOrCreateSequenceItem(DCM_RequestAttributesSequence, request, -2).bad() || !request) {
    throw CaptureError("cannot create the Request Attributes Sequence");
  }
  putText(*request, DCM_RequestedProcedureDescription, fitLongString(ctx.request.specialty));
  if (!reason.empty()) putText(*request, DCM_ReasonForTheRequestedProcedure, reason);
  put(*request, DCM_RequestedProcedurePriority, ctx.request.priority == "urgent" ? "HIGH" : "ROUTINE");
  // General Equipment: the unit is the station; the camera or probe is the device.
  putText(ds, DCM_Manufacturer, fitLongString(device.manufacturer));
  if (!device.model.empty()) putText(ds, DCM_ManufacturerModelName, fitLongString(device.model));
  if (!device.serialNumber.empty()) putText(ds, DCM_DeviceSerialNumber, fitLongString(device.serialNumber));
  put(ds, DCM_SoftwareVersions, softwareVersion());
  if (!ctx.institution.empty()) putText(ds, DCM_InstitutionName, fitLongString(ctx.institution));
  if (!ctx.unit.empty()) putText(ds, DCM_StationName, ctx.unit);
  // General Image
  put(ds, DCM_InstanceNumber, std::to_string(instance.instanceNumber));
  put(ds, DCM_PatientOrientation, "");
  if (!instance.frameOfReferenceUid.empty()) {
    put(ds, DCM_FrameOfReferenceUID, instance.frameOfReferenceUid);
    put(ds, DCM_PositionReferenceIndicator, "");
  }
  if (study.bodySite) {
    putAnatomy(ds, *study.bodySite);
  } else {
    // No body site, so no Image Laterality: General Series' Laterality (Type 2C) must then be
    // present, empty for "not known" rather than a guess.
    ds.insertEmptyElement(DCM_Laterality);
  }
}

void putAnatomy(DcmItem& ds, const BodySite& site) {
  DcmItem* region = nullptr;
  if (ds.findOrCreateSequenceItem(DCM_AnatomicRegionSequence, region, -2).bad() || !region) {
    throw CaptureError("cannot create the Anatomic Region Sequence");
  }
  putCode(*region, site.region);
  if (site.lateralityModifier) {
    DcmItem* modifier = nullptr;
    if (region->findOrCreateSequenceItem(DCM_AnatomicRegionModifierSequence, modifier, -2).good() && modifier) {
      putCode(*modifier, *site.lateralityModifier);
    }
  }
  if (!site.bodyPart.empty()) put(ds, DCM_BodyPartExamined, site.bodyPart);
  put(ds, DCM_ImageLaterality, site.imageLaterality);
}

void putAcquisitionTime(DcmItem& ds, const StudyHeader& study, const std::string& exif) {
  // EXIF: "YYYY:MM:DD HH:MM:SS"
  bool valid = exif.size() >= 19 && exif[4] == ':' && exif[7] == ':' && exif[10] == ' ' && exif[13] == ':' &&
               exif[16] == ':';
  std::string date, time;
  if (valid) {
    date = exif.substr(0, 4) + exif.substr(5, 2) + exif.substr(8, 2);
    time = exif.substr(11, 2) + exif.substr(14, 2) + exif.substr(17, 2);
    for (char c : date + time) valid = valid && c >= '0' && c <= '9';
    valid = valid && date != "00000000";
  }
  if (!valid) {
    date = study.sessionDate;
    time = study.sessionTime;
  }
  put(ds, DCM_ContentDate, date);
  put(ds, DCM_ContentTime, time);
  put(ds, DCM_AcquisitionDateTime, date + time);
}

void putJpegFrames(DcmItem& ds, const std::vector<Bytes>& frames) {
  auto sequence = std::make_unique<DcmPixelSequence>(DCM_PixelSequenceTag);
  auto* offsetTable = new DcmPixelItem(DCM_PixelItemTag);
  sequence->insert(offsetTable);
  DcmOffsetList offsets;
  for (const Bytes& frame : frames) {
    const OFCondition status =
        sequence->storeCompressedFrame(offsets, const_cast<Uint8*>(frame.data()), static_cast<Uint32>(frame.size()), 0);
    if (status.bad()) throw CaptureError(std::string("cannot encapsulate a JPEG frame: ") + status.text());
  }
  if (frames.size() > 1) offsetTable->createOffsetTable(offsets);
  auto pixelData = std::make_unique<DcmPixelData>(DCM_PixelData);
  pixelData->putOriginalRepresentation(EXS_JPEGProcess1, nullptr, sequence.release());
  if (ds.insert(pixelData.release(), true).bad()) throw CaptureError("cannot insert the pixel data");
}

std::size_t putJpegFrameWithoutMetadata(DcmItem& ds, const Bytes& jpeg) {
  const std::vector<ByteRange> ranges = metadataFreeRanges(jpeg);
  std::size_t length = 0;
  for (const ByteRange& r : ranges) length += r.length;
  auto fragment = std::make_unique<DcmPixelItem>(DCM_PixelItemTag);
  Uint8* target = nullptr;
  const std::size_t even = length + (length & 1);  // items have even lengths: one zero byte pads
  if (even > 0xFFFFFFF0u || fragment->createUint8Array(static_cast<Uint32>(even), target).bad() || target == nullptr) {
    throw CaptureError("cannot encapsulate the JPEG frame");
  }
  for (const ByteRange& r : ranges) {
    std::memcpy(target, jpeg.data() + r.offset, r.length);
    target += r.length;
  }
  if (even != length) *target = 0;
  auto sequence = std::make_unique<DcmPixelSequence>(DCM_PixelSequenceTag);
  sequence->insert(new DcmPixelItem(DCM_PixelItemTag));  // empty basic offset table: one frame
  sequence->insert(fragment.release());
  auto pixelData = std::make_unique<DcmPixelData>(DCM_PixelData);
  pixelData->putOriginalRepresentation(EXS_JPEGProcess1, nullptr, sequence.release());
  if (ds.insert(pixelData.release(), true).bad()) throw CaptureError("cannot insert the pixel data");
  return length;
}

void putLossyCompression(DcmItem& ds, const std::vector<double>& ratios) {
  std::string ratioText, methodText;
  for (double ratio : ratios) {
    char buffer[32];
    std::snprintf(buffer, sizeof buffer, "%.2f", ratio);
    ratioText += (ratioText.empty() ? "" : "\\") + std::string(buffer);
    methodText += (methodText.empty() ? "" : "\\") + std::string("ISO_10918_1");
  }
  put(ds, DCM_LossyImageCompression, "01");
  put(ds, DCM_LossyImageCompressionRatio, ratioText);
  put(ds, DCM_LossyImageCompressionMethod, methodText);
}

std::string photometricFor(const JpegInfo& info) {
  switch (info.colour) {
    case JpegColour::Gray: return "MONOCHROME2";
    case JpegColour::Rgb: return "RGB";
    // The VL and US modules accept only YBR_FULL_422 for JPEG-coded YCbCr; decoders take the
    // actual sampling from the JPEG frame header, so a 4:4:4 stream decodes correctly too.
    case JpegColour::YCbCr: return "YBR_FULL_422";
    default: throw CaptureError("CMYK JPEGs (from print workflows) are not accepted; export the photo as ordinary JPEG");
  }
}

void appendImageComment(DcmItem& ds, const std::string& text) {
  OFString existing;
  std::string value = text;
  if (ds.findAndGetOFStringArray(DCM_ImageComments, existing).good() && !existing.empty()) {
    value = std::string(existing.c_str()) + "\n" + text;
  }
  putText(ds, DCM_ImageComments, value);
}

}  // namespace relais::capture
