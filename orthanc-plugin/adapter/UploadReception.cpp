#include "adapter/UploadReception.h"

#include <orthanc/OrthancCPlugin.h>

#include <sys/statvfs.h>

#include <chrono>
#include <set>

#include "adapter/OrthancApi.h"
#include "adapter/OrthancContext.h"
#include "domain/CaseStore.h"
#include "domain/HttpError.h"

namespace relais::adapter {

namespace {

using nlohmann::json;

json At(int64_t offset) { return {{"offset", offset}}; }

// How Orthanc's refusal of a whole, hash-checked file is answered: the file itself is wrong
// (422, the session goes: sending it again cannot help), the hub's disk is full (507, kept:
// "later"), or something passing (500, kept: the next GET or PUT tries again).
enum class Refusal { File, Storage, Passing };

// Room for `bytes` and a margin for Orthanc's index and its other files; true when the free
// space cannot be read (Orthanc's own answer then decides).
bool HasRoomFor(const std::string& directory, int64_t bytes) {
  struct statvfs disk {};
  if (::statvfs(directory.c_str(), &disk) != 0) return true;
  constexpr int64_t kMargin = 1 << 20;
  const int64_t available = static_cast<int64_t>(disk.f_bavail) * static_cast<int64_t>(disk.f_frsize);
  return available >= bytes + kMargin;
}

Refusal Classify(int code) {
  switch (code) {
    case OrthancPluginErrorCode_BadFileFormat:
    case OrthancPluginErrorCode_InexistentTag:
    case OrthancPluginErrorCode_BadRequest:
    case OrthancPluginErrorCode_ParameterOutOfRange:
    case OrthancPluginErrorCode_NotImplemented:
    case OrthancPluginErrorCode_IncompatibleImageFormat:
    case OrthancPluginErrorCode_CorruptedFile:
    case OrthancPluginErrorCode_BadParameterType:
    case OrthancPluginErrorCode_EmptyRequest:
    case OrthancPluginErrorCode_UnknownDicomTag: return Refusal::File;
    case OrthancPluginErrorCode_FullStorage:
    case OrthancPluginErrorCode_CannotWriteFile: return Refusal::Storage;
    default: return Refusal::Passing;
  }
}

void Log(const std::string& message) { OrthancPluginLogWarning(Context(), ("Relais uploads: " + message).c_str()); }

}  // namespace

UploadReception::UploadReception(Hub& hub)
    : hub_(hub), parts_(hub.config.uploadsDirectory), testDelayBeforeStoreMs_(hub.config.uploadsTestDelayBeforeStoreMs) {}

UploadReception::~UploadReception() { stop(); }

json UploadReception::where(const std::string& unit, const std::string& sopInstanceUid) {
  if (auto session = finishIfComplete(unit, sopInstanceUid)) {
    return UploadSessionJson(*session, hub_.config.uploads);
  }
  // Stored otherwise (an earlier session that expired, POST /instances, C-STORE): Orthanc says.
  if (auto found = TryPostJson("/tools/lookup", sopInstanceUid); found && found->is_array()) {
    for (const auto& r : *found) {
      if (r.value("Type", "") != "Instance") continue;
      const std::string id = r.value("ID", "");
      const auto instance = TryGetJson("/instances/" + id);
      const int64_t size = instance ? instance->value("FileSize", int64_t{0}) : 0;
      return {{"sopInstanceUid", sopInstanceUid}, {"state", "stored"}, {"offset", size}, {"size", size},
              {"instance", id}, {"status", "AlreadyStored"}};
    }
  }
  throw HttpError(404, "the hub holds nothing of instance " + sopInstanceUid + ": start at offset 0", At(0));
}

std::optional<UploadSession> UploadReception::finishIfComplete(const std::string& unit,
                                                               const std::string& sopInstanceUid) {
  auto session = hub_.uploads->find(unit, sopInstanceUid);
  if (!session || session->state != UploadState::Receiving || !session->complete()) return session;
  UploadParts::Part part = parts_.lock(session->id);
  session = hub_.uploads->byId(session->id);
  if (!session) return std::nullopt;
  if (session->state == UploadState::Receiving && session->complete()) return finish(*session, part);
  return session;
}

HttpResponse UploadReception::receive(const std::string& unit, const std::string& sopInstanceUid,
                                      const HttpRequest& request) {
  const UploadLimits& limits = hub_.config.uploads;
  const UploadPiece piece = ParseUploadPiece(request.headers, request.query, static_cast<int64_t>(request.body.size()));
  auto session = hub_.uploads->find(unit, sopInstanceUid);
  PieceAction action = DecidePiece(session, piece, limits, session ? 0 : hub_.uploads->openBytes(unit));
  if (action == PieceAction::AlreadyStored) return HttpResponse::Json(UploadSessionJson(*session, limits).dump());
  if (action == PieceAction::CreateSession) {
    const int64_t now = NowSeconds();
    session = hub_.uploads->open(unit, sopInstanceUid, piece.size, piece.sha256, now).session;
  }
  const int64_t id = session->id;
  UploadParts::Part part = parts_.lock(id);
  // Under the lock, the row is the truth: another request may have moved it meanwhile.
  session = hub_.uploads->byId(id);
  if (!session) {
    parts_.remove(id);  // the session was abandoned while we waited: its file goes too
    throw HttpError(404, "the upload of " + sopInstanceUid + " was abandoned meanwhile: start at offset 0", At(0));
  }
  action = DecidePiece(session, piece, limits, 0);
  if (action == PieceAction::AlreadyStored) return HttpResponse::Json(UploadSessionJson(*session, limits).dump());
  if (!request.body.empty()) {
    try {
      part.writeAt(piece.offset, request.body);
    } catch (const HttpError& e) {  // the disk is full: the client tries later from here
      throw HttpError(e.status(), e.what(), At(piece.offset));
    }
    const int64_t to = piece.offset + piece.length;
    if (!hub_.uploads->commitOffset(session->id, piece.offset, to, NowSeconds())) {
      throw std::runtime_error("the offset of upload " + std::to_string(session->id) + " moved under its lock");
    }
    session->offset = to;
    session->touchedAt = NowSeconds();
  }
  if (session->complete()) *session = finish(*session, part);
  return HttpResponse::Json(UploadSessionJson(*session, limits).dump());
}

UploadSession UploadReception::finish(const UploadSession& session, UploadParts::Part& part) {
  const std::string hash = part.sha256(session.size);
  if (part.length() < session.size || hash != session.sha256) {
    part.truncate(0);
    hub_.uploads->restart(session.id, NowSeconds());
    throw HttpError(422,
                    "the instance's SHA-256 " + hash + " does not match the announced " + session.sha256 +
                        ": send it again from offset 0",
                    At(0));
  }
  // Orthanc 1.10.1 answers "Success" for a small instance on a full disk and keeps no file
  // (measured on a full tmpfs: the index has the instance, the storage folder does not), so
  // the room is checked here, before the unit is told its instance is safe.
  if (!HasRoomFor(hub_.config.storageDirectory, session.size)) {
    throw HttpError(507, "the hub's storage is full", At(session.offset));
  }
  // Recorded before the store: the router must never see this instance as the hub's own.
  hub_.uploads->recordReceived(session.sopInstanceUid, session.unit, NowSeconds());
  const std::string bytes = part.read(session.size);
  if (testDelayBeforeStoreMs_ > 0) std::this_thread::sleep_for(std::chrono::milliseconds(testDelayBeforeStoreMs_));
  const OrthancAnswer answer = Post("/instances", bytes);
  if (!answer.ok()) {
    switch (Classify(answer.errorCode)) {
      case Refusal::File:
        hub_.uploads->forgetReceived(session.sopInstanceUid);
        parts_.remove(session.id);
        hub_.uploads->remove(session.id);
        throw HttpError(422, "Orthanc refused the instance: " + answer.error, At(0));
      case Refusal::Storage: throw HttpError(507, "the hub's storage is full", At(session.offset));
      case Refusal::Passing:
        throw std::runtime_error("Orthanc could not store the instance now (" + answer.error + "); ask again later");
    }
  }
  const json stored = json::parse(answer.body);
  const std::string status = stored.value("Status", "");
  const std::string id = stored.value("ID", "");
  if (status != "Success" && status != "AlreadyStored") {
    hub_.uploads->forgetReceived(session.sopInstanceUid);
    parts_.remove(session.id);
    hub_.uploads->remove(session.id);
    throw HttpError(422, "Orthanc did not keep the instance (" + status + ")", At(0));
  }
  const auto tags = TryGetJson("/instances/" + id);
  const std::string storedUid =
      tags && tags->contains("MainDicomTags") ? (*tags)["MainDicomTags"].value("SOPInstanceUID", "") : "";
  if (storedUid != session.sopInstanceUid) {
    // The file is another instance than the URL names: keep nothing of it under this name.
    if (status == "Success") OrthancPluginRestApiDelete(Context(), ("/instances/" + id).c_str());
    hub_.uploads->forgetReceived(session.sopInstanceUid);
    parts_.remove(session.id);
    hub_.uploads->remove(session.id);
    throw HttpError(422, "the file's SOP Instance UID is " + storedUid + ", not " + session.sopInstanceUid, At(0));
  }
  hub_.uploads->markStored(session.id, id, status, NowSeconds());
  parts_.remove(session.id);
  UploadSession done = session;
  done.state = UploadState::Stored;
  done.offset = done.size;
  done.orthancId = id;
  done.storeStatus = status;
  return done;
}

void UploadReception::abandon(const std::string& unit, const std::string& sopInstanceUid) {
  auto session = hub_.uploads->find(unit, sopInstanceUid);
  if (!session || session->state != UploadState::Receiving) {
    throw HttpError(404, "no upload of " + sopInstanceUid + " is open for unit " + unit, At(0));
  }
  UploadParts::Part part = parts_.lock(session->id);
  parts_.remove(session->id);
  hub_.uploads->remove(session->id);
}

int UploadReception::sweep(int64_t now) {
  int removed = 0;
  for (const UploadSession& old : hub_.uploads->untouchedSince(now - hub_.config.uploads.expireSeconds + 1)) {
    if (old.state == UploadState::Stored) {  // nothing can write to it any more: no lock needed
      hub_.uploads->remove(old.id);
      parts_.remove(old.id);
      ++removed;
      continue;
    }
    UploadParts::Part part = parts_.lock(old.id);
    const auto current = hub_.uploads->byId(old.id);
    if (current && !UploadExpired(*current, now, hub_.config.uploads)) continue;  // a piece came meanwhile
    parts_.remove(old.id);
    if (current) {
      hub_.uploads->remove(old.id);
      ++removed;
      if (current->state == UploadState::Receiving) {
        Log("abandoned upload of " + old.sopInstanceUid + " from " + old.unit + " removed (" +
            std::to_string(old.offset) + " of " + std::to_string(old.size) + " bytes)");
      }
    }
  }
  // Files no receiving session owns: a stored session's file left by a hub killed before it
  // removed it, or a session removed while its file was being created.
  for (int64_t id : parts_.present()) {
    const auto session = hub_.uploads->byId(id);
    if (session && session->state == UploadState::Receiving) continue;
    UploadParts::Part part = parts_.lock(id);
    const auto again = hub_.uploads->byId(id);
    if (!again || again->state != UploadState::Receiving) parts_.remove(id);
  }
  return removed;
}

void UploadReception::start() { thread_ = std::thread([this] { loop(); }); }

void UploadReception::stop() {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_all();
  if (thread_.joinable()) thread_.join();
}

void UploadReception::loop() {
  std::unique_lock<std::mutex> lock(mutex_);
  while (!stopping_) {
    wake_.wait_for(lock, std::chrono::seconds(hub_.config.sweepSeconds));
    if (stopping_) break;
    lock.unlock();
    try {
      sweep(NowSeconds());
    } catch (const std::exception& e) {
      Log(std::string("sweep failed: ") + e.what());
    }
    lock.lock();
  }
}

void RegisterUploadRoutes(Router& router, UploadReception& uploads) {
  auto unitOf = [](const HttpRequest& r) -> std::string {
    if (!r.account) throw Unauthorized("sign in first");
    if (r.account->unit.empty()) throw Forbidden("only a unit's account uploads instances");
    return r.account->unit;
  };
  router.add("GET", "/relais/v1/uploads/{sop}", [&uploads, unitOf](const HttpRequest& r) {
    return HttpResponse::Json(uploads.where(unitOf(r), r.param("sop")).dump());
  });
  router.add("PUT", "/relais/v1/uploads/{sop}", [&uploads, unitOf](const HttpRequest& r) {
    return uploads.receive(unitOf(r), r.param("sop"), r);
  });
  router.add("DELETE", "/relais/v1/uploads/{sop}", [&uploads, unitOf](const HttpRequest& r) {
    uploads.abandon(unitOf(r), r.param("sop"));
    HttpResponse answer;
    answer.status = 204;
    return answer;
  });
}

}  // namespace relais::adapter
