#pragma once
// An instance's attributes in Orthanc's /instances/{id}/tags form, parsed from the bytes in
// front of Pixel Data of its stored file. Orthanc 1.10's /tags loads and parses the whole file:
// for a 29 MB ultrasound clip that is about 150 ms of the routing thread and the file twice in
// memory, for attributes that all sit in its first kilobytes.
#include <optional>
#include <string>

#include <nlohmann/json.hpp>

#include "adapter/StoredInstanceFiles.h"

namespace relais::adapter {

// Nothing when the file is not where StoredInstanceFiles finds it, is not one the header
// walker reads (big-endian, deflated, no Pixel Data...) or Orthanc cannot parse its header:
// the caller then asks Orthanc's REST API.
std::optional<nlohmann::json> TagsBeforePixelData(const StoredInstanceFiles& files, const std::string& instanceId);

}  // namespace relais::adapter
