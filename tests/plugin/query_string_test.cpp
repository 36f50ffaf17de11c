// Query names and values as clients encode them, decoded once.
#include "domain/QueryString.h"

#include <gtest/gtest.h>

using relais::DecodeQueryComponent;

TEST(QueryString, PercentEncodedCharactersAreDecoded) {
  EXPECT_EQ(DecodeQueryComponent("queued%2Cclaimed%2cinfo-requested"), "queued,claimed,info-requested");
  EXPECT_EQ(DecodeQueryComponent("VAN07%2F0042"), "VAN07/0042");
  EXPECT_EQ(DecodeQueryComponent("Diallo%5EAwa"), "Diallo^Awa");
  EXPECT_EQ(DecodeQueryComponent("A%C3%AFt"), "A\xC3\xAFt");  // UTF-8 bytes, as sent
}

TEST(QueryString, APlusIsASpaceAndPlainTextIsKept) {
  EXPECT_EQ(DecodeQueryComponent("El+Idrissi"), "El Idrissi");
  EXPECT_EQ(DecodeQueryComponent("queued"), "queued");
  EXPECT_EQ(DecodeQueryComponent("-12.5"), "-12.5");
  EXPECT_EQ(DecodeQueryComponent(""), "");
}

TEST(QueryString, APercentSignWithoutTwoHexDigitsStays) {
  EXPECT_EQ(DecodeQueryComponent("100%"), "100%");
  EXPECT_EQ(DecodeQueryComponent("%2"), "%2");
  EXPECT_EQ(DecodeQueryComponent("%zz1"), "%zz1");
  EXPECT_EQ(DecodeQueryComponent("%252C"), "%2C") << "decoded once, not twice";
}
