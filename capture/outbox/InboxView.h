#pragma once
// What a nurse sees of the inbox, shared by `relais-capture inbox` and `relais-forward inbox`:
// a list (newest first) that names the patient and the specialty of each answer's study (from
// the files this unit sent) and says what is left to do, and one answer opened (the message,
// the report's findings as text, the PDF's path, handed to the desktop's viewer when there is
// one).
#include <nlohmann/json.hpp>
#include <ostream>
#include <string>
#include <vector>

#include "outbox/Inbox.h"
#include "outbox/Outbox.h"

namespace relais::outbox {

struct AnswerLine {
  InboxItem item;
  std::string patient;    // "DIALLO Awa (PAT-0042)"; empty when the study was not sent from here
  std::string specialty;
  // report: "new" | "read"; information request: "new" | "to answer" (read, no images sent
  // since) | "answered" (images of its study enqueued after it arrived).
  std::string state;
};

std::vector<AnswerLine> ListAnswers(Inbox& inbox, Outbox& outbox);
void PrintInbox(Inbox& inbox, Outbox& outbox, std::ostream& out);
nlohmann::json InboxJson(Inbox& inbox, Outbox& outbox);
// Returns false (and says why) when there is no such answer. `launchViewer`: open the PDF
// with xdg-open when a desktop session is present.
bool OpenAnswer(Inbox& inbox, const std::string& id, std::ostream& out, bool launchViewer);

}  // namespace relais::outbox
