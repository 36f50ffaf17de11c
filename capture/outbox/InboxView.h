#pragma once
// What a nurse sees of the inbox, shared by `relais-capture inbox` and `relais-forward inbox`:
// a list (new answers first), and one answer opened (the message, the report's findings as
// text, the PDF's path, handed to the desktop's viewer when there is one).
#include <ostream>
#include <string>

#include "outbox/Inbox.h"

namespace relais::outbox {

void PrintInbox(Inbox& inbox, std::ostream& out);
// Returns false (and says why) when there is no such answer. `launchViewer`: open the PDF
// with xdg-open when a desktop session is present.
bool OpenAnswer(Inbox& inbox, const std::string& id, std::ostream& out, bool launchViewer);

}  // namespace relais::outbox
