#pragma once
// DICOM Part 10 files in memory, the form Orthanc's POST /instances takes and gives back.
#include <memory>
#include <string>

class DcmFileFormat;

namespace relais::report {

// Writes the file (meta header included) as Explicit VR Little Endian.
std::string SerializeDicom(DcmFileFormat& file);

// Parses a Part 10 file; throws std::runtime_error if it is not one.
std::unique_ptr<DcmFileFormat> ParseDicom(const std::string& bytes);

// A new globally unique UID (DCMTK's generator under its site root).
std::string NewUid(const char* root);

}  // namespace relais::report
