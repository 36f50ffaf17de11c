#pragma once
// The unit's inbox: the hub's answers for this unit (a report with its PDF and structured
// JSON, an information request), kept beside the outbox (same database, documents under
// inbox/<id>/) so a nurse can read them without a link. Each item is stored durably before
// it is acknowledged to the hub (acknowledging a report makes the case "delivered"), so an
// answer is never acknowledged and then lost.
#include <cstdint>
#include <filesystem>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace relais::outbox {

class SqliteDatabase;

struct InboxItem {
  std::string id;                 // the hub's inbox id
  int64_t caseId = 0;
  std::string kind;               // "report" | "info-request"
  std::string studyInstanceUid;
  std::string createdAt;
  std::string message;
  std::filesystem::path folder;   // item.json, and for reports report.json + report.pdf
  bool acknowledged = false;
  bool opened = false;
  int64_t receivedAtMs = 0;       // when this unit stored it (ms since the epoch)
};

class Inbox {
 public:
  explicit Inbox(const std::filesystem::path& outboxDirectory);
  ~Inbox();
  const std::filesystem::path& directory() const { return directory_; }
  Inbox(const Inbox&) = delete;
  Inbox& operator=(const Inbox&) = delete;

  bool has(const std::string& id);
  // Writes the documents (file name -> bytes) and the item as item.json, flushed to disk,
  // then records the item. Receiving an id again changes nothing.
  void receive(const nlohmann::json& item, const std::map<std::string, std::string>& documents);
  std::vector<std::string> unacknowledged();
  void markAcknowledged(const std::string& id);
  void markOpened(const std::string& id);
  std::vector<InboxItem> items();  // newest first
  std::optional<InboxItem> item(const std::string& id);

  // The hub's id as text whatever its JSON type; throws OutboxError if missing.
  static std::string IdOf(const nlohmann::json& item);

 private:
  std::filesystem::path directory_;
  std::unique_ptr<SqliteDatabase> db_;
};

}  // namespace relais::outbox
