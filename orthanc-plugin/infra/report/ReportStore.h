#pragma once
// What the reports component remembers beside Orthanc, in its own SQLite file
// (StorageDirectory/relais-reports.db): every signed version of every report (its document,
// where its SR and PDF live in Orthanc, the PDF bytes), the units' inbox, and the transfers
// of reports to PACS destinations. Thread-safe (one connection behind a mutex, WAL).
#include <cstdint>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "domain/report/PacsTransfer.h"
#include "domain/report/ReportDocument.h"

struct sqlite3;

namespace relais::report {

struct StoredReport {
  int64_t id = 0;
  int64_t caseId = 0;
  int version = 1;
  std::string author;        // login
  std::string signedAt;      // ISO 8601 UTC
  nlohmann::json document;   // ToJson(ReportDocument)
  InstanceReference sr, pdf;
  std::string srOrthancId, pdfOrthancId;
};

struct InboxItem {
  int64_t id = 0;
  int64_t caseId = 0;
  std::string unit;
  std::string kind;  // "report" | "info-request"
  std::string studyInstanceUid;
  std::string createdAt;  // ISO 8601 UTC
  std::string message;
  std::optional<int64_t> reportId;
  std::string sourceKey;  // what it announces ("report:17", "info-request:<audit id>"): at most one item each
  std::optional<std::string> ackedAt;
  std::string ackedBy;

  nlohmann::json toJson() const;
};

class ReportStore {
 public:
  explicit ReportStore(const std::string& path);  // creates file and schema; throws naming the path
  ~ReportStore();
  ReportStore(const ReportStore&) = delete;
  ReportStore& operator=(const ReportStore&) = delete;

  // Versions are unique per case: a second writer of the same version gets std::runtime_error.
  int64_t addReport(const StoredReport& report, const std::string& pdfBytes);
  void removeReport(int64_t reportId);
  std::vector<StoredReport> reports(int64_t caseId);  // ascending version
  std::optional<StoredReport> report(int64_t caseId, int version);
  std::optional<StoredReport> latest(int64_t caseId);
  std::string pdf(int64_t reportId);

  // Adds the item unless one with the same sourceKey exists; returns the stored item.
  InboxItem addInboxItem(const InboxItem& item);
  std::vector<InboxItem> inbox(const std::string& unit, bool includeAcknowledged = false);
  std::optional<InboxItem> inboxItem(int64_t id);
  // False if it was already acknowledged.
  bool acknowledge(int64_t id, const std::string& user, const std::string& at);

  int64_t addTransfer(const PacsTransfer& transfer);
  void updateTransfer(const PacsTransfer& transfer);
  std::vector<PacsTransfer> transfers(int64_t caseId);
  // queued or running transfers (what the forwarder works on).
  std::vector<PacsTransfer> activeTransfers();

 private:
  void exec(const char* sql);
  std::string path_;
  sqlite3* db_ = nullptr;
  std::mutex mutex_;
};

}  // namespace relais::report
