#include "adapter/StoredInstanceTags.h"

#include <stdexcept>

#include "adapter/OrthancContext.h"
#include "adapter/OrthancHandles.h"
#include "rendering/StoredFrames.h"

namespace relais::adapter {

std::optional<nlohmann::json> TagsBeforePixelData(const StoredInstanceFiles& files, const std::string& instanceId) {
  const auto location = files.locate(instanceId);
  if (!location) return std::nullopt;
  std::string header;
  try {
    const auto path = location->path;
    header = rendering::StoredHeaderBytes(
        [&path](uint64_t offset, size_t length) { return StoredInstanceFiles::read(path, offset, length); },
        location->size);
  } catch (const std::runtime_error&) {
    return std::nullopt;  // not walked here, or deleted meanwhile: Orthanc decides
  }
  ParsedInstance parsed;
  parsed.instance = OrthancPluginCreateDicomInstance(Context(), header.data(), static_cast<uint32_t>(header.size()));
  if (parsed.instance == nullptr) return std::nullopt;
  OrthancString json;
  json.text = OrthancPluginGetInstanceJson(Context(), parsed.instance);
  if (json.text == nullptr) return std::nullopt;
  nlohmann::json tags = nlohmann::json::parse(json.text, nullptr, false);
  if (tags.is_discarded() || !tags.is_object()) return std::nullopt;
  return tags;
}

}  // namespace relais::adapter
