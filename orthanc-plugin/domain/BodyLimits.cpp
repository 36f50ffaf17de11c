#include "domain/BodyLimits.h"

#include <limits>

namespace relais {

namespace {

std::string Readable(int64_t bytes) {
  if (bytes >= (int64_t{1} << 30) && bytes % (int64_t{1} << 30) == 0) return std::to_string(bytes >> 30) + " GiB";
  if (bytes >= (1 << 20) && bytes % (1 << 20) == 0) return std::to_string(bytes >> 20) + " MiB";
  if (bytes >= (1 << 10) && bytes % (1 << 10) == 0) return std::to_string(bytes >> 10) + " KiB";
  return std::to_string(bytes) + " bytes";
}

bool StartsWith(const std::string& s, const std::string& prefix) { return s.rfind(prefix, 0) == 0; }

}  // namespace

std::optional<BodyLimit> BodyLimitOf(const BodyLimits& limits, const std::string& method, const std::string& path) {
  if (method == "PUT" && StartsWith(path, "/relais/v1/uploads/")) {
    return BodyLimit{limits.pieceBytes, "an upload piece (Relais.Uploads.MaxPieceBytes)"};
  }
  if (path == "/relais" || StartsWith(path, "/relais/")) {
    return BodyLimit{limits.jsonBytes, "a request to /relais/"};
  }
  if (method == "POST" && (path == "/instances" || path == "/instances/")) {
    return BodyLimit{limits.instanceBytes, "an instance sent to /instances (Relais.MaxInstanceBytes)"};
  }
  return std::nullopt;
}

std::string TooLargeMessage(int64_t bodyBytes, const BodyLimit& limit) {
  return "the body of " + std::to_string(bodyBytes) + " bytes is larger than the " + std::to_string(limit.bytes) +
         " bytes (" + Readable(limit.bytes) + ") " + limit.what + " may have";
}

std::optional<int64_t> ParseContentLength(const std::string& value) {
  size_t begin = value.find_first_not_of(" \t");
  size_t end = value.find_last_not_of(" \t");
  if (begin == std::string::npos) return std::nullopt;
  int64_t n = 0;
  for (size_t i = begin; i <= end; ++i) {
    const char c = value[i];
    if (c < '0' || c > '9') return std::nullopt;
    if (n > (std::numeric_limits<int64_t>::max() - (c - '0')) / 10) return std::nullopt;
    n = n * 10 + (c - '0');
  }
  return n;
}

}  // namespace relais
