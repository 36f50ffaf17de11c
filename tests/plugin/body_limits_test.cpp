#include "domain/BodyLimits.h"

#include <gtest/gtest.h>

using namespace relais;

TEST(BodyLimits, EachRouteHasItsLimit) {
  BodyLimits limits;
  limits.pieceBytes = 4096;
  limits.instanceBytes = 100000;
  EXPECT_EQ(BodyLimitOf(limits, "PUT", "/relais/v1/uploads/1.2.3")->bytes, 4096);
  EXPECT_EQ(BodyLimitOf(limits, "POST", "/relais/v1/routing/dry-run")->bytes, 1 << 20);
  EXPECT_EQ(BodyLimitOf(limits, "POST", "/relais/v1/cases/3/report")->bytes, 1 << 20);
  EXPECT_EQ(BodyLimitOf(limits, "POST", "/instances")->bytes, 100000);
  EXPECT_FALSE(BodyLimitOf(limits, "POST", "/tools/find").has_value());
  EXPECT_FALSE(BodyLimitOf(limits, "POST", "/relaisx").has_value());
}

TEST(BodyLimits, TheMessageNamesTheLimit) {
  BodyLimits limits;
  EXPECT_EQ(TooLargeMessage(2097152, *BodyLimitOf(limits, "POST", "/relais/v1/routing/dry-run")),
            "the body of 2097152 bytes is larger than the 1048576 bytes (1 MiB) a request to /relais/ may have");
  EXPECT_EQ(TooLargeMessage(5000, *BodyLimitOf(limits, "PUT", "/relais/v1/uploads/1")),
            "the body of 5000 bytes is larger than the 16777216 bytes (16 MiB) an upload piece "
            "(Relais.Uploads.MaxPieceBytes) may have");
}

TEST(BodyLimits, ContentLength) {
  EXPECT_EQ(ParseContentLength("209715200"), 209715200);
  EXPECT_EQ(ParseContentLength(" 12 "), 12);
  EXPECT_EQ(ParseContentLength("0"), 0);
  EXPECT_FALSE(ParseContentLength("").has_value());
  EXPECT_FALSE(ParseContentLength("-1").has_value());
  EXPECT_FALSE(ParseContentLength("1e9").has_value());
  EXPECT_FALSE(ParseContentLength("99999999999999999999").has_value());
}
