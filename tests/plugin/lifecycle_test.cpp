#include "domain/Lifecycle.h"

#include <gtest/gtest.h>

#include <map>
#include <utility>

#include "domain/CaseStore.h"
#include "domain/HttpError.h"

using namespace relais;

namespace {

const CaseState kStates[] = {CaseState::Queued,   CaseState::Claimed,   CaseState::InfoRequested,
                             CaseState::Reported, CaseState::Delivered, CaseState::Amended};
const CaseEvent kEvents[] = {CaseEvent::Claim,      CaseEvent::Release, CaseEvent::ExpireLease,
                             CaseEvent::RequestInfo, CaseEvent::AnswerInfo, CaseEvent::Report,
                             CaseEvent::Deliver,    CaseEvent::Amend,   CaseEvent::Reassign};

// The whole legal table; every pair not listed here must be refused with 409.
const std::map<std::pair<CaseState, CaseEvent>, CaseState> kLegal = {
    {{CaseState::Queued, CaseEvent::Claim}, CaseState::Claimed},
    {{CaseState::Claimed, CaseEvent::Release}, CaseState::Queued},
    {{CaseState::Claimed, CaseEvent::ExpireLease}, CaseState::Queued},
    {{CaseState::Claimed, CaseEvent::RequestInfo}, CaseState::InfoRequested},
    {{CaseState::InfoRequested, CaseEvent::AnswerInfo}, CaseState::Queued},
    {{CaseState::Claimed, CaseEvent::Report}, CaseState::Reported},
    {{CaseState::Reported, CaseEvent::Deliver}, CaseState::Delivered},
    {{CaseState::Amended, CaseEvent::Deliver}, CaseState::Delivered},
    {{CaseState::Reported, CaseEvent::Amend}, CaseState::Amended},
    {{CaseState::Delivered, CaseEvent::Amend}, CaseState::Amended},
    {{CaseState::Amended, CaseEvent::Amend}, CaseState::Amended},
    {{CaseState::Queued, CaseEvent::Reassign}, CaseState::Queued},
    {{CaseState::Claimed, CaseEvent::Reassign}, CaseState::Queued},
    {{CaseState::InfoRequested, CaseEvent::Reassign}, CaseState::Queued},
};

}  // namespace

TEST(Lifecycle, EveryLegalTransitionLeadsWhereTheDesignSays) {
  for (const auto& [from_event, to] : kLegal) {
    EXPECT_EQ(NextState(from_event.first, from_event.second), to)
        << ToString(from_event.first) << " + " << ToString(from_event.second);
  }
}

TEST(Lifecycle, EveryOtherTransitionIsRefusedWith409AndAReason) {
  int refused = 0;
  for (CaseState s : kStates) {
    for (CaseEvent e : kEvents) {
      if (kLegal.count({s, e})) continue;
      try {
        NextState(s, e);
        ADD_FAILURE() << ToString(s) << " + " << ToString(e) << " was accepted";
      } catch (const HttpError& error) {
        ++refused;
        EXPECT_EQ(error.status(), 409);
        const std::string message = error.what();
        EXPECT_NE(message.find(ToString(s)), std::string::npos) << message;
        EXPECT_NE(message.find(ToString(e)), std::string::npos) << message;
      }
    }
  }
  EXPECT_EQ(refused, 6 * 9 - static_cast<int>(kLegal.size()));
}

TEST(Lifecycle, ClaimingAClaimedCaseSaysSomeoneElseHasIt) {
  try {
    NextState(CaseState::Claimed, CaseEvent::Claim);
    FAIL();
  } catch (const HttpError& e) {
    EXPECT_NE(std::string(e.what()).find("already claimed"), std::string::npos) << e.what();
  }
}

TEST(Lifecycle, StateNamesRoundTrip) {
  for (CaseState s : kStates) EXPECT_EQ(ParseCaseState(ToString(s)), s);
  EXPECT_EQ(ToString(CaseState::InfoRequested), "info-requested");
  EXPECT_FALSE(ParseCaseState("Queued").has_value());
  EXPECT_FALSE(ParseCaseState("").has_value());
}

TEST(Lifecycle, OpenStatesAreThoseBeforeTheReport) {
  EXPECT_TRUE(IsOpen(CaseState::Queued));
  EXPECT_TRUE(IsOpen(CaseState::Claimed));
  EXPECT_TRUE(IsOpen(CaseState::InfoRequested));
  EXPECT_FALSE(IsOpen(CaseState::Reported));
  EXPECT_FALSE(IsOpen(CaseState::Delivered));
  EXPECT_FALSE(IsOpen(CaseState::Amended));
}

TEST(TransitionEffect, EachEventChangesWhatItsStateMeans) {
  const relais::TransitionOptions none;
  const auto release = relais::EffectOf(relais::CaseEvent::Release, none);
  EXPECT_TRUE(release.releasesClaim);
  EXPECT_FALSE(release.endsLease || release.stampsReport);
  const auto report = relais::EffectOf(relais::CaseEvent::Report, none);
  EXPECT_TRUE(report.endsLease && report.stampsReport);
  EXPECT_FALSE(report.releasesClaim);  // the reporter stays named on the case
  relais::TransitionOptions asked;
  asked.detail = "which side?";
  const auto question = relais::EffectOf(relais::CaseEvent::RequestInfo, asked);
  EXPECT_TRUE(question.endsLease);
  EXPECT_FALSE(question.stampsReport);
  EXPECT_EQ(question.auditDetail, "which side?");
  EXPECT_FALSE(relais::EffectOf(relais::CaseEvent::Deliver, none).releasesClaim);
}

TEST(TransitionEffect, OnlyAReassignmentMovesTheCaseAndSaysWhere) {
  relais::TransitionOptions options;
  options.detail = "wrong specialty";
  options.newQueue = "radiology";
  options.newAssignee = "rad1";
  const auto reassign = relais::EffectOf(relais::CaseEvent::Reassign, options);
  EXPECT_TRUE(reassign.releasesClaim);
  EXPECT_EQ(reassign.newQueue, "radiology");
  EXPECT_EQ(reassign.newAssignee, "rad1");
  EXPECT_EQ(reassign.auditDetail, "wrong specialty; to queue radiology; to rad1");
  const auto release = relais::EffectOf(relais::CaseEvent::Release, options);  // options ignored
  EXPECT_FALSE(release.newQueue || release.newAssignee);
  EXPECT_EQ(release.auditDetail, "wrong specialty");
}
