#include "rendering/RenderRequest.h"

#include <cmath>
#include <sstream>

#include "domain/HttpError.h"

namespace relais::rendering {

namespace {

int ParseInt(const std::map<std::string, std::string>& query, const std::string& name, int fallback, int min,
             int max) {
  auto it = query.find(name);
  if (it == query.end() || it->second.empty()) return fallback;
  size_t used = 0;
  int value = 0;
  try {
    value = std::stoi(it->second, &used);
  } catch (const std::exception&) {
    used = 0;
  }
  if (used != it->second.size() || value < min || value > max) {
    throw BadRequest("parameter " + name + " must be an integer from " + std::to_string(min) + " to " +
                     std::to_string(max) + ", got '" + it->second + "'");
  }
  return value;
}

std::optional<double> ParseDouble(const std::map<std::string, std::string>& query, const std::string& name) {
  auto it = query.find(name);
  if (it == query.end() || it->second.empty()) return std::nullopt;
  size_t used = 0;
  double value = 0;
  try {
    value = std::stod(it->second, &used);
  } catch (const std::exception&) {
    used = 0;
  }
  if (used != it->second.size() || !std::isfinite(value)) {
    throw BadRequest("parameter " + name + " must be a number, got '" + it->second + "'");
  }
  return value;
}

}  // namespace

RenderRequest ParseRenderRequest(const std::map<std::string, std::string>& query) {
  RenderRequest r;
  r.width = ParseInt(query, "width", 0, 0, kMaxRenderSide);
  r.height = ParseInt(query, "height", 0, 0, kMaxRenderSide);
  r.quality = ParseInt(query, "quality", 90, 1, 100);
  r.windowCenter = ParseDouble(query, "window-center");
  r.windowWidth = ParseDouble(query, "window-width");
  if (r.windowCenter.has_value() != r.windowWidth.has_value()) {
    throw BadRequest("window-center and window-width go together: give both or neither");
  }
  if (r.windowWidth && *r.windowWidth < 1) {
    throw BadRequest("window-width must be at least 1, got " + std::to_string(*r.windowWidth));
  }
  return r;
}

std::string RenderRequest::fingerprint() const {
  std::ostringstream s;
  s << "w" << width << "h" << height << "q" << quality;
  if (windowCenter) s << "c" << *windowCenter << "ww" << *windowWidth;
  return s.str();
}

}  // namespace relais::rendering
