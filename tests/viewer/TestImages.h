#pragma once
// DICOM objects with known pixels for the rendering tests, written with DCMTK: a horizontal
// ramp (dark left, bright right in stored values) or colour halves, so a test can check what
// the rendered JPEG shows without reference images.
#include <filesystem>
#include <string>
#include <vector>

#include <opencv2/core.hpp>

namespace relais::test {

struct GreyOptions {
  int width = 256;
  int height = 128;
  bool monochrome1 = false;
  int maxValue = 4095;  // ramp 0..maxValue, BitsStored 12
  double rescaleSlope = 1.0;
  double rescaleIntercept = 0.0;
  std::string window;  // "center\\width" or empty
};

// 16-bit MONOCHROME1/2 Digital X-Ray (For Presentation) with a left-to-right ramp.
void WriteGrey16(const std::filesystem::path& file, const GreyOptions& options);

// 8-bit RGB Secondary Capture: left half red, right half blue. `frames` > 1 writes an
// ultrasound multi-frame object whose frame k has a green level of 40*k in its top row.
void WriteRgb(const std::filesystem::path& file, int width, int height, int frames = 1);

// 8-bit PALETTE COLOR: left half index 10 (LUT: red), right half index 200 (LUT: green).
void WritePalette(const std::filesystem::path& file, int width, int height);

// VL Photographic Image in JPEG Baseline, encapsulated as a camera would give it: left half
// red, right half blue.
void WriteJpegPhoto(const std::filesystem::path& file, int width, int height);

// The same objects from given pixels (benchmarks use realistic content): `values` CV_16UC1;
// `rgb` CV_8UC3 in RGB order; `frames` several CV_8UC3 frames of one ultrasound clip.
void WriteGrey16(const std::filesystem::path& file, const cv::Mat& values, const GreyOptions& options);
void WriteJpegPhoto(const std::filesystem::path& file, const cv::Mat& rgb, int quality);
// The same object around a given JPEG (colour, `width` x `height`), kept byte for byte.
void WriteJpegFrame(const std::filesystem::path& file, const std::string& jpeg, int width, int height);
void WriteUltrasoundClip(const std::filesystem::path& file, const std::vector<cv::Mat>& frames);

// The ramp of WriteGrey16, its pixel data encoded in JPEG 2000 (OpenCV's OpenJPEG writer,
// codestream taken out of its JP2 box), transfer syntax 1.2.840.10008.1.2.4.91: what some
// third-party modalities send, and what Orthanc decodes only with the orthanc-gdcm plugin.
void WriteJpeg2000Grey16(const std::filesystem::path& file, const GreyOptions& options);

// A teleexpertise request as a unit sends it (DESIGN.md: Request Attributes Sequence, Station
// Name for the unit...), written into an existing object so that several objects share a
// patient and a study.
struct StudyRequest {
  std::string patientId = "RELAIS-P1";
  std::string patientName = "Test^Patient";
  std::string birthDate = "19800101";
  std::string sex = "F";
  std::string studyInstanceUid;  // empty: keep the object's own
  std::string studyDate = "20261120";
  std::string studyDescription;
  std::string station = "VAN-07";
  std::string institution = "Van 07";
  std::string specialty;  // Requested Procedure Description, e.g. "dermatology"
  std::string question;   // Reason for the Requested Procedure
  std::string history;    // Additional Patient History
  std::string priority;   // Requested Procedure Priority: STAT, HIGH, ROUTINE...
  std::string seriesInstanceUid;  // empty: keep
  std::string seriesDescription;
  int instanceNumber = 1;
  // Anatomic Region Sequence (SNOMED CT) and Image Laterality; nothing written when empty.
  std::string bodySiteCode, bodySiteMeaning, imageLaterality;
};
void ApplyRequest(const std::filesystem::path& file, const StudyRequest& request);
std::string NewDicomUid();
// The SOP Instance UID of a DICOM file (for manifests).
std::string SopInstanceUidOf(const std::filesystem::path& file);

// Runs a DCMTK tool (dcmcrle, dcmconv...) from `in` to `out`; throws with its output on failure.
void Transcode(const std::string& tool, const std::string& options, const std::filesystem::path& in,
               const std::filesystem::path& out);

}  // namespace relais::test
