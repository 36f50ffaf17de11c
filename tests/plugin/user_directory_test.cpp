#include "infra/UserDirectory.h"

#include <gtest/gtest.h>

#include <chrono>

#include "domain/ConfigError.h"

using namespace relais;
using nlohmann::json;

namespace {
std::string Basic(const std::string& user, const std::string& password) {
  static const char* table = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string in = user + ":" + password, out;
  int val = 0, bits = -6;
  for (unsigned char c : in) {
    val = (val << 8) + c;
    bits += 8;
    while (bits >= 0) {
      out.push_back(table[(val >> bits) & 0x3F]);
      bits -= 6;
    }
  }
  if (bits > -6) out.push_back(table[((val << 8) >> (bits + 8)) & 0x3F]);
  while (out.size() % 4) out.push_back('=');
  return "Basic " + out;
}

std::string ErrorOf(const json& users) {
  try {
    UserDirectory::Parse(json{{"users", users}}, "users.json");
  } catch (const ConfigError& e) {
    return e.what();
  }
  return "";
}
}  // namespace

TEST(UserDirectory, VerifiesArgon2idPasswordsAndCachesSuccess) {
  auto d = UserDirectory::Parse(
      json{{"users", {{{"name", "derm1"}, {"passwordHash", HashPassword("derm1-pass")}, {"role", "specialist"}, {"specialties", {"dermatology"}}}}}},
      "users.json");
  const auto t0 = std::chrono::steady_clock::now();
  auto u = d.authenticate(Basic("derm1", "derm1-pass"));
  const auto first = std::chrono::steady_clock::now() - t0;
  ASSERT_TRUE(u.has_value());
  EXPECT_EQ(u->role, Role::Specialist);
  const auto t1 = std::chrono::steady_clock::now();
  for (int i = 0; i < 100; ++i) ASSERT_TRUE(d.authenticate(Basic("derm1", "derm1-pass")).has_value());
  const auto hundred = std::chrono::steady_clock::now() - t1;
  // A hundred cached checks cost less than one Argon2id verification.
  EXPECT_LT(hundred, first);
  EXPECT_FALSE(d.authenticate(Basic("derm1", "wrong")).has_value());
  EXPECT_FALSE(d.authenticate(Basic("nobody", "derm1-pass")).has_value());
  EXPECT_FALSE(d.authenticate("Bearer x").has_value());
  EXPECT_FALSE(d.authenticate("Basic !!!").has_value());
}

TEST(UserDirectory, FileErrorsNameFileKeyAndExpectation) {
  const std::string hash = HashPasswordForTests("x");
  EXPECT_EQ(ErrorOf({{{"name", "a"}, {"passwordHash", hash}, {"role", "surgeon"}}}),
            "users.json: users[0].role: expected one of nurse, unit, specialist, coordinator, admin, pacs");
  EXPECT_EQ(ErrorOf({{{"name", "a"}, {"passwordHash", "plain"}, {"role", "admin"}}}).rfind("users.json: users[0].passwordHash: expected an Argon2id hash", 0), 0u);
  EXPECT_EQ(ErrorOf({{{"name", "n"}, {"passwordHash", hash}, {"role", "nurse"}}}).rfind("users.json: users[0].unit:", 0), 0u);
  EXPECT_EQ(ErrorOf({{{"name", "s"}, {"passwordHash", hash}, {"role", "specialist"}, {"specialties", {"cardiology"}}}}).rfind("users.json: users[0].specialties:", 0), 0u);
  try {
    UserDirectory::Load("/nonexistent/users.json");
    FAIL();
  } catch (const ConfigError& e) {
    EXPECT_EQ(e.file(), "/nonexistent/users.json");
  }
}

TEST(UserDirectory, KnowsUnitsWithMachineAccounts) {
  auto d = UserDirectory::Parse(json{{"users", {{{"name", "unit07"}, {"passwordHash", HashPasswordForTests("x")}, {"role", "unit"}, {"unit", "VAN-07"}}}}}, "u.json");
  EXPECT_TRUE(d.isKnownUnit("VAN-07"));
  EXPECT_FALSE(d.isKnownUnit("VAN-12"));
}
