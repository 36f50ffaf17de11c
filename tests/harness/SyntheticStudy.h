#pragma once
// Test studies written with DCMTK: Secondary Capture instances of a chosen size carrying the
// teleexpertise request the way relais-capture does (unit in Station Name, specialty and
// question in the Request Attributes Sequence, urgency in Requested Procedure Priority), so
// forwarding tests do not depend on the capture tools.
#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

namespace relais::test {

struct SyntheticStudyOptions {
  int instances = 10;
  int64_t bytesPerInstance = 8000;  // about: pixel data is sized to reach it
  std::string stationName = "VAN-07";
  std::string institutionName = "Van 07";
  std::string specialty = "dermatology";
  std::string question = "Pigmented lesion, changed in 3 months";
  std::string priority = "ROUTINE";  // Requested Procedure Priority: STAT, HIGH, ROUTINE...
  std::string patientId = "P-0001";
  std::string patientName = "TEST^PATIENT";
  std::string studyInstanceUid;      // empty: a new one
};

struct SyntheticStudy {
  std::string studyInstanceUid;
  std::vector<std::filesystem::path> files;
  std::vector<std::string> sopInstanceUids;
};

SyntheticStudy WriteSyntheticStudy(const std::filesystem::path& folder, const SyntheticStudyOptions& options = {});

}  // namespace relais::test
