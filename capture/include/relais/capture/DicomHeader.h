#pragma once
// The attributes every object of a capture session shares: SOP Common, Patient, General Study
// and Patient Study (with the teleexpertise request), General Series (with the Request
// Attributes Sequence and Operators' Name), General Equipment (unit in Institution Name /
// Station Name), General Image, anatomy (SNOMED CT body site) and the encapsulated JPEG
// pixel data helper. Pure: it fills a dataset in memory.
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "relais/capture/BodySites.h"
#include "relais/capture/CaptureContext.h"
#include "relais/capture/JpegStream.h"

class DcmFileFormat;
class DcmItem;

namespace relais::capture {

// What is fixed for the whole session.
struct StudyHeader {
  CaptureContext context;
  std::optional<BodySite> bodySite;
  std::string studyUid;
  std::string date;  // Study Date (DA): the session start, or the existing study's
  std::string time;  // Study Time (TM)
  std::string sessionDate;  // this capture session's start: series, instance creation
  std::string sessionTime;
};

// What identifies one object inside the study.
struct InstanceIdentity {
  std::string sopClassUid;
  std::string sopInstanceUid;
  std::string seriesUid;
  int seriesNumber = 1;
  int instanceNumber = 1;
  std::string modality;
  std::string seriesDescription;
  std::string frameOfReferenceUid;  // only for IODs that need one
};

// Acquisition device as the image tells it (EXIF) or the operator gives it.
struct Device {
  std::string manufacturer;
  std::string model;
  std::string serialNumber;
};

// A finished object, ready to be written. The transfer syntax is a DCMTK E_TransferSyntax.
struct DicomObject {
  std::unique_ptr<DcmFileFormat> file;
  int transferSyntax = 0;
  std::string sopInstanceUid;
  std::string sopClassUid;
  std::string label;  // "photo 2 (IMG_0042.jpg)", for messages
  DicomObject();
  DicomObject(DicomObject&&) noexcept;
  DicomObject& operator=(DicomObject&&) noexcept;
  ~DicomObject();
};

void putCommonAttributes(DcmItem& dataset, const StudyHeader& study, const InstanceIdentity& instance,
                         const Device& device);

// Anatomic Region Sequence (+ laterality modifier), Body Part Examined, Image Laterality.
void putAnatomy(DcmItem& dataset, const BodySite& site);

// Content Date/Time and Acquisition DateTime from an EXIF "YYYY:MM:DD HH:MM:SS" when valid,
// else from the session.
void putAcquisitionTime(DcmItem& dataset, const StudyHeader& study, const std::string& exifDateTime);

// Encapsulates JPEG bitstreams, one fragment per frame, with a basic offset table.
void putJpegFrames(DcmItem& dataset, const std::vector<Bytes>& frames);

// Encapsulates one JPEG as the only frame without its application segments (stripMetadata),
// copied once, straight into the pixel item DCMTK writes. Returns the stored stream's length.
std::size_t putJpegFrameWithoutMetadata(DcmItem& dataset, const Bytes& jpeg);

// Lossy Image Compression 01 with method(s) and ratio(s) (one value per lossy step).
void putLossyCompression(DcmItem& dataset, const std::vector<double>& ratios);

// Photometric Interpretation a JPEG must carry so decoders get the colours right.
std::string photometricFor(const JpegInfo& info);

// "Relais 0.1.0".
std::string softwareVersion();

// Quality-gate override and derivation notes go into Image Comments (appended, one per line).
void appendImageComment(DcmItem& dataset, const std::string& text);

}  // namespace relais::capture
