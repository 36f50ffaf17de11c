#include "domain/Laterality.h"

#include <gtest/gtest.h>

using relais::LateralityCode;
using relais::LateralityFromDicom;
using relais::Side;

TEST(Laterality, ImageLateralityFirstThenSeriesThenTheModifierCode) {
  EXPECT_EQ(LateralityCode(LateralityFromDicom("L", "", "")), "L");
  EXPECT_EQ(LateralityCode(LateralityFromDicom("R ", "L", "7771000")), "R");
  EXPECT_EQ(LateralityCode(LateralityFromDicom("", "B", "")), "B");
  EXPECT_EQ(LateralityCode(LateralityFromDicom("", "", "7771000")), "L");
  EXPECT_EQ(LateralityCode(LateralityFromDicom("", "", "24028007")), "R");
  EXPECT_EQ(LateralityCode(LateralityFromDicom("", "", "51440002")), "B");
}

TEST(Laterality, UnpairedAndUnknownShowNoSide) {
  // "U" in Image Laterality is the sender's word that the part is unpaired.
  EXPECT_EQ(LateralityCode(LateralityFromDicom("U", "L", "")), "");
  EXPECT_EQ(LateralityCode(LateralityFromDicom("", "", "")), "");
  EXPECT_EQ(LateralityCode(LateralityFromDicom("X", "", "")), "");
  EXPECT_EQ(LateralityCode(LateralityFromDicom("", "", "123")), "");
}

TEST(Laterality, SiteAndSideInTheReadersWords) {
  EXPECT_EQ(relais::BodySiteWithSide("Forearm", Side::Left, "fr"), "Forearm, gauche");
  EXPECT_EQ(relais::BodySiteWithSide("Forearm", Side::Left, "en"), "Forearm, left");
  EXPECT_EQ(relais::BodySiteWithSide("Breast", Side::Both, "en"), "Breast, both sides");
  EXPECT_EQ(relais::BodySiteWithSide("Chest", std::nullopt, "fr"), "Chest");
  EXPECT_EQ(relais::BodySiteWithSide("", Side::Right, "en"), "right");
  EXPECT_EQ(relais::SnomedSide(Side::Right).value, "24028007");
}
