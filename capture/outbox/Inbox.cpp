#include "outbox/Inbox.h"

#include <cctype>
#include <fstream>

#include "outbox/DiskFlush.h"
#include "outbox/OutboxError.h"
#include "outbox/SqliteDatabase.h"
#include "outbox/Timestamps.h"

namespace relais::outbox {

namespace fs = std::filesystem;

namespace {

bool IsSafeName(const std::string& name) {
  if (name.empty() || name.size() > 100 || name == "." || name == "..") return false;
  for (char c : name) {
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '-' && c != '_' && c != '.') return false;
  }
  return true;
}

std::string Text(const nlohmann::json& item, const char* key) {
  auto it = item.find(key);
  if (it == item.end() || it->is_null()) return {};
  return it->is_string() ? it->get<std::string>() : it->dump();
}

const char* kSchema = R"sql(
CREATE TABLE IF NOT EXISTS inbox (
  id TEXT PRIMARY KEY,
  case_id INTEGER,
  kind TEXT NOT NULL,
  study_uid TEXT,
  created_at TEXT,
  message TEXT,
  folder TEXT NOT NULL,
  received_at INTEGER NOT NULL,
  acknowledged_at INTEGER,
  opened_at INTEGER
);
)sql";

}  // namespace

std::string Inbox::IdOf(const nlohmann::json& item) {
  if (!item.is_object() || !item.contains("id") || item["id"].is_null()) {
    throw OutboxError("the hub sent an inbox item without an id: " + item.dump().substr(0, 200));
  }
  const std::string id = item["id"].is_string() ? item["id"].get<std::string>() : item["id"].dump();
  if (!IsSafeName(id)) throw OutboxError("the hub sent an inbox item with an unusable id: " + id);
  return id;
}

Inbox::Inbox(const fs::path& outboxDirectory) : directory_(outboxDirectory) {
  std::error_code ec;
  fs::create_directories(directory_ / "inbox", ec);
  if (ec) throw OutboxError("cannot create " + (directory_ / "inbox").string() + ": " + ec.message());
  db_ = std::make_unique<SqliteDatabase>(directory_ / "outbox.db");
  db_->exec(kSchema);
}

Inbox::~Inbox() = default;

bool Inbox::has(const std::string& id) {
  auto q = db_->prepare("SELECT 1 FROM inbox WHERE id = ?");
  q.bind(1, id);
  bool found = q.step();
  while (found && q.step()) {}
  return found;
}

void Inbox::receive(const nlohmann::json& item, const std::map<std::string, std::string>& documents) {
  const std::string id = IdOf(item);
  if (has(id)) return;
  const fs::path relative = fs::path("inbox") / id;
  const fs::path folder = directory_ / relative;
  fs::create_directories(folder);
  auto write = [&](const std::string& name, const std::string& bytes) {
    if (!IsSafeName(name)) throw OutboxError("refusing to store an inbox document named \"" + name + "\"");
    const fs::path tmp = folder / (name + ".part");
    {
      std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
      out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
      if (!out) throw OutboxError("cannot write " + tmp.string());
    }
    FlushFileToDisk(tmp);
    fs::rename(tmp, folder / name);
  };
  for (const auto& [name, bytes] : documents) write(name, bytes);
  write("item.json", item.dump(2));
  FlushFolderToDisk(folder);
  db_->prepare("INSERT OR IGNORE INTO inbox (id, case_id, kind, study_uid, created_at, message, folder, received_at) "
               "VALUES (?, ?, ?, ?, ?, ?, ?, ?)")
      .bind(1, id)
      .bind(2, static_cast<int64_t>(item.value("caseId", 0)))
      .bind(3, Text(item, "kind"))
      .bind(4, Text(item, "studyInstanceUid"))
      .bind(5, Text(item, "createdAt"))
      .bind(6, Text(item, "message"))
      .bind(7, relative.string())
      .bind(8, NowMs())
      .run();
}

std::vector<std::string> Inbox::unacknowledged() {
  auto q = db_->prepare("SELECT id FROM inbox WHERE acknowledged_at IS NULL ORDER BY received_at");
  std::vector<std::string> ids;
  while (q.step()) ids.push_back(q.text(0));
  return ids;
}

void Inbox::markAcknowledged(const std::string& id) {
  db_->prepare("UPDATE inbox SET acknowledged_at = ? WHERE id = ? AND acknowledged_at IS NULL").bind(1, NowMs()).bind(2, id).run();
}

void Inbox::markOpened(const std::string& id) {
  db_->prepare("UPDATE inbox SET opened_at = ? WHERE id = ? AND opened_at IS NULL").bind(1, NowMs()).bind(2, id).run();
}

namespace {
const char* kColumns =
    "SELECT id, case_id, kind, study_uid, created_at, message, folder, acknowledged_at IS NOT NULL, "
    "opened_at IS NOT NULL, received_at FROM inbox ";
}

std::vector<InboxItem> Inbox::items() {
  auto q = db_->prepare(std::string(kColumns) + "ORDER BY received_at DESC, id DESC");
  std::vector<InboxItem> out;
  while (q.step()) {
    out.push_back({q.text(0), q.integer(1), q.text(2), q.text(3), q.text(4), q.text(5), directory_ / q.text(6),
                   q.integer(7) != 0, q.integer(8) != 0, q.integer(9)});
  }
  return out;
}

std::optional<InboxItem> Inbox::item(const std::string& id) {
  for (auto& i : items()) {
    if (i.id == id) return i;
  }
  return std::nullopt;
}

}  // namespace relais::outbox
