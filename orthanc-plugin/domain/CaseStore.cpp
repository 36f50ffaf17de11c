#include <chrono>

#include "domain/CaseStore.h"

namespace relais {

int64_t NowSeconds() {
  return std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch())
      .count();
}

TransitionEffect EffectOf(CaseEvent event, const TransitionOptions& options) {
  TransitionEffect effect;
  switch (event) {
    case CaseEvent::Release:
    case CaseEvent::ExpireLease:
    case CaseEvent::AnswerInfo:
    case CaseEvent::Reassign: effect.releasesClaim = true; break;
    case CaseEvent::RequestInfo:
    case CaseEvent::Report: effect.endsLease = true; break;
    default: break;
  }
  effect.stampsReport = event == CaseEvent::Report;
  effect.auditDetail = options.detail;
  if (event == CaseEvent::Reassign) {
    effect.newQueue = options.newQueue;
    effect.newAssignee = options.newAssignee;
    auto add = [&effect](const std::string& part) {
      effect.auditDetail += (effect.auditDetail.empty() ? "" : "; ") + part;
    };
    if (options.newQueue) add("to queue " + *options.newQueue);
    if (options.newAssignee) add("to " + *options.newAssignee);
  }
  return effect;
}

}  // namespace relais
