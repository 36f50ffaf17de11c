// Issue 18: bytes that are not UTF-8 in the path, the query or a JSON body of a /relais/ route
// are the client's mistake (400 naming where), never the hub's (500), and change nothing.
#include <gtest/gtest.h>

#include "harness/HubCases.h"
#include "harness/TestHub.h"

using namespace relais::test;

TEST(RequestHygiene, InvalidUtf8IsABadRequest) {
  OrthancServer hub(HubOptions());
  auto coord = ClientAs(hub, "coord");
  auto unit = ClientAs(hub, "unit07");
  const std::string bad = "\xff\xfe";
  struct Probe {
    const char* what;
    HttpAnswer answer;
    const char* names;
  };
  const Probe probes[] = {
      {"path", coord.get("/relais/v1/cases/1%FF%FE"), "path"},
      {"path of a POST", unit.post("/relais/v1/studies/1.2%FF/manifest", "{\"instances\": [\"1.2.1\"]}"), "path"},
      {"query value", coord.get("/relais/v1/cases?queue=%FF%FE"), "query"},
      {"query key", coord.get("/relais/v1/cases?%C3%28=1"), "query"},
      {"JSON body", unit.post("/relais/v1/studies/1.2.3/manifest", "{\"instances\": [\"1.2." + bad + "\"]}"), "body"},
      {"JSON body, overlong", coord.post("/relais/v1/routing/dry-run", "{\"tags\": {\"Modality\": \"\xc0\xaf\"}}"),
       "body"},
      {"JSON body, escaped lone surrogate", coord.post("/relais/v1/routing/dry-run", "{\"tags\": {\"Modality\": \"\\udc80\"}}"),
       "body"},
  };
  for (const auto& p : probes) {
    EXPECT_EQ(p.answer.status, 400) << p.what << ": " << p.answer.body;
    if (p.answer.status == 400) {
      const auto error = p.answer.json();
      EXPECT_NE(error.value("error", "").find(p.names), std::string::npos) << p.what << ": " << p.answer.body;
    }
  }
  EXPECT_TRUE(AllCases(hub).empty());
  EXPECT_EQ(unit.get("/relais/v1/studies/1.2.3/manifest").status, 404) << "nothing was saved";
  // Valid UTF-8 beyond ASCII passes.
  EXPECT_EQ(coord.get("/relais/v1/cases?patient=%C3%A9l%C3%A8ve").status, 200);
  const auto unknown = coord.get("/relais/v1/cases?queue=p%C3%A9diatrie");
  EXPECT_EQ(unknown.status, 400);
  EXPECT_EQ(unknown.json()["error"], "unknown queue 'p\xC3\xA9" "diatrie'");
}
