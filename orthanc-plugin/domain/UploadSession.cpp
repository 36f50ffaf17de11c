#include "domain/UploadSession.h"

#include "domain/Case.h"
#include "domain/HttpError.h"

namespace relais {

namespace {

nlohmann::json At(int64_t committed) { return {{"offset", committed}}; }

struct PieceField {
  const char* header;  // lower-case, as the request map holds it
  const char* displayed;
  const char* query;
};
const PieceField kOffset{"relais-upload-offset", "Relais-Upload-Offset", "offset"};
const PieceField kSize{"relais-upload-size", "Relais-Upload-Size", "size"};
const PieceField kSha{"relais-upload-sha256", "Relais-Upload-Sha256", "sha256"};

std::optional<std::string> Field(const std::map<std::string, std::string>& headers,
                                 const std::map<std::string, std::string>& query, const PieceField& field) {
  if (auto h = headers.find(field.header); h != headers.end()) return h->second;
  if (auto q = query.find(field.query); q != query.end()) return q->second;
  return std::nullopt;
}

int64_t NonNegative(const std::map<std::string, std::string>& headers, const std::map<std::string, std::string>& query,
                    const PieceField& field) {
  const auto text = Field(headers, query, field);
  if (!text || text->empty()) throw BadRequest(std::string("the header ") + field.displayed + " is required");
  int64_t value = 0;
  for (char ch : *text) {
    if (ch < '0' || ch > '9' || value > (INT64_MAX - 9) / 10) {
      throw BadRequest(std::string(field.displayed) + " must be a whole number of bytes, not '" + *text + "'");
    }
    value = value * 10 + (ch - '0');
  }
  return value;
}

}  // namespace

const char* ToString(UploadState state) { return state == UploadState::Stored ? "stored" : "receiving"; }

std::optional<UploadState> ParseUploadState(const std::string& text) {
  if (text == "receiving") return UploadState::Receiving;
  if (text == "stored") return UploadState::Stored;
  return std::nullopt;
}

bool IsSha256Hex(const std::string& text) {
  if (text.size() != 64) return false;
  for (char ch : text) {
    if (!((ch >= '0' && ch <= '9') || (ch >= 'a' && ch <= 'f'))) return false;
  }
  return true;
}

UploadPiece ParseUploadPiece(const std::map<std::string, std::string>& headers,
                             const std::map<std::string, std::string>& query, int64_t bodyLength) {
  UploadPiece p;
  p.offset = NonNegative(headers, query, kOffset);
  p.size = NonNegative(headers, query, kSize);
  if (p.size == 0) throw BadRequest("Relais-Upload-Size must be the instance's size in bytes, more than 0");
  const auto sha = Field(headers, query, kSha);
  if (!sha || !IsSha256Hex(*sha)) {
    throw BadRequest("Relais-Upload-Sha256 must be the SHA-256 of the whole instance in 64 lower-case hexadecimal digits");
  }
  p.sha256 = *sha;
  p.length = bodyLength;
  return p;
}

PieceAction DecidePiece(const std::optional<UploadSession>& session, const UploadPiece& piece,
                        const UploadLimits& limits, int64_t unitOpenBytes) {
  const int64_t committed = session ? session->offset : 0;
  if (piece.length > limits.maxPieceBytes) {
    throw HttpError(413, "a piece may hold at most " + std::to_string(limits.maxPieceBytes) + " bytes, this one holds " +
                             std::to_string(piece.length), At(committed));
  }
  if (piece.offset > piece.size || piece.length > piece.size - piece.offset) {
    throw BadRequest("the piece ends at byte " + std::to_string(piece.offset + piece.length) +
                     ", past the instance's size " + std::to_string(piece.size));
  }
  if (session && (session->size != piece.size || session->sha256 != piece.sha256)) {
    throw HttpError(409, "the hub holds a different file for this SOP Instance UID (size " + std::to_string(session->size) +
                             ", SHA-256 " + session->sha256 + "): delete that upload first",
                    At(committed));
  }
  if (session && session->state == UploadState::Stored) return PieceAction::AlreadyStored;
  if (piece.offset != committed) {
    const int status = session ? 409 : 404;
    throw HttpError(status, "the hub holds " + std::to_string(committed) + " bytes of this instance", At(committed));
  }
  if (session) {
    if (piece.length == 0 && !session->complete()) throw BadRequest("an empty piece adds nothing");
    return PieceAction::Append;
  }
  if (piece.length == 0) throw BadRequest("an empty piece adds nothing");
  if (unitOpenBytes + piece.size > limits.unitQuotaBytes) {
    throw HttpError(507, "the unit's upload quota of " + std::to_string(limits.unitQuotaBytes / (1024 * 1024)) +
                             " MB is full (" + std::to_string(unitOpenBytes) + " bytes are waiting)",
                    At(0));
  }
  return PieceAction::CreateSession;
}

bool UploadExpired(const UploadSession& session, int64_t now, const UploadLimits& limits) {
  return now - session.touchedAt >= limits.expireSeconds;
}

nlohmann::json UploadSessionJson(const UploadSession& session, const UploadLimits& limits) {
  nlohmann::json j = {{"sopInstanceUid", session.sopInstanceUid},
                      {"state", ToString(session.state)},
                      {"offset", session.offset},
                      {"size", session.size},
                      {"sha256", session.sha256}};
  if (session.state == UploadState::Stored) {
    j["instance"] = session.orthancId;
    j["status"] = session.storeStatus;
  } else {
    j["expiresAt"] = IsoTime(session.touchedAt + limits.expireSeconds);
  }
  return j;
}

}  // namespace relais
