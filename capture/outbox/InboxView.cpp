#include "outbox/InboxView.h"

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <sstream>

namespace relais::outbox {

void PrintInbox(Inbox& inbox, std::ostream& out) {
  const auto items = inbox.items();
  if (items.empty()) {
    out << "No answers from the hub yet.\n";
    return;
  }
  char line[512];
  std::snprintf(line, sizeof line, "%-8s %-5s %-13s %-8s %-22s %s\n", "ID", "NEW", "KIND", "CASE", "RECEIVED FROM HUB", "STUDY / MESSAGE");
  out << line;
  for (const auto& i : items) {
    std::string summary = i.message.empty() ? i.studyInstanceUid : i.message;
    if (summary.size() > 70) summary = summary.substr(0, 67) + "...";
    std::snprintf(line, sizeof line, "%-8s %-5s %-13s %-8lld %-22s %s\n", i.id.c_str(), i.opened ? "" : "*",
                  i.kind.c_str(), static_cast<long long>(i.caseId), i.createdAt.c_str(), summary.c_str());
    out << line;
  }
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
      out << "Findings:\n";
      PrintValues(report, "", out);
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
    out << "To answer, capture more images into study " << item->studyInstanceUid << " and send them.\n";
  }
  inbox.markOpened(id);
  return true;
}

}  // namespace relais::outbox
