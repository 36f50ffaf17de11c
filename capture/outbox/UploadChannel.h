#pragma once
// The hub's upload routes (protocol v1, docs/openapi.yaml: /relais/v1/uploads/{sopInstanceUid};
// a piece's offset, size and SHA-256 travel in Relais-Upload-* headers)
// as the resumable upload sees them, so its logic is tested against a scripted hub. Network
// failures throw HubUnreachable; any HTTP answer is returned.
#include <cstdint>
#include <string>
#include <vector>

#include "outbox/HubConnection.h"

namespace relais::outbox {

class UploadChannel {
 public:
  virtual ~UploadChannel() = default;
  // GET: where the hub stands for this instance.
  virtual HubAnswer where(const std::string& sopInstanceUid) = 0;
  // PUT: bytes [offset, offset + piece.size()) of the file of `size` bytes and hash `sha256`.
  virtual HubAnswer put(const std::string& sopInstanceUid, int64_t offset, int64_t size, const std::string& sha256,
                        std::vector<unsigned char> piece) = 0;
  // DELETE: abandons the hub's session.
  virtual HubAnswer abandon(const std::string& sopInstanceUid) = 0;
};

// The routes over the unit's HTTP(S) connection.
class HubUploadChannel : public UploadChannel {
 public:
  explicit HubUploadChannel(HubConnection& hub) : hub_(hub) {}
  HubAnswer where(const std::string& sopInstanceUid) override;
  HubAnswer put(const std::string& sopInstanceUid, int64_t offset, int64_t size, const std::string& sha256,
                std::vector<unsigned char> piece) override;
  HubAnswer abandon(const std::string& sopInstanceUid) override;

 private:
  HubConnection& hub_;
};

}  // namespace relais::outbox
