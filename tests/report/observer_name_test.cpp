// The author's name as the SR's Person Observer: a DICOM PN whatever form the account's
// display name takes.
#include "domain/report/ObserverName.h"

#include <gtest/gtest.h>

#include <fstream>

#include <nlohmann/json.hpp>

using relais::report::ObserverPersonName;

TEST(ObserverName, ANameAsPeopleWriteItBecomesFamilyGivenAndPrefix) {
  EXPECT_EQ(ObserverPersonName("Dr Salma Bennani", "derm1"), "Bennani^Salma^^Dr");
  EXPECT_EQ(ObserverPersonName("Salma Bennani", "derm1"), "Bennani^Salma");
  EXPECT_EQ(ObserverPersonName("Pr. Youssef Alaoui", "rad1"), "Alaoui^Youssef^^Pr.");
  EXPECT_EQ(ObserverPersonName("Docteur Fatima Zahra Tazi", "x"), "Tazi^Fatima Zahra^^Docteur");
}

TEST(ObserverName, ParticlesBelongToTheFamilyName) {
  EXPECT_EQ(ObserverPersonName("Dr Nadia El Idrissi", "obgyn1"), "El Idrissi^Nadia^^Dr");
  EXPECT_EQ(ObserverPersonName("Mohamed Ben Ali", "x"), "Ben Ali^Mohamed");
  EXPECT_EQ(ObserverPersonName("Dr Hamid Ait Taleb", "x"), "Ait Taleb^Hamid^^Dr");
  EXPECT_EQ(ObserverPersonName("Dr El Idrissi", "x"), "El Idrissi^^^Dr");
}

TEST(ObserverName, AFamilyNameInCapitalsIsTheFamilyNameWhereverItStands) {
  EXPECT_EQ(ObserverPersonName("BENNANI Salma", "derm1"), "BENNANI^Salma");
  EXPECT_EQ(ObserverPersonName("Dr EL IDRISSI Nadia", "obgyn1"), "EL IDRISSI^Nadia^^Dr");
  EXPECT_EQ(ObserverPersonName("Nadia AÏT TALEB", "x"), "AÏT TALEB^Nadia");
  // All in capitals says nothing about which is the family name: the last word is.
  EXPECT_EQ(ObserverPersonName("SALMA BENNANI", "derm1"), "BENNANI^SALMA");
}

TEST(ObserverName, APersonNameAlreadyInDicomFormIsKept) {
  EXPECT_EQ(ObserverPersonName("BENNANI^Salma^^Dr", "derm1"), "BENNANI^Salma^^Dr");
  EXPECT_EQ(ObserverPersonName("  El Idrissi^Nadia^^Dr^^ ", "obgyn1"), "El Idrissi^Nadia^^Dr");
  EXPECT_EQ(ObserverPersonName("A^B^C^D^E^F", "x"), "A^B^C^D^E") << "a PN has five components";
}

TEST(ObserverName, NoDisplayNameGivesTheLogin) {
  EXPECT_EQ(ObserverPersonName("", "derm1"), "derm1");
  EXPECT_EQ(ObserverPersonName("   ", "derm1"), "derm1");
  EXPECT_EQ(ObserverPersonName("Bennani", "derm1"), "Bennani");
  EXPECT_EQ(ObserverPersonName("Dr Bennani", "derm1"), "Bennani^^^Dr");
}

TEST(ObserverName, WhatAPersonNameCannotHoldIsDroppedAndTheLengthKept) {
  EXPECT_EQ(ObserverPersonName("Dr Salma=Bennani\\X", "derm1"), "SalmaBennaniX^^^Dr");
  const std::string longName = "Dr Fatima Zahra Khadija Meryem Salma Nadia Houda Imane ÏBennani";
  const std::string pn = ObserverPersonName(longName + "ÏÏÏÏÏÏÏÏÏÏ", "derm1");
  EXPECT_LE(pn.size(), 64u);
  // Whole UTF-8 characters only: no lead byte left without its continuation.
  const unsigned char last = static_cast<unsigned char>(pn.back());
  EXPECT_TRUE(last < 0x80 || (last & 0xC0) == 0x80) << pn;
}

// The example accounts an administrator copies: each specialist signs as a person a PACS can
// file (a family and a given name), not as a login.
TEST(ObserverName, TheExampleSpecialistsSignWithAFamilyAndAGivenName) {
  std::ifstream file(RELAIS_TEMPLATES_DIR "/../users.example.json");
  ASSERT_TRUE(file) << "config/users.example.json";
  const auto users = nlohmann::json::parse(file)["users"];
  int specialists = 0;
  for (const auto& u : users) {
    if (u["role"] != "specialist") continue;
    ++specialists;
    const std::string pn = ObserverPersonName(u.value("displayName", ""), u["name"]);
    const auto caret = pn.find('^');
    ASSERT_NE(caret, std::string::npos) << u["name"] << ": " << pn;
    EXPECT_GT(caret, 0u) << pn;
    EXPECT_NE(pn[caret + 1], '^') << u["name"] << " has no given name: " << pn;
  }
  EXPECT_GE(specialists, 3);
}
