#include <gtest/gtest.h>

#include "domain/HttpError.h"
#include "rendering/RenderRequest.h"

using relais::HttpError;
using relais::rendering::ParseRenderRequest;

TEST(RenderRequest, DefaultsMatchOrthancRendered) {
  auto r = ParseRenderRequest({});
  EXPECT_EQ(r.width, 0);
  EXPECT_EQ(r.height, 0);
  EXPECT_EQ(r.quality, 90);
  EXPECT_FALSE(r.windowCenter);
}

TEST(RenderRequest, ReadsEveryParameter) {
  auto r = ParseRenderRequest({{"width", "512"}, {"height", "300"}, {"quality", "75"},
                               {"window-center", "-600.5"}, {"window-width", "1500"}});
  EXPECT_EQ(r.width, 512);
  EXPECT_EQ(r.height, 300);
  EXPECT_EQ(r.quality, 75);
  EXPECT_DOUBLE_EQ(*r.windowCenter, -600.5);
  EXPECT_DOUBLE_EQ(*r.windowWidth, 1500);
}

TEST(RenderRequest, RefusesBadValuesNamingTheParameter) {
  for (auto [name, value] : std::initializer_list<std::pair<const char*, const char*>>{
           {"width", "abc"}, {"width", "-3"}, {"width", "12px"}, {"width", "99999"}, {"quality", "0"},
           {"quality", "101"}, {"height", "1.5"}}) {
    try {
      ParseRenderRequest({{name, value}});
      ADD_FAILURE() << name << "=" << value << " was accepted";
    } catch (const HttpError& e) {
      EXPECT_EQ(e.status(), 400);
      EXPECT_NE(std::string(e.what()).find(name), std::string::npos) << e.what();
    }
  }
}

TEST(RenderRequest, WindowNeedsBothHalvesAndAPositiveWidth) {
  EXPECT_THROW(ParseRenderRequest({{"window-center", "40"}}), HttpError);
  EXPECT_THROW(ParseRenderRequest({{"window-width", "400"}}), HttpError);
  EXPECT_THROW(ParseRenderRequest({{"window-center", "40"}, {"window-width", "0"}}), HttpError);
  EXPECT_THROW(ParseRenderRequest({{"window-center", "nan"}, {"window-width", "10"}}), HttpError);
}

TEST(RenderRequest, FingerprintDiffersWhenOutputWould) {
  auto a = ParseRenderRequest({{"width", "512"}});
  auto b = ParseRenderRequest({{"width", "513"}});
  auto c = ParseRenderRequest({{"width", "512"}, {"window-center", "1"}, {"window-width", "2"}});
  auto d = ParseRenderRequest({{"width", "512"}, {"quality", "90"}});
  EXPECT_NE(a.fingerprint(), b.fingerprint());
  EXPECT_NE(a.fingerprint(), c.fingerprint());
  EXPECT_EQ(a.fingerprint(), d.fingerprint());  // 90 is the default
}
