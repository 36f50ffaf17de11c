#include "outbox/Outbox.h"

#include <signal.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cstdlib>

#include "outbox/DiskFlush.h"
#include "outbox/OutboxError.h"
#include "outbox/SqliteDatabase.h"
#include "outbox/Timestamps.h"

namespace relais::outbox {

namespace fs = std::filesystem;

namespace {

// Copies `from` to `to` so that, whatever happens, `to` is either absent/unchanged or the
// complete, flushed copy.
void DurableCopy(const fs::path& from, const fs::path& tmpDir, const fs::path& to) {
  static std::atomic<int> counter{0};
  fs::path tmp = tmpDir / (std::to_string(::getpid()) + "-" + std::to_string(counter++) + ".part");
  std::error_code ec;
  fs::copy_file(from, tmp, fs::copy_options::overwrite_existing, ec);
  if (ec) {
    std::error_code ignored;
    fs::remove(tmp, ignored);  // a disk that filled up mid-copy leaves no partial file
    throw OutboxError("cannot copy " + from.string() + " into the outbox: " + ec.message());
  }
  FlushFileToDisk(tmp);
  fs::create_directories(to.parent_path());
  fs::rename(tmp, to, ec);
  if (ec) {
    fs::remove(tmp, ec);
    throw OutboxError("cannot move " + from.string() + " into the outbox: " + ec.message());
  }
  FlushFolderToDisk(to.parent_path());
}

// Temporary copies whose writer process is gone can only come from a crash.
void RemoveStaleTemporaries(const fs::path& tmpDir) {
  std::error_code ec;
  for (const auto& entry : fs::directory_iterator(tmpDir, ec)) {
    const std::string name = entry.path().filename().string();
    const auto dash = name.find('-');
    if (dash == std::string::npos) continue;
    pid_t pid = static_cast<pid_t>(std::atol(name.substr(0, dash).c_str()));
    if (pid > 0 && pid != ::getpid() && ::kill(pid, 0) == 0) continue;
    if (pid == ::getpid()) continue;
    fs::remove(entry.path(), ec);
  }
}

const char* kSchema = R"sql(
CREATE TABLE IF NOT EXISTS studies (
  study_uid TEXT PRIMARY KEY,
  priority INTEGER NOT NULL,
  enqueued_at INTEGER NOT NULL,
  manifest_ack TEXT,
  manifest_acked_at INTEGER,
  last_error TEXT
);
CREATE TABLE IF NOT EXISTS instances (
  sop_uid TEXT PRIMARY KEY,
  study_uid TEXT NOT NULL REFERENCES studies(study_uid),
  sop_class_uid TEXT NOT NULL,
  transfer_syntax TEXT NOT NULL,
  file TEXT NOT NULL,
  bytes INTEGER NOT NULL,
  state TEXT NOT NULL CHECK (state IN ('pending', 'sent', 'refused')),
  attempts INTEGER NOT NULL DEFAULT 0,
  last_error TEXT,
  answer TEXT,
  enqueued_at INTEGER NOT NULL,
  sent_at INTEGER
);
CREATE INDEX IF NOT EXISTS instances_by_study ON instances(study_uid, state);
CREATE TABLE IF NOT EXISTS account_refusal (
  id INTEGER PRIMARY KEY CHECK (id = 1),
  fingerprint TEXT NOT NULL,
  message TEXT NOT NULL,
  at INTEGER NOT NULL
);
)sql";

// Columns added after the first outboxes were created in the field.
void Migrate(SqliteDatabase& db) {
  bool hasCommitted = false;
  auto q = db.prepare("PRAGMA table_info(instances)");
  while (q.step()) hasCommitted = hasCommitted || q.text(1) == "committed";
  if (!hasCommitted) db.exec("ALTER TABLE instances ADD COLUMN committed INTEGER NOT NULL DEFAULT 0");
}

}  // namespace

std::string StudyStatus::state() const {
  if (refused > 0) return "failed";
  if (pending > 0) return "waiting";
  if (!manifestAck) return "manifest-due";
  return "sent";
}

Outbox::Outbox(fs::path directory) : directory_(std::move(directory)) {
  std::error_code ec;
  fs::create_directories(directory_ / "tmp", ec);
  if (ec) throw OutboxError("cannot create the outbox folder " + directory_.string() + ": " + ec.message());
  fs::create_directories(directory_ / "studies", ec);
  db_ = std::make_unique<SqliteDatabase>(directory_ / "outbox.db");
  db_->exec(kSchema);
  Migrate(*db_);
  RemoveStaleTemporaries(directory_ / "tmp");
}

Outbox::~Outbox() = default;

