#pragma once
// Looking at what relais-capture wrote, the way a PACS or a reviewer would: dciodvfy's error
// count, dcmdump's text, DCMTK's decode of the pixel data, the encapsulated JPEG bytes.
#include <filesystem>
#include <opencv2/core.hpp>
#include <string>
#include <vector>

#include "relais/capture/JpegStream.h"

namespace relais::capture::test {

struct CommandOutput {
  int exitCode = -1;
  std::string output;  // stdout and stderr together
};
CommandOutput runCommand(const std::string& commandLine);
std::string quote(const std::string& text);

// Lines of dciodvfy's report that begin with "Error" (its exit code says nothing).
std::vector<std::string> dciodvfyErrors(const std::filesystem::path& file, std::string* fullReport = nullptr);
std::string dcmdump(const std::filesystem::path& file);

// Decodes frame `frame` with DCMTK (JPEG codecs registered) to 8-bit BGR.
cv::Mat decodeWithDcmtk(const std::filesystem::path& file, unsigned long frame = 0);

// The stored grey values of frame 1, decoded by DCMTK (JPEG, JPEG-LS or native), with the
// file's transfer syntax UID.
struct StoredValues {
  std::string transferSyntax;
  cv::Mat values;  // CV_16UC1 or CV_8UC1
};
StoredValues storedValues(const std::filesystem::path& file);

// The first fragment of the encapsulated pixel data (the JPEG of frame 1).
Bytes firstFragment(const std::filesystem::path& file);

// Files (including hidden temporaries) in a folder.
std::vector<std::filesystem::path> filesIn(const std::filesystem::path& folder);
Bytes readAll(const std::filesystem::path& file);
bool contains(const Bytes& haystack, const Bytes& needle);

}  // namespace relais::capture::test
