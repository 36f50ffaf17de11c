#include "harness/TestStudies.h"

#include <dcmtk/dcmdata/dcdeftag.h>
#include <dcmtk/dcmdata/dcfilefo.h>
#include <dcmtk/dcmdata/dcitem.h>
#include <dcmtk/dcmdata/dcuid.h>

#include <stdexcept>
#include <vector>

namespace relais::test {

std::string NewUid() {
  char uid[100];
  dcmGenerateUniqueIdentifier(uid, SITE_INSTANCE_UID_ROOT);
  return uid;
}

std::string WriteTestInstance(const std::filesystem::path& file, TestInstance& spec) {
  if (spec.studyUid.empty()) spec.studyUid = NewUid();
  if (spec.seriesUid.empty()) spec.seriesUid = NewUid();
  if (spec.sopUid.empty()) spec.sopUid = NewUid();
  DcmFileFormat format;
  DcmDataset* d = format.getDataset();
  auto put = [&](const DcmTagKey& tag, const std::string& value) {
    if (d->putAndInsertString(tag, value.c_str()).bad()) throw std::runtime_error("cannot set a test attribute");
  };
  put(DCM_SOPClassUID, UID_SecondaryCaptureImageStorage);
  put(DCM_SOPInstanceUID, spec.sopUid);
  put(DCM_StudyInstanceUID, spec.studyUid);
  put(DCM_SeriesInstanceUID, spec.seriesUid);
  put(DCM_PatientID, spec.patientId);
  put(DCM_PatientName, spec.patientName);
  put(DCM_PatientBirthDate, "19800101");
  put(DCM_PatientSex, "F");
  put(DCM_StudyDate, "20261125");
  put(DCM_StudyTime, "120000");
  put(DCM_StudyID, "1");
  put(DCM_AccessionNumber, "");
  put(DCM_ReferringPhysicianName, "");
  put(DCM_Modality, spec.modality);
  put(DCM_ConversionType, "WSD");
  put(DCM_SeriesNumber, std::to_string(spec.seriesNumber));
  put(DCM_InstanceNumber, std::to_string(spec.instanceNumber));
  put(DCM_StationName, spec.stationName);
  put(DCM_InstitutionName, "Test centre");
  if (!spec.studyDescription.empty()) put(DCM_StudyDescription, spec.studyDescription);
  if (!spec.requestedProcedure.empty() || !spec.reason.empty()) {
    DcmItem* item = nullptr;
    if (d->findOrCreateSequenceItem(DCM_RequestAttributesSequence, item, -2).bad()) {
      throw std::runtime_error("cannot create the Request Attributes Sequence");
    }
    item->putAndInsertString(DCM_RequestedProcedureDescription, spec.requestedProcedure.c_str());
    item->putAndInsertString(DCM_ReasonForTheRequestedProcedure, spec.reason.c_str());
    item->putAndInsertString(DCM_RequestedProcedureID, "RP1");
    item->putAndInsertString(DCM_ScheduledProcedureStepID, "SPS1");
  }
  if (!spec.privateFlag.empty()) {
    d->putAndInsertString(DcmTag(0x0009, 0x0010, EVR_LO), "RELAIS TEST");
    DcmTag flag(0x0009, 0x1001, "RELAIS TEST");
    flag.setVR(EVR_LO);
    d->putAndInsertString(flag, spec.privateFlag.c_str());
  }
  d->putAndInsertUint16(DCM_SamplesPerPixel, 1);
  put(DCM_PhotometricInterpretation, "MONOCHROME2");
  d->putAndInsertUint16(DCM_Rows, 8);
  d->putAndInsertUint16(DCM_Columns, 8);
  d->putAndInsertUint16(DCM_BitsAllocated, 8);
  d->putAndInsertUint16(DCM_BitsStored, 8);
  d->putAndInsertUint16(DCM_HighBit, 7);
  d->putAndInsertUint16(DCM_PixelRepresentation, 0);
  std::vector<Uint8> pixels(64);
  for (size_t i = 0; i < pixels.size(); ++i) pixels[i] = static_cast<Uint8>(i * 4);
  d->putAndInsertUint8Array(DCM_PixelData, pixels.data(), pixels.size());
  if (format.saveFile(file.string().c_str(), EXS_LittleEndianExplicit).bad()) {
    throw std::runtime_error("cannot write " + file.string());
  }
  return spec.sopUid;
}

}  // namespace relais::test