struct Outbox::Copied {
  DicomIdentity identity;
  Priority priority = Priority::Routine;
  fs::path relative;  // the outbox's file, relative to the directory
  bool copied = false;  // false: already in the outbox, nothing copied
  int64_t bytes = 0;
};

std::optional<std::string> Outbox::knownFile(const std::string& sopInstanceUid) {
  auto q = db_->prepare("SELECT file FROM instances WHERE sop_uid = ?");
  q.bind(1, sopInstanceUid);
  std::optional<std::string> file;
  if (q.step()) file = q.text(0);
  while (q.step()) {}
  return file;
}

Outbox::Copied Outbox::copyIn(const fs::path& dicomFile, const DicomIdentity& identity, std::optional<Priority> priority) {
  Copied copied;
  copied.identity = identity;
  copied.priority = priority.value_or(identity.priority);
  if (auto file = knownFile(identity.sopInstanceUid)) {
    copied.relative = *file;
    return copied;
  }
  copied.relative = fs::path("studies") / copied.identity.studyInstanceUid / (copied.identity.sopInstanceUid + ".dcm");
  DurableCopy(dicomFile, directory_ / "tmp", directory_ / copied.relative);
  copied.copied = true;
  copied.bytes = static_cast<int64_t>(fs::file_size(directory_ / copied.relative));
  return copied;
}

bool Outbox::record(const Copied& copied) {
  if (!copied.copied) return false;
  const DicomIdentity& id = copied.identity;
  const int64_t now = NowMs();
  db_->prepare("INSERT OR IGNORE INTO studies (study_uid, priority, enqueued_at) VALUES (?, ?, ?)")
      .bind(1, id.studyInstanceUid)
      .bind(2, static_cast<int64_t>(copied.priority))
      .bind(3, now)
      .run();
  db_->prepare("INSERT OR IGNORE INTO instances (sop_uid, study_uid, sop_class_uid, transfer_syntax, file, bytes, "
               "state, enqueued_at) VALUES (?, ?, ?, ?, ?, ?, 'pending', ?)")
      .bind(1, id.sopInstanceUid)
      .bind(2, id.studyInstanceUid)
      .bind(3, id.sopClassUid)
      .bind(4, id.transferSyntaxUid)
      .bind(5, copied.relative.string())
      .bind(6, copied.bytes)
      .bind(7, now)
      .run();
  const bool added = db_->changes() == 1;
  if (added) {
    // A study that grows after its manifest was acknowledged must be announced again.
    db_->prepare("UPDATE studies SET manifest_ack = NULL, manifest_acked_at = NULL, "
                 "priority = MIN(priority, ?) WHERE study_uid = ?")
        .bind(1, static_cast<int64_t>(copied.priority))
        .bind(2, id.studyInstanceUid)
        .run();
  }
  return added;
}

EnqueueResult Outbox::enqueue(const fs::path& dicomFile, std::optional<Priority> priority) {
  return enqueueFiles({dicomFile}, priority).front();
}

std::vector<EnqueueResult> Outbox::enqueueFiles(const std::vector<fs::path>& dicomFiles,
                                                std::optional<Priority> priority) {
  std::vector<DicomIdentity> identities;  // refuse the list before copying anything
  identities.reserve(dicomFiles.size());
  for (const auto& file : dicomFiles) identities.push_back(ReadDicomIdentity(file));
  std::vector<Copied> copies;
  copies.reserve(dicomFiles.size());
  // After a failure, the copies no row refers to (another process may have enqueued the same
  // instance meanwhile: its file stays).
  auto removeCopies = [&] {
    for (const auto& c : copies) {
      try {
        std::error_code ignored;
        if (c.copied && !knownFile(c.identity.sopInstanceUid)) {
          fs::remove(directory_ / c.relative, ignored);
          fs::remove((directory_ / c.relative).parent_path(), ignored);  // a new study's folder, if now empty
        }
      } catch (const std::exception&) {
        // The original failure is the one to report; a file left here is harmless (see Outbox.h).
      }
    }
  };
  std::vector<EnqueueResult> results;
  results.reserve(dicomFiles.size());
  try {
    for (std::size_t i = 0; i < dicomFiles.size(); ++i) copies.push_back(copyIn(dicomFiles[i], identities[i], priority));
    SqliteDatabase::Transaction tx(*db_);
    for (const auto& c : copies) {
      results.push_back({c.identity.sopInstanceUid, c.identity.studyInstanceUid, record(c), directory_ / c.relative});
    }
    tx.commit();
  } catch (...) {
    removeCopies();
    throw;
  }
  return results;
}

