// Sign-in and role checks against a real Orthanc with the hub's configuration.
#include <gtest/gtest.h>

#include <fstream>

#include "harness/TestHub.h"

using namespace relais::test;

TEST(HubAccess, EveryTestAccountSignsInAndSeesItsRole) {
  OrthancServer hub(HubOptions());
  for (const auto& a : TestAccounts()) {
    auto me = ClientAs(hub, a.name).get("/relais/v1/me");
    ASSERT_EQ(me.status, 200) << a.name << ": " << me.body;
    EXPECT_EQ(me.json()["role"], a.role);
    EXPECT_EQ(me.json()["unit"], a.unit);
  }
}

TEST(HubAccess, AnonymousAndWrongPasswordsAreRefused) {
  OrthancServer hub(HubOptions());
  auto anonymous = hub.client();
  EXPECT_EQ(anonymous.get("/relais/version").status, 200);
  auto me = anonymous.get("/relais/v1/me");
  EXPECT_EQ(me.status, 401);
  EXPECT_NE(me.headers["www-authenticate"].find("Basic"), std::string::npos);
  // Orthanc's filter can only refuse with 403 on its own routes.
  EXPECT_EQ(anonymous.get("/patients").status, 403);
  auto wrong = hub.client();
  wrong.setCredentials("derm1", "derm2-pass");
  EXPECT_EQ(wrong.get("/relais/v1/me").status, 401);
  EXPECT_EQ(wrong.get("/patients").status, 403);
  // Unknown routes stay 404 for everyone, as the version test expects.
  EXPECT_EQ(anonymous.get("/relais/no-such-thing").status, 404);
}

TEST(HubAccess, NativeRoutesFollowRoles) {
  OrthancServer hub(HubOptions());
  EXPECT_EQ(ClientAs(hub, "admin").get("/patients").status, 200);
  EXPECT_EQ(ClientAs(hub, "pacs").get("/patients").status, 200);
  EXPECT_EQ(ClientAs(hub, "pacs").del("/patients/x").status, 403);
  EXPECT_EQ(ClientAs(hub, "derm1").get("/patients").status, 403);
  EXPECT_EQ(ClientAs(hub, "coord").get("/system").status, 403);
  EXPECT_EQ(ClientAs(hub, "unit07").get("/patients").status, 403);
}

TEST(HubAccess, ConfigurationErrorStopsOrthancNamingFileKeyAndExpectation) {
  auto options = HubOptions({{"ClaimLeaseSeconds", "soon"}});
  try {
    OrthancServer hub(options);
    FAIL() << "Orthanc started with a bad configuration";
  } catch (const std::runtime_error& e) {
    const std::string log = e.what();
    EXPECT_NE(log.find("orthanc.json: Relais.ClaimLeaseSeconds: expected a positive whole number of seconds"),
              std::string::npos)
        << log;
  }
}

TEST(HubAccess, BadUsersFileStopsOrthanc) {
  TempDir dir;
  const std::string path = (dir / "users.json").string();
  std::ofstream(path) << R"({"users": [{"name": "x", "passwordHash": "plain", "role": "admin"}]})";
  try {
    OrthancServer hub(HubOptions({{"UsersFile", path}}));
    FAIL() << "Orthanc started with a bad users file";
  } catch (const std::runtime_error& e) {
    EXPECT_NE(std::string(e.what()).find(path + ": users[0].passwordHash: expected an Argon2id hash"), std::string::npos)
        << e.what();
  }
}
