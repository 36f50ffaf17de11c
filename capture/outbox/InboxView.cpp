#include "outbox/InboxView.h"

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <sstream>

#include "outbox/SentStudy.h"

namespace relais::outbox {

namespace {

std::string Readable(std::string personName) {
  for (char& c : personName) {
    if (c == '^') c = ' ';
  }
  while (!personName.empty() && personName.back() == ' ') personName.pop_back();
  return personName;
}

std::string StateOf(const InboxItem& item, Outbox& outbox) {
  if (item.kind != "info-request") return item.opened ? "read" : "new";
  const auto lastImages = outbox.lastEnqueuedAt(item.studyInstanceUid);
  if (lastImages && *lastImages > item.receivedAtMs) return "answered";
  return item.opened ? "to answer" : "new";
}

}  // namespace

std::vector<AnswerLine> ListAnswers(Inbox& inbox, Outbox& outbox) {
  std::vector<AnswerLine> lines;
  for (auto& item : inbox.items()) {
    AnswerLine line;
    if (auto sent = ReadSentStudy(inbox.directory(), item.studyInstanceUid)) {
      line.patient = Readable(sent->patientName);
      if (!sent->patientId.empty()) line.patient += (line.patient.empty() ? "(" : " (") + sent->patientId + ")";
      line.specialty = sent->specialty;
    }
    line.state = StateOf(item, outbox);
    line.item = std::move(item);
    lines.push_back(std::move(line));
  }
  return lines;
}

void PrintInbox(Inbox& inbox, Outbox& outbox, std::ostream& out) {
  const auto lines = ListAnswers(inbox, outbox);
  if (lines.empty()) {
    out << "No answers from the hub yet.\n";
    return;
  }
  char text[640];
  std::snprintf(text, sizeof text, "%-6s %-10s %-13s %-6s %-28s %-14s %-20s %s\n", "ID", "STATE", "KIND", "CASE",
                "PATIENT", "SPECIALTY", "RECEIVED FROM HUB", "MESSAGE / STUDY");
  out << text;
  for (const auto& line : lines) {
    const InboxItem& i = line.item;
    std::string summary = i.message.empty() ? i.studyInstanceUid : i.message;
    if (summary.size() > 70) summary = summary.substr(0, 67) + "...";
    std::snprintf(text, sizeof text, "%-6s %-10s %-13s %-6lld %-28s %-14s %-20s %s\n", i.id.c_str(),
                  line.state.c_str(), i.kind.c_str(), static_cast<long long>(i.caseId),
                  (line.patient.empty() ? "?" : line.patient).c_str(), (line.specialty.empty() ? "?" : line.specialty).c_str(),
                  i.createdAt.c_str(), summary.c_str());
    out << text;
  }
}

nlohmann::json InboxJson(Inbox& inbox, Outbox& outbox) {
  nlohmann::json list = nlohmann::json::array();
  for (const auto& line : ListAnswers(inbox, outbox)) {
    const InboxItem& i = line.item;
    list.push_back({{"id", i.id}, {"caseId", i.caseId}, {"kind", i.kind}, {"state", line.state},
                    {"patient", line.patient}, {"specialty", line.specialty},
                    {"studyInstanceUid", i.studyInstanceUid}, {"createdAt", i.createdAt}, {"message", i.message},
                    {"opened", i.opened}, {"acknowledged", i.acknowledged}});
  }
  return list;
}

namespace {

std::string ReadFile(const std::filesystem::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

// The report's structured values as "name: value" lines, whatever the template's shape.
void PrintValues(const nlohmann::json& node, const std::string& prefix, std::ostream& out) {
  if (node.is_object()) {
    for (auto it = node.begin(); it != node.end(); ++it) {
      PrintValues(*it, prefix.empty() ? it.key() : prefix + "." + it.key(), out);
    }
  } else if (node.is_array()) {
    for (size_t i = 0; i < node.size(); ++i) PrintValues(node[i], prefix + "[" + std::to_string(i) + "]", out);
  } else {
    out << "  " << prefix << ": " << (node.is_string() ? node.get<std::string>() : node.dump()) << "\n";
  }
}

}  // namespace

bool OpenAnswer(Inbox& inbox, const std::string& id, std::ostream& out, bool launchViewer) {
  auto item = inbox.item(id);
  if (!item) {
    out << "There is no answer " << id << " in the inbox (see the list without an id).\n";
    return false;
  }
  out << (item->kind == "report" ? "Report" : "Information request") << " for case " << item->caseId << " (study "
      << item->studyInstanceUid << "), " << item->createdAt << "\n";
  if (!item->message.empty()) out << "Message: " << item->message << "\n";
  const auto json = item->folder / "report.json";
  if (std::filesystem::exists(json)) {
    nlohmann::json report = nlohmann::json::parse(ReadFile(json), nullptr, false);
    if (!report.is_discarded()) {
      // The hub's report JSON also holds its DICOM bookkeeping (SR and PDF UIDs, Orthanc ids,
      // links, PACS transfers): the nurse needs the findings and who signed them.
      const bool hub = report.is_object() && report.contains("values") && report["values"].is_object();
      out << "Findings:\n";
      PrintValues(hub ? report["values"] : report, "", out);
      if (hub && report.contains("author") && report["author"].is_object()) {
        out << "Signed by: " << report["author"].value("name", "") << ", " << report.value("signedAt", "") << "\n";
      }
    }
  }
  const auto pdf = item->folder / "report.pdf";
  if (std::filesystem::exists(pdf)) {
    out << "PDF to print: " << pdf.string() << "\n";
    if (launchViewer && (std::getenv("DISPLAY") != nullptr || std::getenv("WAYLAND_DISPLAY") != nullptr)) {
      const std::string command = "xdg-open '" + pdf.string() + "' >/dev/null 2>&1 &";
      if (std::system(command.c_str()) != 0) out << "(could not start a PDF viewer)\n";
    }
  }
  if (item->kind == "info-request") {
    // The subcommand of the study's own images: an obstetric ultrasound is answered with
    // `ultrasound`, not `photo`.
    const auto sent = ReadSentStudy(inbox.directory(), item->studyInstanceUid);
    const std::string modality = sent ? sent->modality : "";
    std::string command = "photo", what = "<photos>";
    if (modality == "US") {
      command = "ultrasound";
      what = "<images> [--clip <video>]";
    } else if (modality == "DX" || modality == "CR" || modality == "OT") {
      command = "xray";
      what = "<images> [--film <photo of the film>]";
    } else if (modality == "DMS") {
      command = "photo --dermoscopy";
    }
    // Nothing else to type: the capture repeats the patient, request and unit of the study's
    // own files in the outbox (ExistingStudy.h).
    out << "To answer, capture more images into the same study (its patient and request are repeated) and send "
           "them:\n"
        << "  relais-capture " << command << " --outbox <outbox> --study-uid " << item->studyInstanceUid << " " << what
        << "\n";
  }
  inbox.markOpened(id);
  return true;
}

}  // namespace relais::outbox
