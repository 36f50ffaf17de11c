#pragma once
// The hub's side of upload protocol v1 in memory, for the unit's logic: sessions keyed by SOP
// Instance UID with a committed offset, 409 with the hub's offset, the SHA-256 check at the
// end, and the faults a van's link brings: a cut after a chosen number of bytes of a PUT
// (before the hub committed the piece) or after the hub committed it (the answer is lost),
// a link that stays down, a refused account.
#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "outbox/Sha256.h"
#include "outbox/UploadChannel.h"

namespace relais::test {

class MemoryUploadHub : public outbox::UploadChannel {
 public:
  struct Session {
    int64_t size = 0;
    std::string sha256;
    std::string bytes;  // committed
    bool stored = false;
  };

  std::map<std::string, Session> sessions;
  int64_t maxPieceBytes = 16 * 1024 * 1024;
  int status = 0;               // non-zero: every request answers this status
  bool down = false;            // every request fails as if the link were down
  // Called with each PUT's offset and length; return "lose" to cut before the hub commits,
  // "answer" to cut after it committed (the answer is lost), "" to answer normally.
  std::function<std::string(int64_t offset, int64_t length)> cut;
  int gets = 0, puts = 0, deletes = 0;
  int64_t bytesPut = 0;
  bool abandonBeforeNextPut = false;  // the session expires while the next piece is on its way

  outbox::HubAnswer where(const std::string& sop) override {
    ++gets;
    if (auto failure = fault()) return *failure;
    auto it = sessions.find(sop);
    if (it == sessions.end()) return {404, R"({"error":"no session","offset":0})", "application/json"};
    return {200, describe(sop, it->second), "application/json"};
  }

  outbox::HubAnswer put(const std::string& sop, int64_t offset, int64_t size, const std::string& sha256,
                        std::vector<unsigned char> piece) override {
    ++puts;
    if (auto failure = fault()) return *failure;
    const std::string verdict = cut ? cut(offset, static_cast<int64_t>(piece.size())) : "";
    bytesPut += static_cast<int64_t>(piece.size());
    if (verdict == "lose") throw outbox::HubUnreachable("connection reset (before commit)");
    if (static_cast<int64_t>(piece.size()) > maxPieceBytes) return {413, R"({"error":"piece too large"})", ""};
    if (abandonBeforeNextPut && offset > 0) {
      abandonBeforeNextPut = false;
      sessions.erase(sop);
      return {404, R"({"error":"the upload was abandoned meanwhile: start at offset 0","offset":0})", "application/json"};
    }
    auto it = sessions.find(sop);
    if (it == sessions.end()) {
      if (offset != 0) return conflict(0);
      it = sessions.emplace(sop, Session{size, sha256, {}, false}).first;
    }
    Session& s = it->second;
    if (s.size != size || s.sha256 != sha256) return conflict(static_cast<int64_t>(s.bytes.size()));
    if (s.stored) return {200, describe(sop, s), "application/json"};
    if (offset != static_cast<int64_t>(s.bytes.size())) return conflict(static_cast<int64_t>(s.bytes.size()));
    s.bytes.append(piece.begin(), piece.end());
    if (static_cast<int64_t>(s.bytes.size()) == s.size) {
      if (outbox::Sha256Hex(s.bytes) != s.sha256) {
        s.bytes.clear();
        return {422, R"({"error":"the instance's SHA-256 does not match","offset":0})", "application/json"};
      }
      s.stored = true;
    }
    if (verdict == "answer") throw outbox::HubUnreachable("connection reset (answer lost)");
    return {200, describe(sop, s), "application/json"};
  }

  outbox::HubAnswer abandon(const std::string& sop) override {
    ++deletes;
    if (auto failure = fault()) return *failure;
    return sessions.erase(sop) ? outbox::HubAnswer{204, "", ""} : outbox::HubAnswer{404, "{}", ""};
  }

 private:
  std::optional<outbox::HubAnswer> fault() {
    if (down) throw outbox::HubUnreachable("cannot reach the hub: connection refused");
    if (status != 0) return outbox::HubAnswer{status, R"({"error":"scripted"})", "application/json"};
    return std::nullopt;
  }
  static outbox::HubAnswer conflict(int64_t offset) {
    return {409, R"({"error":"the hub holds )" + std::to_string(offset) + R"( bytes of this instance","offset":)" +
                     std::to_string(offset) + "}",
            "application/json"};
  }
  static std::string describe(const std::string& sop, const Session& s) {
    if (s.stored) {
      return R"({"sopInstanceUid":")" + sop + R"(","state":"stored","offset":)" + std::to_string(s.size) +
             R"(,"size":)" + std::to_string(s.size) + R"(,"instance":"orthanc-id","status":"Success"})";
    }
    return R"({"sopInstanceUid":")" + sop + R"(","state":"receiving","offset":)" + std::to_string(s.bytes.size()) +
           R"(,"size":)" + std::to_string(s.size) + R"(,"sha256":")" + s.sha256 + R"("})";
  }
};

}  // namespace relais::test
