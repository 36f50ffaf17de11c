#include "domain/AccessPolicy.h"

#include <gtest/gtest.h>

#include "domain/HttpError.h"

using namespace relais;

namespace {
User Make(Role role, std::vector<std::string> specialties = {}, std::string unit = "") {
  User u;
  u.name = ToString(role);
  u.role = role;
  u.specialties = std::move(specialties);
  u.unit = std::move(unit);
  return u;
}
}  // namespace

TEST(AccessPolicy, PublicRoutesNeedNoAccount) {
  EXPECT_EQ(Decide(nullptr, "GET", "/relais/version"), Access::Public);
  EXPECT_EQ(Decide(nullptr, "GET", "/relais/app/index.html"), Access::Public);
  EXPECT_EQ(Decide(nullptr, "POST", "/relais/version"), Access::Unauthenticated);
}

TEST(AccessPolicy, AnonymousGets401OnRelaisAnd403OnOrthanc) {
  EXPECT_EQ(Decide(nullptr, "GET", "/relais/v1/cases"), Access::Unauthenticated);
  EXPECT_EQ(Decide(nullptr, "GET", "/patients"), Access::Forbidden);
}

TEST(AccessPolicy, NativeOrthancRoutesByRole) {
  auto admin = Make(Role::Admin), pacs = Make(Role::Pacs), unit = Make(Role::Unit, {}, "VAN-07"),
       derm = Make(Role::Specialist, {"dermatology"}), nurse = Make(Role::Nurse, {}, "VAN-07");
  EXPECT_EQ(Decide(&admin, "DELETE", "/patients/x"), Access::Allowed);
  EXPECT_EQ(Decide(&pacs, "GET", "/instances/x/file"), Access::Allowed);
  EXPECT_EQ(Decide(&pacs, "POST", "/tools/find"), Access::Allowed);
  EXPECT_EQ(Decide(&pacs, "DELETE", "/patients/x"), Access::Forbidden);
  EXPECT_EQ(Decide(&pacs, "POST", "/instances"), Access::Forbidden);
  EXPECT_EQ(Decide(&unit, "POST", "/instances"), Access::Allowed);
  EXPECT_EQ(Decide(&unit, "GET", "/patients"), Access::Forbidden);
  EXPECT_EQ(Decide(&derm, "GET", "/patients"), Access::Forbidden);
  EXPECT_EQ(Decide(&nurse, "POST", "/instances"), Access::Forbidden);
}

TEST(AccessPolicy, RelaisRoutesByRole) {
  auto coord = Make(Role::Coordinator), derm = Make(Role::Specialist, {"dermatology"}),
       nurse = Make(Role::Nurse, {}, "VAN-07"), unit = Make(Role::Unit, {}, "VAN-07"), pacs = Make(Role::Pacs);
  EXPECT_EQ(Decide(&derm, "POST", "/relais/v1/cases/3/claim"), Access::Allowed);
  EXPECT_EQ(Decide(&coord, "POST", "/relais/v1/cases/3/claim"), Access::Forbidden);
  EXPECT_EQ(Decide(&coord, "POST", "/relais/v1/cases/3/reassign"), Access::Allowed);
  EXPECT_EQ(Decide(&derm, "GET", "/relais/v1/statistics"), Access::Forbidden);
  EXPECT_EQ(Decide(&nurse, "GET", "/relais/v1/cases/3"), Access::Allowed);
  EXPECT_EQ(Decide(&nurse, "GET", "/relais/v1/queues"), Access::Forbidden);
  EXPECT_EQ(Decide(&unit, "POST", "/relais/v1/studies/1.2.3/manifest"), Access::Allowed);
  EXPECT_EQ(Decide(&derm, "POST", "/relais/v1/studies/1.2.3/manifest"), Access::Forbidden);
  EXPECT_EQ(Decide(&pacs, "GET", "/relais/v1/cases"), Access::Forbidden);
  EXPECT_EQ(Decide(&derm, "GET", "/relais/v1/instances/abc/frames/1/rendered"), Access::Allowed);
  // Deny by default: a route missing from the table is refused to all but admin.
  EXPECT_EQ(Decide(&coord, "GET", "/relais/v1/secret"), Access::Forbidden);
}

TEST(AccessPolicy, CaseScope) {
  Case c;
  c.queue = "dermatology";
  c.unit = "VAN-07";
  EXPECT_TRUE(CanSeeCase(Make(Role::Specialist, {"dermatology"}), c));
  EXPECT_FALSE(CanSeeCase(Make(Role::Specialist, {"radiology"}), c));
  EXPECT_TRUE(CanSeeCase(Make(Role::Nurse, {}, "VAN-07"), c));
  EXPECT_FALSE(CanSeeCase(Make(Role::Nurse, {}, "VAN-12"), c));
  EXPECT_TRUE(CanSeeCase(Make(Role::Coordinator), c));
  EXPECT_FALSE(CanSeeCase(Make(Role::Pacs), c));
}

TEST(AccessPolicy, ListingsAreNarrowedToTheCallersScope) {
  CaseFilter f;
  RestrictToScope(Make(Role::Nurse, {}, "VAN-07"), f);
  EXPECT_EQ(f.unit, std::optional<std::string>("VAN-07"));
  CaseFilter g;
  g.queue = "radiology";
  EXPECT_THROW(RestrictToScope(Make(Role::Specialist, {"dermatology"}), g), HttpError);
  CaseFilter h;
  RestrictToScope(Make(Role::Specialist, {"dermatology"}), h);
  EXPECT_EQ(h.onlyQueues, std::vector<std::string>{"dermatology"});
}

TEST(AccessPolicy, OnlyUnitsUseResumableUploads) {
  const User unit = Make(Role::Unit, {}, "VAN-07"), nurse = Make(Role::Nurse, {}, "VAN-07");
  const User specialist = Make(Role::Specialist, {"dermatology"}), pacs = Make(Role::Pacs);
  for (const char* method : {"GET", "PUT", "DELETE"}) {
    EXPECT_EQ(Decide(&unit, method, "/relais/v1/uploads/1.2.3"), Access::Allowed) << method;
    EXPECT_EQ(Decide(&nurse, method, "/relais/v1/uploads/1.2.3"), Access::Forbidden) << method;
    EXPECT_EQ(Decide(&specialist, method, "/relais/v1/uploads/1.2.3"), Access::Forbidden) << method;
    EXPECT_EQ(Decide(&pacs, method, "/relais/v1/uploads/1.2.3"), Access::Forbidden) << method;
    EXPECT_EQ(Decide(nullptr, method, "/relais/v1/uploads/1.2.3"), Access::Unauthenticated) << method;
  }
  EXPECT_EQ(Decide(&unit, "POST", "/relais/v1/uploads/1.2.3"), Access::Forbidden);
}
