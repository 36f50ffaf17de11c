#include "outbox/UploadChannel.h"

namespace relais::outbox {

namespace {
const std::string kUploads = "/relais/v1/uploads/";
}

HubAnswer HubUploadChannel::where(const std::string& sopInstanceUid) { return hub_.get(kUploads + sopInstanceUid); }

HubAnswer HubUploadChannel::put(const std::string& sopInstanceUid, int64_t offset, int64_t size,
                                const std::string& sha256, std::vector<unsigned char> piece) {
  // In headers: Orthanc 1.10.1 hands a plugin no query string on PUT (protocol notes, "Changes
  // by the hub side").
  return hub_.requestOnce("PUT", kUploads + sopInstanceUid, std::move(piece), "application/octet-stream",
                      {{"Relais-Upload-Offset", std::to_string(offset)},
                       {"Relais-Upload-Size", std::to_string(size)},
                       {"Relais-Upload-Sha256", sha256}});
}

HubAnswer HubUploadChannel::abandon(const std::string& sopInstanceUid) {
  return hub_.request("DELETE", kUploads + sopInstanceUid);
}

}  // namespace relais::outbox
