#include "DicomInspection.h"

#include <dcmtk/dcmdata/dcdeftag.h>
#include <dcmtk/dcmdata/dcfilefo.h>
#include <dcmtk/dcmdata/dcpixel.h>
#include <dcmtk/dcmdata/dcpixseq.h>
#include <dcmtk/dcmdata/dcpxitem.h>
#include <dcmtk/dcmdata/dcxfer.h>
#include <dcmtk/dcmimage/diregist.h>
#include <dcmtk/dcmimgle/dcmimage.h>
#include <dcmtk/dcmjpeg/djdecode.h>
#include <dcmtk/dcmjpls/djdecode.h>
#include <sys/wait.h>

#include <algorithm>
#include <opencv2/imgproc.hpp>
#include <array>
#include <cstdio>
#include <sstream>
#include <stdexcept>

#include "harness/Files.h"

namespace relais::capture::test {
namespace fs = std::filesystem;

CommandOutput runCommand(const std::string& commandLine) {
  CommandOutput result;
  FILE* pipe = ::popen((commandLine + " 2>&1").c_str(), "r");
  if (!pipe) throw std::runtime_error("cannot run " + commandLine);
  std::array<char, 4096> buffer{};
  std::size_t n;
  while ((n = std::fread(buffer.data(), 1, buffer.size(), pipe)) > 0) result.output.append(buffer.data(), n);
  const int status = ::pclose(pipe);
  result.exitCode = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  return result;
}

std::string quote(const std::string& text) {
  std::string out = "'";
  for (char c : text) {
    if (c == '\'') out += "'\\''";
    else out += c;
  }
  return out + "'";
}

std::vector<std::string> dciodvfyErrors(const fs::path& file, std::string* fullReport) {
  const CommandOutput run = runCommand(std::string(DCIODVFY) + " " + quote(file.string()));
  if (fullReport) *fullReport = run.output;
  std::vector<std::string> errors;
  std::istringstream lines(run.output);
  for (std::string line; std::getline(lines, line);) {
    if (line.rfind("Error", 0) == 0) errors.push_back(line);
  }
  return errors;
}

std::string dcmdump(const fs::path& file) {
  return runCommand(std::string(DCMDUMP) + " +U8 +L " + quote(file.string())).output;
}

namespace {

void registerDecoders() {
  static const bool registered = [] {
    DJDecoderRegistration::registerCodecs();
    DJLSDecoderRegistration::registerCodecs();
    return true;
  }();
  (void)registered;
}

}  // namespace

cv::Mat decodeWithDcmtk(const fs::path& file, unsigned long frame) {
  registerDecoders();
  DicomImage image(file.c_str(), CIF_UsePartialAccessToPixelData, frame, 1);
  if (image.getStatus() != EIS_Normal) {
    throw std::runtime_error(std::string("DCMTK cannot decode: ") + DicomImage::getString(image.getStatus()));
  }
  const int width = static_cast<int>(image.getWidth()), height = static_cast<int>(image.getHeight());
  const void* data = image.getOutputData(8, 0);
  if (!data) throw std::runtime_error("DCMTK produced no output data");
  cv::Mat out;
  if (image.isMonochrome()) {
    cv::Mat gray(height, width, CV_8UC1, const_cast<void*>(data));
    cv::cvtColor(gray, out, cv::COLOR_GRAY2BGR);
  } else {
    cv::Mat rgb(height, width, CV_8UC3, const_cast<void*>(data));
    cv::cvtColor(rgb, out, cv::COLOR_RGB2BGR);
  }
  return out;
}

StoredValues storedValues(const fs::path& file) {
  registerDecoders();
  DcmFileFormat format;
  if (format.loadFile(file.c_str()).bad()) throw std::runtime_error("cannot load " + file.string());
  DcmDataset& dataset = *format.getDataset();
  StoredValues stored;
  stored.transferSyntax = DcmXfer(dataset.getOriginalXfer()).getXferID();
  if (dataset.chooseRepresentation(EXS_LittleEndianExplicit, nullptr).bad()) {
    throw std::runtime_error("DCMTK cannot decode the pixel data of " + file.string());
  }
  Uint16 rows = 0, columns = 0, bitsAllocated = 0;
  dataset.findAndGetUint16(DCM_Rows, rows);
  dataset.findAndGetUint16(DCM_Columns, columns);
  dataset.findAndGetUint16(DCM_BitsAllocated, bitsAllocated);
  if (bitsAllocated == 16) {
    const Uint16* values = nullptr;
    unsigned long count = 0;
    if (dataset.findAndGetUint16Array(DCM_PixelData, values, &count).bad() || count != 1ul * rows * columns) {
      throw std::runtime_error("no 16-bit pixel data in " + file.string());
    }
    stored.values = cv::Mat(rows, columns, CV_16UC1, const_cast<Uint16*>(values)).clone();
  } else {
    const Uint8* values = nullptr;
    unsigned long count = 0;
    if (dataset.findAndGetUint8Array(DCM_PixelData, values, &count).bad() || count < 1ul * rows * columns) {
      throw std::runtime_error("no 8-bit pixel data in " + file.string());
    }
    stored.values = cv::Mat(rows, columns, CV_8UC1, const_cast<Uint8*>(values)).clone();
  }
  return stored;
}

Bytes firstFragment(const fs::path& file) {
  DcmFileFormat format;
  if (format.loadFile(file.c_str()).bad()) throw std::runtime_error("cannot load " + file.string());
  DcmElement* element = nullptr;
  if (format.getDataset()->findAndGetElement(DCM_PixelData, element).bad()) throw std::runtime_error("no pixel data");
  auto* pixelData = static_cast<DcmPixelData*>(element);
  DcmPixelSequence* sequence = nullptr;
  E_TransferSyntax xfer = format.getDataset()->getOriginalXfer();
  if (pixelData->getEncapsulatedRepresentation(xfer, nullptr, sequence).bad() || !sequence) {
    throw std::runtime_error("pixel data are not encapsulated");
  }
  DcmPixelItem* item = nullptr;
  if (sequence->getItem(item, 1).bad()) throw std::runtime_error("no first fragment");
  Uint8* bytes = nullptr;
  item->getUint8Array(bytes);
  return Bytes(bytes, bytes + item->getLength());
}

std::vector<fs::path> filesIn(const fs::path& folder) {
  std::vector<fs::path> files;
  if (!fs::exists(folder)) return files;
  for (const auto& entry : fs::directory_iterator(folder)) files.push_back(entry.path());
  std::sort(files.begin(), files.end());
  return files;
}

Bytes readAll(const fs::path& file) {
  const std::string bytes = relais::test::ReadFile(file);
  return Bytes(bytes.begin(), bytes.end());
}

bool contains(const Bytes& haystack, const Bytes& needle) {
  return std::search(haystack.begin(), haystack.end(), needle.begin(), needle.end()) != haystack.end();
}

}  // namespace relais::capture::test
