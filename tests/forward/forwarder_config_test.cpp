#include "outbox/ForwarderConfig.h"

#include <gtest/gtest.h>

#include <fstream>

#include "harness/TempDir.h"
#include "outbox/OutboxError.h"

using relais::outbox::ForwarderConfig;
using relais::outbox::OutboxError;
using relais::test::TempDir;

namespace {
std::string ErrorOf(const TempDir& dir, const std::string& text) {
  std::ofstream(dir / "forward.json") << text;
  try {
    ForwarderConfig::Load(dir / "forward.json");
  } catch (const OutboxError& e) {
    return e.what();
  }
  return "no error";
}
}  // namespace

TEST(ForwarderConfig, ReadsTheExampleShippedInConfig) {
  // The example names files that exist only on a unit; drop the CA file to load it here.
  TempDir dir;
  std::ifstream in(std::string(RELAIS_SOURCE_DIR) + "/config/relais-forward.json");
  auto json = nlohmann::json::parse(in);
  json["hub"].erase("caFile");
  json["hub"].erase("passwordFile");
  std::ofstream(dir / "forward.json") << json.dump();
  auto c = ForwarderConfig::Load(dir / "forward.json");
  EXPECT_EQ(c.hub.url, "https://hub.example.org:8042");
  EXPECT_EQ(c.hub.user, "unit07");
  EXPECT_EQ(c.bandwidthBytesPerSecond, 200000);
  EXPECT_EQ(c.retry.maxDelay, std::chrono::seconds(300));
  EXPECT_EQ(c.concurrency, 4);
}

TEST(ForwarderConfig, ErrorsNameTheFileTheKeyAndWhatWasExpected) {
  TempDir dir;
  EXPECT_NE(ErrorOf(dir, "{").find("not valid JSON"), std::string::npos);
  const std::string noUrl = ErrorOf(dir, R"({"outbox": "/tmp/o"})");
  EXPECT_NE(noUrl.find("forward.json: key \"hub.url\": expected"), std::string::npos) << noUrl;
  const std::string ftp = ErrorOf(dir, R"({"outbox": "/tmp/o", "hub": {"url": "ftp://x"}})");
  EXPECT_NE(ftp.find("key \"hub.url\""), std::string::npos) << ftp;
  const std::string retry = ErrorOf(dir, R"({"outbox": "/tmp/o", "hub": {"url": "https://x"}, "retry": {"jitter": 3}})");
  EXPECT_NE(retry.find("key \"retry.jitter\": expected a number from 0 to 1"), std::string::npos) << retry;
  const std::string dicom = ErrorOf(dir, R"({"outbox": "/tmp/o", "transport": "dicom", "dicom": {"host": "pacs"}})");
  EXPECT_NE(dicom.find("key \"dicom.calledAet\""), std::string::npos) << dicom;
  const std::string ca = ErrorOf(dir, R"({"outbox": "/tmp/o", "hub": {"url": "https://x", "caFile": "nope.pem"}})");
  EXPECT_NE(ca.find("key \"hub.caFile\""), std::string::npos) << ca;
}

TEST(ForwarderConfig, RelativePathsAreRelativeToTheConfigurationFile) {
  TempDir dir;
  std::ofstream(dir / "forward.json") << R"({"outbox": "outbox", "hub": {"url": "http://127.0.0.1:8042/"}})";
  auto c = ForwarderConfig::Load(dir / "forward.json");
  EXPECT_EQ(c.outbox, dir.path() / "outbox");
  EXPECT_EQ(c.hub.url, "http://127.0.0.1:8042");
}
