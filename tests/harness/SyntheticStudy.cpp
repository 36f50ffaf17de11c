#include "harness/SyntheticStudy.h"

#include <dcmtk/dcmdata/dcdeftag.h>
#include <dcmtk/dcmdata/dcfilefo.h>
#include <dcmtk/dcmdata/dcuid.h>

#include <cmath>
#include <stdexcept>

namespace relais::test {

namespace {

std::string NewUid() {
  char buffer[100];
  dcmGenerateUniqueIdentifier(buffer, SITE_INSTANCE_UID_ROOT);
  return buffer;
}

void Put(DcmItem& item, const DcmTagKey& tag, const std::string& value) {
  if (item.putAndInsertString(tag, value.c_str()).bad()) throw std::runtime_error("cannot set a DICOM attribute");
}

}  // namespace

SyntheticStudy WriteSyntheticStudy(const std::filesystem::path& folder, const SyntheticStudyOptions& options) {
  std::filesystem::create_directories(folder);
  SyntheticStudy study;
  study.studyInstanceUid = options.studyInstanceUid.empty() ? NewUid() : options.studyInstanceUid;
  const std::string seriesUid = NewUid();
  const int side = std::max(8, static_cast<int>(std::sqrt(std::max<int64_t>(64, options.bytesPerInstance - 1500))));
  for (int n = 1; n <= options.instances; ++n) {
    DcmFileFormat file;
    DcmDataset& d = *file.getDataset();
    const std::string sopUid = NewUid();
    Put(d, DCM_SOPClassUID, UID_SecondaryCaptureImageStorage);
    Put(d, DCM_SOPInstanceUID, sopUid);
    Put(d, DCM_SpecificCharacterSet, "ISO_IR 100");
    Put(d, DCM_StudyDate, "20261125");
    Put(d, DCM_StudyTime, "101500");
    Put(d, DCM_ContentDate, "20261125");
    Put(d, DCM_ContentTime, "101500");
    Put(d, DCM_AccessionNumber, "");
    Put(d, DCM_Modality, "OT");
    Put(d, DCM_ConversionType, "WSD");
    Put(d, DCM_InstitutionName, options.institutionName);
    Put(d, DCM_StationName, options.stationName);
    Put(d, DCM_ReferringPhysicianName, "");
    Put(d, DCM_PatientName, options.patientName);
    Put(d, DCM_PatientID, options.patientId);
    Put(d, DCM_PatientBirthDate, "19700101");
    Put(d, DCM_PatientSex, "F");
    Put(d, DCM_StudyInstanceUID, study.studyInstanceUid);
    Put(d, DCM_SeriesInstanceUID, seriesUid);
    Put(d, DCM_StudyID, "1");
    Put(d, DCM_SeriesNumber, "1");
    Put(d, DCM_InstanceNumber, std::to_string(n));
    Put(d, DCM_PatientOrientation, "");
    DcmItem* request = nullptr;
    if (d.findOrCreateSequenceItem(DCM_RequestAttributesSequence, request, 0).bad()) {
      throw std::runtime_error("cannot create the Request Attributes Sequence");
    }
    Put(*request, DCM_RequestedProcedureID, "1");
    Put(*request, DCM_RequestedProcedureDescription, options.specialty);
    Put(*request, DCM_ReasonForTheRequestedProcedure, options.question);
    Put(*request, DCM_RequestedProcedurePriority, options.priority);
    Put(*request, DCM_ScheduledProcedureStepID, "1");
    d.putAndInsertUint16(DCM_SamplesPerPixel, 1);
    Put(d, DCM_PhotometricInterpretation, "MONOCHROME2");
    d.putAndInsertUint16(DCM_Rows, static_cast<Uint16>(side));
    d.putAndInsertUint16(DCM_Columns, static_cast<Uint16>(side));
    d.putAndInsertUint16(DCM_BitsAllocated, 8);
    d.putAndInsertUint16(DCM_BitsStored, 8);
    d.putAndInsertUint16(DCM_HighBit, 7);
    d.putAndInsertUint16(DCM_PixelRepresentation, 0);
    std::vector<Uint8> pixels(static_cast<size_t>(side) * side + (side * side) % 2);
    for (size_t i = 0; i < pixels.size(); ++i) pixels[i] = static_cast<Uint8>((i * 7 + static_cast<size_t>(n) * 13) & 0xff);
    d.putAndInsertUint8Array(DCM_PixelData, pixels.data(), static_cast<unsigned long>(pixels.size()));
    const auto path = folder / ("IM" + std::to_string(100000 + n).substr(1) + ".dcm");
    if (file.saveFile(path.c_str(), EXS_LittleEndianExplicit).bad()) {
      throw std::runtime_error("cannot write " + path.string());
    }
    study.files.push_back(path);
    study.sopInstanceUids.push_back(sopUid);
  }
  return study;
}

}  // namespace relais::test
