#include <gtest/gtest.h>

#include "domain/AssetPath.h"

using relais::AssetMimeType;
using relais::SafeAssetPath;

TEST(AssetPath, EmptyMeansTheIndex) { EXPECT_EQ(SafeAssetPath("").value(), "index.html"); }

TEST(AssetPath, KeepsOrdinaryPaths) {
  EXPECT_EQ(SafeAssetPath("js/app.js").value(), "js/app.js");
  EXPECT_EQ(SafeAssetPath("css//main.css").value(), "css/main.css");
}

TEST(AssetPath, RefusesEscapesAndHiddenFiles) {
  for (const char* bad : {"../etc/passwd", "js/../../x", "/etc/passwd", ".git/config", "a\\b", "%2e%2e/x"}) {
    EXPECT_FALSE(SafeAssetPath(bad).has_value()) << bad;
  }
}

TEST(AssetPath, NamesMimeTypesBrowsersNeedForModules) {
  EXPECT_EQ(AssetMimeType("index.html"), "text/html; charset=utf-8");
  EXPECT_EQ(AssetMimeType("js/app.js"), "text/javascript; charset=utf-8");
  EXPECT_EQ(AssetMimeType("css/main.CSS"), "text/css; charset=utf-8");
  EXPECT_EQ(AssetMimeType("i18n/fr.json"), "application/json");
  EXPECT_EQ(AssetMimeType("icon.svg"), "image/svg+xml");
  EXPECT_EQ(AssetMimeType("README"), "application/octet-stream");
  EXPECT_EQ(AssetMimeType("dir.v2/file"), "application/octet-stream");
}