std::vector<EnqueueResult> Outbox::enqueueFolder(const fs::path& folder, std::optional<Priority> priority) {
  std::error_code ec;
  if (!fs::is_directory(folder, ec)) throw OutboxError(folder.string() + " is not a folder");
  std::vector<fs::path> files;
  for (const auto& entry : fs::recursive_directory_iterator(folder, ec)) {
    if (entry.is_regular_file()) files.push_back(entry.path());
  }
  if (ec) throw OutboxError("cannot list " + folder.string() + ": " + ec.message());
  if (files.empty()) throw OutboxError(folder.string() + " holds no files");
  std::sort(files.begin(), files.end());
  return enqueueFiles(files, priority);
}

std::vector<PendingInstance> Outbox::nextPending(size_t limit) {
  auto q = db_->prepare(
      "SELECT i.sop_uid, i.study_uid, i.sop_class_uid, i.transfer_syntax, i.file, i.bytes, i.attempts, s.priority "
      "FROM instances i JOIN studies s ON s.study_uid = i.study_uid WHERE i.state = 'pending' "
      "ORDER BY s.priority, s.enqueued_at, s.study_uid, i.enqueued_at, i.rowid LIMIT ?");
  q.bind(1, static_cast<int64_t>(limit));
  std::vector<PendingInstance> out;
  while (q.step()) {
    out.push_back({q.text(0), q.text(1), q.text(2), q.text(3), directory_ / q.text(4), q.integer(5),
                   static_cast<int>(q.integer(6)), static_cast<Priority>(q.integer(7))});
  }
  return out;
}

void Outbox::markSent(const std::string& sopInstanceUid, const std::string& receiverAnswer) {
  db_->prepare("UPDATE instances SET state = 'sent', answer = ?, sent_at = ?, last_error = NULL WHERE sop_uid = ?")
      .bind(1, receiverAnswer)
      .bind(2, NowMs())
      .bind(3, sopInstanceUid)
      .run();
}

void Outbox::markAttemptFailed(const std::string& sopInstanceUid, const std::string& reason) {
  db_->prepare("UPDATE instances SET attempts = attempts + 1, last_error = ? WHERE sop_uid = ?")
      .bind(1, reason)
      .bind(2, sopInstanceUid)
      .run();
}

void Outbox::markRefused(const std::string& sopInstanceUid, const std::string& reason) {
  db_->prepare("UPDATE instances SET state = 'refused', attempts = attempts + 1, last_error = ? WHERE sop_uid = ?")
      .bind(1, reason)
      .bind(2, sopInstanceUid)
      .run();
}

void Outbox::recordCommitted(const std::string& sopInstanceUid, int64_t bytes) {
  db_->prepare("UPDATE instances SET committed = ? WHERE sop_uid = ? AND state = 'pending'")
      .bind(1, bytes)
      .bind(2, sopInstanceUid)
      .run();
}

bool Outbox::morePressingPending(Priority priority) {
  auto q = db_->prepare(
      "SELECT EXISTS (SELECT 1 FROM instances i JOIN studies s ON s.study_uid = i.study_uid "
      "WHERE i.state = 'pending' AND s.priority < ?)");
  q.bind(1, static_cast<int64_t>(priority));
  const bool found = q.step() && q.integer(0) != 0;
  while (q.step()) {}
  return found;
}

std::optional<AccountRefusal> Outbox::accountRefusal() {
  auto q = db_->prepare("SELECT fingerprint, message, at FROM account_refusal WHERE id = 1");
  std::optional<AccountRefusal> r;
  if (q.step()) r = AccountRefusal{q.text(0), q.text(1), q.integer(2)};
  while (q.step()) {}
  return r;
}

void Outbox::recordAccountRefusal(const std::string& fingerprint, const std::string& message) {
  db_->prepare("INSERT OR REPLACE INTO account_refusal (id, fingerprint, message, at) VALUES (1, ?, ?, ?)")
      .bind(1, fingerprint)
      .bind(2, message)
      .bind(3, NowMs())
      .run();
}

void Outbox::clearAccountRefusal() { db_->exec("DELETE FROM account_refusal"); }

int Outbox::retryRefused() {
  db_->exec("UPDATE instances SET state = 'pending' WHERE state = 'refused'");
  return static_cast<int>(db_->changes());
}

