#include "outbox/AnswerPuller.h"

#include "outbox/OutboxError.h"

#include <chrono>
#include <fstream>
#include <optional>
#include <thread>

namespace relais::outbox {

namespace {

std::string Describe(const HubAnswer& a) { return "HTTP " + std::to_string(a.status) + ": " + a.body.substr(0, 200); }

// A binary document fetched into downloads/<name>.part, continuing after the bytes already
// there, with a few prompt resumes when the link drops meanwhile; a pull after a longer outage
// continues from the same file. Returns the bytes once complete.
std::optional<std::string> FetchResumable(HubConnection& hub, const std::string& path, const std::filesystem::path& part,
                                          std::string& problem) {
  std::filesystem::create_directories(part.parent_path());
  for (int attempt = 0; attempt < 4; ++attempt) {
    try {
      Download d = hub.download(path, part);
      if (!d.complete) {
        problem = "HTTP " + std::to_string(d.status) + ": " + d.error.substr(0, 200);
        return std::nullopt;
      }
      std::ifstream in(part, std::ios::binary);
      return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
    } catch (const HubUnreachable& e) {
      problem = e.what();
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(200) * (attempt + 1));
  }
  return std::nullopt;
}

void RemoveDownload(const std::filesystem::path& part) {
  std::error_code ec;
  std::filesystem::remove(part, ec);
  std::filesystem::remove(part.string() + ".etag", ec);
}

}  // namespace

PullResult PullAnswers(HubConnection& hub, Inbox& inbox) {
  PullResult result;
  try {
    HubAnswer list = hub.get("/relais/v1/inbox");
    if (list.status != 200) {
      result.problem = "the hub did not list this unit's answers: " + Describe(list);
      return result;
    }
    nlohmann::json items = list.json();
    if (!items.is_array()) throw OutboxError("the hub's inbox is not a JSON list: " + list.body.substr(0, 200));
    for (const auto& item : items) {
      const std::string id = Inbox::IdOf(item);
      if (inbox.has(id)) continue;
      std::map<std::string, std::string> documents;
      if (item.value("kind", std::string()) == "report") {
        const std::string caseId = item.at("caseId").is_string() ? item["caseId"].get<std::string>() : item["caseId"].dump();
        HubAnswer json = hub.get("/relais/v1/cases/" + caseId + "/report");
        if (json.status != 200) {
          result.problem = "cannot fetch the report of case " + caseId + ": " + Describe(json);
          continue;  // not stored, so not acknowledged: the next pull tries again
        }
        std::string why;
        const auto part = inbox.directory() / "downloads" / ("case-" + caseId + "-report.pdf.part");
        auto pdf = FetchResumable(hub, "/relais/v1/cases/" + caseId + "/report.pdf", part, why);
        if (!pdf) {
          result.problem = "cannot fetch the report PDF of case " + caseId + ": " + why;
          continue;
        }
        documents["report.json"] = json.body;
        documents["report.pdf"] = *pdf;
        inbox.receive(item, documents);
        RemoveDownload(part);
        ++result.received;
        continue;
      }
      inbox.receive(item, documents);
      ++result.received;
    }
    for (const auto& id : inbox.unacknowledged()) {
      HubAnswer ack = hub.postJson("/relais/v1/inbox/" + id + "/ack", nlohmann::json::object());
      if (ack.status == 200 || ack.status == 201 || ack.status == 204 || ack.status == 404 || ack.status == 409) {
        inbox.markAcknowledged(id);
        ++result.acknowledged;
      } else {
        result.problem = "the hub did not take the acknowledgement of answer " + id + ": " + Describe(ack);
      }
    }
  } catch (const HubUnreachable& e) {
    result.problem = e.what();
  }
  return result;
}

}  // namespace relais::outbox
