#include "domain/report/ReportDocument.h"

#include <regex>
#include <stdexcept>

namespace relais::report {

std::pair<std::string, std::string> DicomDateTime(const std::string& isoUtc) {
  static const std::regex pattern(R"((\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(\.\d+)?Z)");
  std::smatch m;
  if (!std::regex_match(isoUtc, m, pattern)) {
    throw std::invalid_argument("not an ISO 8601 UTC time (YYYY-MM-DDThh:mm:ssZ): " + isoUtc);
  }
  return {m.str(1) + m.str(2) + m.str(3), m.str(4) + m.str(5) + m.str(6)};
}

std::string ReadablePersonName(const std::string& dicomPersonName) {
  // Only the alphabetic group (before '='); components family^given^middle^prefix^suffix.
  std::string alphabetic = dicomPersonName.substr(0, dicomPersonName.find('='));
  std::vector<std::string> parts;
  size_t start = 0;
  while (true) {
    size_t end = alphabetic.find('^', start);
    parts.push_back(alphabetic.substr(start, end == std::string::npos ? std::string::npos : end - start));
    if (end == std::string::npos) break;
    start = end + 1;
  }
  parts.resize(5);
  std::string out;
  for (const std::string& p : {parts[3], parts[0], parts[1], parts[2], parts[4]}) {
    if (!p.empty()) out += (out.empty() ? "" : " ") + p;
  }
  return out;
}

}  // namespace relais::report
