#pragma once
// Small, valid DICOM instances for routing tests and the ingest benchmark, written with
// DCMTK: Secondary Capture, 8x8 MONOCHROME2, with the attributes the routing rules look at.
#include <filesystem>
#include <string>

namespace relais::test {

struct TestInstance {
  std::string studyUid;      // empty: a new UID
  std::string seriesUid;     // empty: a new UID
  std::string sopUid;        // empty: a new UID
  std::string patientId = "PAT-001";
  std::string patientName = "TEST^PATIENT";
  std::string modality = "OT";
  std::string stationName = "THIRD-PARTY";
  std::string studyDescription;
  std::string requestedProcedure;  // (0040,0275) > (0032,1060): the requested specialty
  std::string reason;              // (0040,0275) > (0040,1002): the clinical question
  std::string privateFlag;         // (0009,1001) under private creator "RELAIS TEST"
  int seriesNumber = 1;
  int instanceNumber = 1;
};

// Writes the file and fills in any UID left empty; returns the SOP Instance UID.
std::string WriteTestInstance(const std::filesystem::path& file, TestInstance& spec);
std::string NewUid();

}  // namespace relais::test
