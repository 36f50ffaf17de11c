// The bookkeeping that makes every study Orthanc holds a case after a crash or a stop
// (domain/Reconciliation): which studies it looks at, which it routes, when it looks again.
#include "domain/Reconciliation.h"

#include <gtest/gtest.h>

using namespace relais;
using Verdict = Reconciliation::Verdict;

TEST(Reconciliation, ReadsOrthancsLastUpdateAsUtc) {
  EXPECT_EQ(ParseOrthancTime("19700101T000000"), 0);
  EXPECT_EQ(ParseOrthancTime("20261207T235538"), 1796687738);
  EXPECT_EQ(ParseOrthancTime("20261207T235538.123456"), 1796687738);
  EXPECT_FALSE(ParseOrthancTime(""));
  EXPECT_FALSE(ParseOrthancTime("2026-12-07T23:55:38"));
  EXPECT_FALSE(ParseOrthancTime("20261307T235538"));
  EXPECT_FALSE(ParseOrthancTime("20261207 235538"));
}

TEST(Reconciliation, LooksOnlyAtStudiesWithoutACase) {
  Reconciliation r(2, 60, 1000);
  EXPECT_EQ(r.withoutCase({"a", "b", "c", "d"}, {"b", "d", "x"}), (std::vector<std::string>{"a", "c"}));
  EXPECT_TRUE(r.withoutCase({"b"}, {"b"}).empty());
  EXPECT_TRUE(r.withoutCase({}, {}).empty());
}

TEST(Reconciliation, RoutesAStudyOnceQuietForStableAgeAndNotBefore) {
  Reconciliation r(2, 60, 1000);
  // LastUpdate is to the second: 2 s of StableAge need 3 s on the clock to be sure.
  EXPECT_EQ(r.judge("a", 990, 992), Verdict::Wait);
  EXPECT_EQ(r.judge("a", 990, 993), Verdict::Route);
}

TEST(Reconciliation, DoesNotRouteAgainUntilTheStudyChanges) {
  Reconciliation r(2, 60, 1000);
  r.withoutCase({"a"}, {});
  r.routed("a", 990);
  // Still without a case (waiting for a manifest, say): not handed over again each pass...
  r.withoutCase({"a"}, {});
  EXPECT_EQ(r.judge("a", 990, 1100), Verdict::Skip);
  // ...until new instances arrive.
  EXPECT_EQ(r.judge("a", 1050, 1100), Verdict::Route);
  // Once it has a case, or is gone, it is forgotten: a study re-sent later starts afresh.
  r.withoutCase({"a"}, {"a"});
  r.withoutCase({"a"}, {});
  EXPECT_EQ(r.judge("a", 990, 1100), Verdict::Route);
}

TEST(Reconciliation, NextPassComesSoonerOnlyForStudiesFromBeforeTheStart) {
  Reconciliation r(2, 60, 1000);
  EXPECT_EQ(r.nextPassAt(1000), 1060);
  // Received just before the start: its StableStudy is lost, look again when it is quiet.
  EXPECT_EQ(r.judge("a", 999, 1000), Verdict::Wait);
  EXPECT_EQ(r.nextPassAt(1000), 1002);
  // Received after the start: Orthanc's StableStudy will come; the period is enough.
  EXPECT_EQ(r.judge("b", 1010, 1011), Verdict::Wait);
  EXPECT_EQ(r.nextPassAt(1011), 1071);
}
