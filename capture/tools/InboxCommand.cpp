// relais-capture inbox [ID]: the hub's answers to this unit (reports, information requests),
// read from the outbox relais-forward fills, with the same view as `relais-forward inbox`.
#include <unistd.h>

#include <cstdlib>
#include <iostream>
#include <memory>

#include "Commands.h"
#include "outbox/ForwarderConfig.h"
#include "outbox/Inbox.h"
#include "outbox/InboxView.h"
#include "outbox/Outbox.h"
#include "outbox/OutboxError.h"

namespace relais::capture::tools {

namespace {

struct InboxFlags {
  std::string outbox;
  std::string forwardConfig;
  bool json = false;

  // --outbox, else the "outbox" of the forwarder's configuration file. A folder without an
  // outbox database is a mistake to report, not an empty inbox to create.
  std::filesystem::path locate() const {
    std::filesystem::path folder = outbox;
    if (folder.empty()) {
      std::string file = forwardConfig;
      if (file.empty()) {
        const char* env = std::getenv("RELAIS_FORWARD_CONFIG");
        file = env != nullptr && *env != '\0' ? env : "/etc/relais/forward.json";
      }
      try {
        folder = outbox::ForwarderConfig::OutboxOf(file);
      } catch (const outbox::OutboxError& e) {
        throw CLI::ValidationError("--forward-config", std::string(e.what()) + " (or give --outbox DIR)");
      }
    }
    if (!std::filesystem::exists(folder / "outbox.db")) {
      throw CLI::ValidationError("--outbox", folder.string() + " is not a unit outbox (it has no outbox.db)");
    }
    return folder;
  }
};

void addLocationFlags(CLI::App& command, InboxFlags& flags) {
  command.add_option("--outbox", flags.outbox, "the unit's outbox folder");
  command.add_option("-c,--forward-config", flags.forwardConfig,
                     "relais-forward's configuration file, for its \"outbox\" (default: $RELAIS_FORWARD_CONFIG, "
                     "else /etc/relais/forward.json)");
}

}  // namespace

void addInboxCommand(CLI::App& app) {
  auto flags = std::make_shared<InboxFlags>();
  auto answerId = std::make_shared<std::string>();
  CLI::App* inbox = app.add_subcommand("inbox", "the hub's answers: reports and information requests");
  addLocationFlags(*inbox, *flags);
  inbox->add_flag("--json", flags->json, "print the list as JSON");
  CLI::App* open = inbox->add_subcommand("open", "show one answer: the information request's text, or the report "
                                                 "(findings, and the PDF's path, opened in a viewer on a desktop)");
  open->add_option("id", *answerId, "the answer's ID, from the list")->required();
  open->fallthrough();
  inbox->callback([flags, answerId, open] {
    const auto folder = flags->locate();
    outbox::Inbox answers(folder);
    if (open->parsed()) {
      if (!answers.item(*answerId) ||
          !outbox::OpenAnswer(answers, *answerId, std::cout, isatty(STDOUT_FILENO) != 0)) {
        throw outbox::OutboxError("there is no answer " + *answerId + " in the inbox of " + folder.string() +
                                  " (relais-capture inbox lists them)");
      }
      return;
    }
    outbox::Outbox box(folder);
    if (flags->json) {
      std::cout << outbox::InboxJson(answers, box).dump(2) << "\n";
    } else {
      outbox::PrintInbox(answers, box, std::cout);
    }
  });
}

}  // namespace relais::capture::tools
