// GET /relais/app/...: the viewer's files, with browser-correct MIME types and revalidation.
#include <gtest/gtest.h>

#include <fstream>

#include "harness/OrthancServer.h"

using namespace relais::test;

TEST(ViewerAssets, ServesTheConfiguredFolderWithMimeTypesAndETags) {
  TempDir assets("relais-assets");
  std::filesystem::create_directories(assets.path() / "js");
  std::ofstream(assets / "index.html") << "<!doctype html><title>test viewer</title>";
  std::ofstream(assets.path() / "js" / "app.js") << "export const x = 1;";
  OrthancServerOptions options;
  options.config["Relais"]["ViewerDirectory"] = assets.path().string();
  OrthancServer orthanc(options);
  auto http = orthanc.client();

  for (const char* path : {"/relais/app/", "/relais/app", "/relais/app/index.html"}) {
    auto index = http.get(path);
    ASSERT_EQ(index.status, 200) << path << " " << index.body;
    EXPECT_EQ(index.headers["content-type"], "text/html; charset=utf-8");
    EXPECT_NE(index.body.find("test viewer"), std::string::npos);
  }
  auto js = http.get("/relais/app/js/app.js");
  ASSERT_EQ(js.status, 200);
  EXPECT_EQ(js.headers["content-type"], "text/javascript; charset=utf-8");
  const std::string etag = js.headers["etag"];
  ASSERT_FALSE(etag.empty());
  EXPECT_EQ(http.get("/relais/app/js/app.js", {{"If-None-Match", etag}}).status, 304);

  EXPECT_EQ(http.get("/relais/app/missing.js").status, 404);
  // Orthanc decodes the URI before the plugin's request filter sees it; the filter may refuse
  // the traversal (403) before the route refuses it (404): either way nothing is served.
  const int traversal = http.get("/relais/app/%2e%2e/%2e%2e/etc/passwd").status;
  EXPECT_TRUE(traversal == 404 || traversal == 403) << traversal;
  EXPECT_EQ(http.get("/relais/app/.hidden").status, 404);
}

TEST(ViewerAssets, DefaultFolderIsTheSourceTreesViewer) {
  OrthancServer orthanc;
  auto index = orthanc.client().get("/relais/app/");
  ASSERT_EQ(index.status, 200);
  EXPECT_NE(index.body.find("<html"), std::string::npos);
}
