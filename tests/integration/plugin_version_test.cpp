#include <gtest/gtest.h>

#include "harness/OrthancServer.h"

using relais::test::OrthancServer;

TEST(PluginVersion, AnswersWithRelaisAndOrthancVersions) {
  OrthancServer orthanc;
  auto answer = orthanc.client().get("/relais/version");
  ASSERT_EQ(answer.status, 200) << answer.body << "\n" << orthanc.log();
  auto v = answer.json();
  EXPECT_EQ(v["orthanc"], "1.10.1");
  EXPECT_FALSE(v["relais"].get<std::string>().empty());
  EXPECT_EQ(v["api"], "v1");
}

TEST(PluginVersion, UnknownRouteIsJson404) {
  OrthancServer orthanc;
  auto answer = orthanc.client().get("/relais/no-such-thing");
  EXPECT_EQ(answer.status, 404);
  EXPECT_NE(answer.body.find("no such resource"), std::string::npos) << answer.body;
}

TEST(PluginVersion, OrthancRefusesToStartWithoutPluginWhenAbsent) {
  // Sanity of the harness itself: Orthanc without the plugin has no /relais route.
  relais::test::OrthancServerOptions options;
  options.loadPlugin = false;
  OrthancServer orthanc(options);
  EXPECT_EQ(orthanc.client().get("/relais/version").status, 404);
  EXPECT_EQ(orthanc.client().get("/system").json()["Version"], "1.10.1");
}
