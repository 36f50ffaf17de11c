#pragma once
// How the hub marks the DICOM objects it writes itself (report SR and PDF series), so that
// routing can ignore them when Orthanc fires StableStudy again after a report is stored.
// Both are Orthanc series-level main tags, readable from /series/{id} without opening a file.
#include <string>

namespace relais::report {

inline const std::string kHubManufacturer = "Relais hub";  // Manufacturer (0008,0070)
inline const std::string kReportModelName = "Relais report";  // Manufacturer's Model Name (0008,1090)

// True for a series the hub wrote: Manufacturer "Relais hub" and Modality SR or DOC.
inline bool IsHubReportSeries(const std::string& manufacturer, const std::string& modality) {
  return manufacturer == kHubManufacturer && (modality == "SR" || modality == "DOC");
}

}  // namespace relais::report
