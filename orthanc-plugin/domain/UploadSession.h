#pragma once
// The rules of a resumable upload (docs/upload-protocol, issue #17), without files, database or
// Orthanc: one session per (unit, SOP Instance UID) holds how many bytes of the instance the
// hub has committed durably; a piece is accepted only at that offset, only for the file the
// session was opened for, within the unit's quota and the piece limit. The adapter asks these
// functions, then writes, fsyncs and commits in that order.
//
// Refusals are HttpError whose details carry {"offset": committed}, so a client always learns
// where to continue from.
#include <cstdint>
#include <map>
#include <optional>
#include <string>

#include <nlohmann/json.hpp>

namespace relais {

enum class UploadState { Receiving, Stored };
const char* ToString(UploadState state);
std::optional<UploadState> ParseUploadState(const std::string& text);

struct UploadSession {
  int64_t id = 0;
  std::string unit;
  std::string sopInstanceUid;
  int64_t size = 0;      // bytes of the whole instance file
  std::string sha256;    // lower-case hex of the whole file
  int64_t offset = 0;    // bytes committed (written and fsynced)
  UploadState state = UploadState::Receiving;
  std::string orthancId;    // once stored
  std::string storeStatus;  // "Success" | "AlreadyStored", once stored
  int64_t createdAt = 0;
  int64_t touchedAt = 0;    // last piece or creation (unix seconds): expiry counts from here

  // Every byte is committed: the whole file only waits for its hash check and the store.
  bool complete() const { return offset == size; }
};

struct UploadLimits {
  int64_t maxPieceBytes = 16 * 1024 * 1024;
  int64_t unitQuotaBytes = int64_t{4096} * 1024 * 1024;
  int64_t expireSeconds = 72 * 3600;
};

// One PUT: headers Relais-Upload-Offset / -Size / -Sha256 (Orthanc 1.10.1 gives a plugin the
// query string of GET requests only; ?offset=&size=&sha256= are read too when present) and a
// body of `length` bytes.
struct UploadPiece {
  int64_t offset = 0;
  int64_t size = 0;
  std::string sha256;
  int64_t length = 0;
};

// Reads and checks a PUT's headers (lower-case names) and query (400 naming the header when
// a value is missing or wrong).
UploadPiece ParseUploadPiece(const std::map<std::string, std::string>& headers,
                             const std::map<std::string, std::string>& query, int64_t bodyLength);

// True for 64 lower-case hexadecimal digits.
bool IsSha256Hex(const std::string& text);

enum class PieceAction {
  CreateSession,  // no session yet: create it (then append at 0)
  Append,         // append at the session's committed offset
  AlreadyStored,  // the session is stored: answer where it stands, write nothing
};

// What to do with a piece given the caller's session for that instance (if any) and the bytes
// of the unit's other open sessions (for the quota). Throws HttpError: 413 piece too large,
// 400 piece past the declared size, 404 no session and offset != 0, 409 another file or
// another offset (with the committed one), 507 quota full.
PieceAction DecidePiece(const std::optional<UploadSession>& session, const UploadPiece& piece,
                        const UploadLimits& limits, int64_t unitOpenBytes);

// Whether a session is abandoned: untouched for the configured time.
bool UploadExpired(const UploadSession& session, int64_t now, const UploadLimits& limits);

// The JSON a client reads (GET and PUT answers): state, offset, size, and where it is stored.
nlohmann::json UploadSessionJson(const UploadSession& session, const UploadLimits& limits);

}  // namespace relais
