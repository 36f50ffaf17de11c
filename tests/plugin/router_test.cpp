#include "domain/Router.h"

#include <gtest/gtest.h>

#include "domain/HttpError.h"

using namespace relais;

namespace {
HttpRequest Req(const std::string& method, const std::string& path) {
  HttpRequest r;
  r.method = method;
  r.path = path;
  return r;
}
}  // namespace

TEST(Router, ExtractsParametersAndDispatchesByMethod) {
  Router router;
  router.add("GET", "/relais/v1/cases/{id}", [](const HttpRequest& r) { return HttpResponse::Json("get " + r.param("id")); });
  router.add("POST", "/relais/v1/cases/{id}/claim", [](const HttpRequest& r) { return HttpResponse::Json("claim " + r.param("id")); });
  auto get = Req("GET", "/relais/v1/cases/42");
  EXPECT_EQ(router.dispatch(get).body, "get 42");
  auto claim = Req("POST", "/relais/v1/cases/7/claim");
  EXPECT_EQ(router.dispatch(claim).body, "claim 7");
}

TEST(Router, UnknownPathIs404AndWrongMethodIs405) {
  Router router;
  router.add("GET", "/relais/version", [](const HttpRequest&) { return HttpResponse::Json("{}"); });
  auto unknown = Req("GET", "/relais/nothing");
  try {
    router.dispatch(unknown);
    FAIL();
  } catch (const HttpError& e) {
    EXPECT_EQ(e.status(), 404);
  }
  auto wrong = Req("DELETE", "/relais/version");
  try {
    router.dispatch(wrong);
    FAIL();
  } catch (const HttpError& e) {
    EXPECT_EQ(e.status(), 405);
  }
}

TEST(Router, RestParameterTakesRemainingSegments) {
  Router router;
  router.add("GET", "/relais/app/{file*}", [](const HttpRequest& r) { return HttpResponse::Json(r.param("file")); });
  auto r = Req("GET", "/relais/app/js/main.js");
  EXPECT_EQ(router.dispatch(r).body, "js/main.js");
}

TEST(Router, ParsesQueryStrings) {
  auto q = ParseQuery("queue=dermatology&state=queued&name=Ben%20Ali&x");
  EXPECT_EQ(q["queue"], "dermatology");
  EXPECT_EQ(q["name"], "Ben Ali");
  EXPECT_EQ(q.count("x"), 1u);
}
