#pragma once
// The way back. Units sit behind mobile NAT, so the hub cannot call them: the unit pulls.
// One pull: GET /relais/v1/inbox (this unit's answers not yet acknowledged); for each new
// item fetch its documents (a report: /relais/v1/cases/{id}/report as JSON and report.pdf),
// store it in the Inbox, then POST /relais/v1/inbox/{id}/ack. An item stored but whose ack
// was lost (crash, link down) is acknowledged on the next pull; the hub answering 404/409 to
// such a repeated ack means it already was.
#include <string>

#include "outbox/HubConnection.h"
#include "outbox/Inbox.h"

namespace relais::outbox {

struct PullResult {
  int received = 0;
  int acknowledged = 0;
  std::string problem;  // empty when the pull went through
};

PullResult PullAnswers(HubConnection& hub, Inbox& inbox);

}  // namespace relais::outbox
