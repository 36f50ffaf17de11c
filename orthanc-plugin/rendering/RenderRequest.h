#pragma once
// What a viewer asks of one frame: the box it must fit in, the JPEG quality, and optionally
// the VOI window. Parsed from the query string of .../frames/{n}/rendered; bad values are the
// client's mistake (HttpError 400 naming the parameter).
#include <map>
#include <optional>
#include <string>

namespace relais::rendering {

struct RenderRequest {
  int width = 0;   // 0: no limit on that side
  int height = 0;  // 0: no limit on that side
  int quality = 90;  // Orthanc's /rendered default, so byte counts compare like for like
  std::optional<double> windowCenter;
  std::optional<double> windowWidth;

  // Stable text naming every parameter that changes the output, for cache keys and ETags.
  std::string fingerprint() const;
};

// Largest side accepted, to keep one request from allocating gigabytes.
constexpr int kMaxRenderSide = 16384;

RenderRequest ParseRenderRequest(const std::map<std::string, std::string>& query);

}  // namespace relais::rendering