std::vector<ManifestDue> Outbox::manifestsDue() {
  std::vector<ManifestDue> due;
  {
    auto q = db_->prepare(
        "SELECT s.study_uid, s.priority FROM studies s WHERE s.manifest_acked_at IS NULL "
        "AND EXISTS (SELECT 1 FROM instances i WHERE i.study_uid = s.study_uid) "
        "AND NOT EXISTS (SELECT 1 FROM instances i WHERE i.study_uid = s.study_uid AND i.state <> 'sent') "
        "ORDER BY s.priority, s.enqueued_at");
    while (q.step()) due.push_back({q.text(0), static_cast<Priority>(q.integer(1)), {}});
  }
  for (auto& study : due) {
    auto q = db_->prepare("SELECT sop_uid FROM instances WHERE study_uid = ? ORDER BY enqueued_at, rowid");
    q.bind(1, study.studyInstanceUid);
    while (q.step()) study.sopInstanceUids.push_back(q.text(0));
  }
  return due;
}

void Outbox::recordManifestAck(const std::string& studyInstanceUid, const std::string& ack) {
  db_->prepare("UPDATE studies SET manifest_ack = ?, manifest_acked_at = ?, last_error = NULL WHERE study_uid = ?")
      .bind(1, ack)
      .bind(2, NowMs())
      .bind(3, studyInstanceUid)
      .run();
}

void Outbox::recordStudyError(const std::string& studyInstanceUid, const std::string& reason) {
  db_->prepare("UPDATE studies SET last_error = ? WHERE study_uid = ?").bind(1, reason).bind(2, studyInstanceUid).run();
}

namespace {
const char* kStudyColumns =
    "SELECT s.study_uid, s.priority, "
    "SUM(i.state = 'pending'), SUM(i.state = 'sent'), SUM(i.state = 'refused'), "
    "SUM(i.bytes), SUM(CASE WHEN i.state = 'sent' THEN i.bytes WHEN i.state = 'pending' THEN i.committed ELSE 0 END), "
    "SUM(i.attempts), "
    "s.manifest_ack, COALESCE(s.last_error, (SELECT last_error FROM instances e WHERE e.study_uid = s.study_uid "
    "AND e.last_error IS NOT NULL ORDER BY e.rowid DESC LIMIT 1)) "
    "FROM studies s JOIN instances i ON i.study_uid = s.study_uid ";

StudyStatus ReadStudy(const SqliteDatabase::Statement& q) {
  StudyStatus s;
  s.studyInstanceUid = q.text(0);
  s.priority = static_cast<Priority>(q.integer(1));
  s.pending = static_cast<int>(q.integer(2));
  s.sent = static_cast<int>(q.integer(3));
  s.refused = static_cast<int>(q.integer(4));
  s.bytesTotal = q.integer(5);
  s.bytesSent = q.integer(6);
  s.attempts = static_cast<int>(q.integer(7));
  s.manifestAck = q.optionalText(8);
  s.lastError = q.optionalText(9);
  return s;
}
}  // namespace

std::vector<StudyStatus> Outbox::studies() {
  auto q = db_->prepare(std::string(kStudyColumns) + "GROUP BY s.study_uid ORDER BY s.priority, s.enqueued_at");
  std::vector<StudyStatus> out;
  while (q.step()) out.push_back(ReadStudy(q));
  return out;
}

std::optional<StudyStatus> Outbox::study(const std::string& studyInstanceUid) {
  auto q = db_->prepare(std::string(kStudyColumns) + "WHERE s.study_uid = ? GROUP BY s.study_uid");
  q.bind(1, studyInstanceUid);
  if (!q.step()) return std::nullopt;
  StudyStatus s = ReadStudy(q);
  while (q.step()) {}
  return s;
}

std::vector<InstanceStatus> Outbox::instances(const std::string& studyInstanceUid) {
  auto q = db_->prepare(
      "SELECT sop_uid, state, attempts, last_error, answer FROM instances WHERE study_uid = ? ORDER BY enqueued_at, rowid");
  q.bind(1, studyInstanceUid);
  std::vector<InstanceStatus> out;
  while (q.step()) out.push_back({q.text(0), q.text(1), static_cast<int>(q.integer(2)), q.optionalText(3), q.optionalText(4)});
  return out;
}

int Outbox::pendingCount() {
  auto q = db_->prepare("SELECT COUNT(*) FROM instances WHERE state = 'pending'");
  q.step();
  int n = static_cast<int>(q.integer(0));
  while (q.step()) {}
  return n;
}

std::optional<int64_t> Outbox::lastEnqueuedAt(const std::string& studyInstanceUid) {
  auto q = db_->prepare("SELECT MAX(enqueued_at) FROM instances WHERE study_uid = ?");
  q.bind(1, studyInstanceUid);
  std::optional<int64_t> at;
  if (q.step() && !q.isNull(0)) at = q.integer(0);
  while (q.step()) {}
  return at;
}

}  // namespace relais::outbox
