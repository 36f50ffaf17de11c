#include "outbox/UploadChannel.h"

namespace relais::outbox {

namespace {
const std::string kUploads = "/relais/v1/uploads/";
}

HubAnswer HubUploadChannel::where(const std::string& sopInstanceUid) { return hub_.get(kUploads + sopInstanceUid); }

HubAnswer HubUploadChannel::put(const std::string& sopInstanceUid, int64_t offset, int64_t size,
                                const std::string& sha256, std::vector<unsigned char> piece) {
  return hub_.request("PUT",
                      kUploads + sopInstanceUid + "?offset=" + std::to_string(offset) + "&size=" + std::to_string(size) +
                          "&sha256=" + sha256,
                      std::move(piece), "application/octet-stream");
}

HubAnswer HubUploadChannel::abandon(const std::string& sopInstanceUid) {
  return hub_.request("DELETE", kUploads + sopInstanceUid);
}

}  // namespace relais::outbox
