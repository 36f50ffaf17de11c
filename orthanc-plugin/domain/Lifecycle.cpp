#include "domain/Lifecycle.h"

#include "domain/HttpError.h"

namespace relais {

std::string ToString(CaseState state) {
  switch (state) {
    case CaseState::Queued: return "queued";
    case CaseState::Claimed: return "claimed";
    case CaseState::InfoRequested: return "info-requested";
    case CaseState::Reported: return "reported";
    case CaseState::Delivered: return "delivered";
    case CaseState::Amended: return "amended";
  }
  return "unknown";
}

std::string ToString(CaseEvent event) {
  switch (event) {
    case CaseEvent::Claim: return "claim";
    case CaseEvent::Release: return "release";
    case CaseEvent::ExpireLease: return "lease-expired";
    case CaseEvent::RequestInfo: return "request-info";
    case CaseEvent::AnswerInfo: return "info-answer";
    case CaseEvent::Report: return "report";
    case CaseEvent::Deliver: return "deliver";
    case CaseEvent::Amend: return "amend";
    case CaseEvent::Reassign: return "reassign";
  }
  return "unknown";
}

std::optional<CaseState> ParseCaseState(const std::string& text) {
  for (CaseState s : {CaseState::Queued, CaseState::Claimed, CaseState::InfoRequested, CaseState::Reported,
                      CaseState::Delivered, CaseState::Amended}) {
    if (ToString(s) == text) return s;
  }
  return std::nullopt;
}

bool IsOpen(CaseState state) {
  return state == CaseState::Queued || state == CaseState::Claimed || state == CaseState::InfoRequested;
}

namespace {

std::optional<CaseState> Allowed(CaseState from, CaseEvent event) {
  using S = CaseState;
  using E = CaseEvent;
  switch (event) {
    case E::Claim: return from == S::Queued ? std::optional(S::Claimed) : std::nullopt;
    case E::Release:
    case E::ExpireLease: return from == S::Claimed ? std::optional(S::Queued) : std::nullopt;
    case E::RequestInfo: return from == S::Claimed ? std::optional(S::InfoRequested) : std::nullopt;
    case E::AnswerInfo: return from == S::InfoRequested ? std::optional(S::Queued) : std::nullopt;
    case E::Report: return from == S::Claimed ? std::optional(S::Reported) : std::nullopt;
    case E::Deliver:
      return (from == S::Reported || from == S::Amended) ? std::optional(S::Delivered) : std::nullopt;
    case E::Amend:
      return (from == S::Reported || from == S::Delivered || from == S::Amended) ? std::optional(S::Amended)
                                                                                 : std::nullopt;
    case E::Reassign: return IsOpen(from) ? std::optional(S::Queued) : std::nullopt;
  }
  return std::nullopt;
}

std::string Why(CaseState from, CaseEvent event) {
  switch (event) {
    case CaseEvent::Claim:
      return from == CaseState::Claimed ? "the case is already claimed by another specialist"
                                        : "only a queued case can be claimed";
    case CaseEvent::Release:
    case CaseEvent::ExpireLease: return "only a claimed case can be released";
    case CaseEvent::RequestInfo: return "information can only be requested on a case you hold (claimed)";
    case CaseEvent::AnswerInfo: return "no information was requested on this case";
    case CaseEvent::Report: return "only a claimed case can be reported";
    case CaseEvent::Deliver: return "only a reported or amended case can be delivered";
    case CaseEvent::Amend: return "only a reported or delivered case can be amended";
    case CaseEvent::Reassign: return "a case whose report is signed can no longer be reassigned";
  }
  return "not allowed";
}

}  // namespace

CaseState NextState(CaseState from, CaseEvent event) {
  if (auto to = Allowed(from, event)) return *to;
  throw Conflict("cannot " + ToString(event) + " a case that is " + ToString(from) + ": " + Why(from, event));
}

}  // namespace relais
