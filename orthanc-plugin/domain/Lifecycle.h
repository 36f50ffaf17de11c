#pragma once
// The case lifecycle as a pure state machine. Every state change of a case goes through
// NextState, whichever store or route asks for it, so the rules live in one place:
//   queued -> claimed (lease) -> reported -> delivered
//   claimed -> queued (release, lease expiry)
//   claimed -> info-requested -> queued (the unit answers or adds images)
//   reported | delivered -> amended; amended -> delivered (amended behaves like reported)
//   any open case (queued, claimed, info-requested) -> queued in another queue (reassign)
// An illegal event throws HttpError 409 whose message names the state and the event.
#include <optional>
#include <string>

namespace relais {

enum class CaseState { Queued, Claimed, InfoRequested, Reported, Delivered, Amended };

enum class CaseEvent {
  Claim,        // a specialist takes a queued case
  Release,      // the holder gives it back
  ExpireLease,  // the lease ran out
  RequestInfo,  // the holder asks the unit a question
  AnswerInfo,   // the unit answers or adds images
  Report,       // the holder signs a report
  Deliver,      // the unit acknowledged the report
  Amend,        // a new version of a signed report
  Reassign,     // a coordinator moves an open case to another queue or specialist
};

std::string ToString(CaseState state);
std::string ToString(CaseEvent event);
// Parses "queued", "info-requested", ...; nullopt for anything else.
std::optional<CaseState> ParseCaseState(const std::string& text);

// The state after `event`, or HttpError 409 explaining why the event is refused.
CaseState NextState(CaseState from, CaseEvent event);

// True if a case in this state still waits for (or is under) a specialist's work.
bool IsOpen(CaseState state);

}  // namespace relais
