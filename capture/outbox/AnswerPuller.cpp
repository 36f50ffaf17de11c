#include "outbox/AnswerPuller.h"

#include "outbox/OutboxError.h"

namespace relais::outbox {

namespace {

std::string Describe(const HubAnswer& a) { return "HTTP " + std::to_string(a.status) + ": " + a.body.substr(0, 200); }

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
        HubAnswer pdf = hub.get("/relais/v1/cases/" + caseId + "/report.pdf");
        if (json.status != 200 || pdf.status != 200) {
          result.problem = "cannot fetch the report of case " + caseId + ": " + Describe(json.status != 200 ? json : pdf);
          continue;  // not stored, so not acknowledged: the next pull tries again
        }
        documents["report.json"] = json.body;
        documents["report.pdf"] = pdf.body;
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
