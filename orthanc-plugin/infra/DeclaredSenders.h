#pragma once
// Who may store images in the hub by DICOM C-STORE (issue 19): only the modalities and units
// declared in Orthanc's DicomModalities. Every stored study becomes a case in a specialist's
// queue, so an unknown sender must not be able to make one. Orthanc itself refuses the
// association of an undeclared AET (and logs its AET and IP) once DicomAlwaysAllowStore is
// false; Orthanc's default is true, so the plugin refuses to start unless it is set to false.
// (Over HTTP, only accounts whose role may store do: AccessPolicy.)
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace relais {

// The AETs that may store, from Orthanc's whole merged configuration (`file` names it in
// errors). Throws ConfigError unless "DicomAlwaysAllowStore" is false, or if a DicomModalities
// entry cannot be read.
std::vector<std::string> DeclaredDicomSenders(const nlohmann::json& orthanc, const std::string& file);

}  // namespace relais
