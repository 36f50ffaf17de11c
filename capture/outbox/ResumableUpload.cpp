#include "outbox/ResumableUpload.h"

#include <fstream>
#include <thread>

#include <nlohmann/json.hpp>

namespace relais::outbox {

namespace {

nlohmann::json Json(const HubAnswer& a) {
  nlohmann::json j = nlohmann::json::parse(a.body, nullptr, false);
  return j.is_object() ? j : nlohmann::json::object();
}

int64_t OffsetIn(const nlohmann::json& j) {
  const auto it = j.find("offset");
  return it != j.end() && it->is_number_integer() ? it->get<int64_t>() : -1;
}

std::string ErrorIn(const HubAnswer& a) {
  const auto j = Json(a);
  if (j.contains("error") && j["error"].is_string()) return j["error"].get<std::string>();
  return Excerpt(a.body);
}

std::string StoredDetail(const nlohmann::json& j) {
  return j.value("status", std::string("Success")) + " " + j.value("instance", std::string());
}

std::vector<unsigned char> ReadPiece(const std::filesystem::path& file, int64_t offset, int64_t bytes) {
  std::ifstream in(file, std::ios::binary);
  std::vector<unsigned char> piece(static_cast<size_t>(bytes));
  in.seekg(offset);
  in.read(reinterpret_cast<char*>(piece.data()), bytes);
  if (!in || in.gcount() != bytes) throw std::runtime_error("cannot read " + file.string());
  return piece;
}

}  // namespace

ResumableUpload::ResumableUpload(UploadChannel& channel, PieceSizer& sizer, int promptResumes, Pause pause)
    : channel_(channel), sizer_(sizer), promptResumes_(promptResumes), pause_(std::move(pause)) {
  if (!pause_) pause_ = [](std::chrono::milliseconds d) { std::this_thread::sleep_for(d); };
}

SendOutcome ResumableUpload::send(const UploadFile& f, const SendHooks& hooks) {
  // A file of one piece goes straight out (one round trip); a larger one may have a session
  // on the hub already (an earlier run, a yield): ask first rather than send a piece twice.
  noUploadRoute_ = false;
  bool ask = f.size > sizer_.next();
  int64_t offset = 0;
  int resumes = 0;      // prompt resumes since the last piece that went through
  int detours = 0;      // answers that moved us without progress (409, 413, a restart)
  bool restarted = false;
  std::string lastProblem;
  while (true) {
    if (detours > 8) return SendOutcome::retry("the hub keeps moving the upload without progress: " + lastProblem);
    try {
      if (ask) {
        const HubAnswer a = channel_.where(f.sopInstanceUid);
        ask = false;
        if (a.status == 401 || a.status == 403) return SendOutcome::accountRefused(std::to_string(a.status));
        if (a.status == 404) {
          offset = 0;
        } else if (a.status == 200) {
          const auto j = Json(a);
          if (j.value("state", std::string()) == "stored") {
            if (hooks.onPiece) hooks.onPiece(f.size, 0, 0);
            return SendOutcome::stored(StoredDetail(j));
          }
          offset = std::max<int64_t>(0, OffsetIn(j));
          if (j.value("size", f.size) != f.size || j.value("sha256", f.sha256) != f.sha256) {
            // The hub holds the start of another file under this UID (the outbox copy was
            // replaced): that session cannot be continued.
            channel_.abandon(f.sopInstanceUid);
            offset = 0;
            ++detours;
          }
        } else if (a.status == 422) {
          // A GET on a complete session stores it, and Orthanc may refuse the file then.
          return SendOutcome::refused("the hub refused it: HTTP 422: " + ErrorIn(a));
        } else {
          return SendOutcome::retry("the hub cannot say where the upload stands: HTTP " + std::to_string(a.status) +
                                    ": " + ErrorIn(a));
        }
      }
      if (offset > 0 && offset < f.size && hooks.moreUrgentWaiting && hooks.moreUrgentWaiting()) {
        return SendOutcome::yielded("set aside at byte " + std::to_string(offset) + " for a more urgent instance");
      }
      const int64_t n = std::min(sizer_.next(), f.size - offset);
      if (hooks.beforePiece) hooks.beforePiece(n);
      const auto started = std::chrono::steady_clock::now();
      const HubAnswer a = channel_.put(f.sopInstanceUid, offset, f.size, f.sha256, ReadPiece(f.file, offset, n));
      const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
      const auto j = Json(a);
      switch (a.status) {
        case 200:
        case 201: {
          const int64_t committed = OffsetIn(j);
          if (j.value("state", std::string()) == "stored") {
            if (hooks.onPiece) hooks.onPiece(f.size, n, seconds);
            if (n > 0) sizer_.recordPiece(n, seconds);
            return SendOutcome::stored(StoredDetail(j));
          }
          if (committed < 0) return SendOutcome::retry("the hub answered a piece without an offset: " + Excerpt(a.body));
          if (committed == offset + n && n > 0) {
            sizer_.recordPiece(n, seconds);
            resumes = 0;
            detours = 0;
          } else {
            ++detours;
          }
          offset = committed;
          if (hooks.onPiece) hooks.onPiece(offset, n, seconds);
          if (offset >= f.size) ask = true;  // all there but not stored yet: GET finishes it
          break;
        }
        case 409: {
          const int64_t theirs = OffsetIn(j);
          lastProblem = "HTTP 409: " + ErrorIn(a);
          ++detours;
          if (theirs >= 0 && theirs != offset) {
            offset = theirs;
            if (offset >= f.size) ask = true;
          } else {
            // Same offset yet a conflict: the hub's session is for another file.
            channel_.abandon(f.sopInstanceUid);
            offset = 0;
          }
          break;
        }
        case 413:
          lastProblem = "HTTP 413: a piece of " + std::to_string(n) + " bytes is too large for the hub";
          sizer_.recordTooLarge(n);
          ++detours;
          break;
        case 422: {
          // A hash mismatch restarts the session at 0 (bytes damaged on the way): send again
          // once; a second mismatch, or Orthanc refusing the file, needs a person.
          const std::string why = ErrorIn(a);
          if (!restarted && OffsetIn(j) == 0 && why.find("SHA-256") != std::string::npos) {
            restarted = true;
            offset = 0;
            ++detours;
            break;
          }
          return SendOutcome::refused("the hub refused it: HTTP 422: " + why);
        }
        case 401:
        case 403:
          return SendOutcome::accountRefused(std::to_string(a.status));
        case 507:
          return SendOutcome::retry("HTTP 507: " + ErrorIn(a));
        case 404:
          // The session was abandoned (expiry, DELETE) while this piece waited: the hub says
          // where to start again. A 404 without an offset is a hub without the upload routes.
          if (OffsetIn(j) == 0) {
            lastProblem = "HTTP 404: " + ErrorIn(a);
            offset = 0;
            ++detours;
            break;
          }
          noUploadRoute_ = true;
          return SendOutcome::retry("the hub has no upload route (HTTP 404): " + ErrorIn(a));
        default:
          if (a.status >= 500 || a.status == 404 || a.status == 408 || a.status == 429) {
            return SendOutcome::retry("HTTP " + std::to_string(a.status) + ": " + ErrorIn(a));
          }
          return SendOutcome::refused("the hub refused it: HTTP " + std::to_string(a.status) + ": " + ErrorIn(a));
      }
    } catch (const HubUnreachable& e) {
      // A cut: the committed offset on the hub is what counts; ask for it at once, with a
      // short pause that grows while the link stays down (0.6 s in all by default), then the
      // forwarder's backoff takes over.
      sizer_.recordCut();
      lastProblem = e.what();
      if (++resumes > promptResumes_) return SendOutcome::retry(e.what());
      pause_(std::chrono::milliseconds(100) * resumes);
      ask = true;
    }
  }
}

}  // namespace relais::outbox
