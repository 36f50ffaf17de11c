// hub.manifest=false is for plain Orthanc receivers: against a Relais hub relais-forward says
// at once that the hub will hold the study back, and against a plain Orthanc it says nothing.
#include <gtest/gtest.h>

#include "harness/ChildProcess.h"
#include "harness/SyntheticStudy.h"
#include "harness/TempDir.h"
#include "harness/TestHub.h"
#include "integration/ForwardSetup.h"

using namespace relais::test;

namespace {

// Sends a three-instance study with hub.manifest=false; returns relais-forward's log.
std::string ForwardWithoutManifest(const OrthancServer& receiver, const TempDir& dir) {
  SyntheticStudyOptions study;
  study.instances = 3;
  WriteSyntheticStudy(dir / "capture", study);
  auto config = ForwardConfigFor(receiver, dir / "outbox");
  config["hub"]["manifest"] = false;
  const auto configFile = WriteConfig(dir / "forward.json", config);
  const std::string forward = RELAIS_FORWARD_EXECUTABLE;
  ChildProcess enqueue({forward, "-c", configFile.string(), "enqueue", (dir / "capture").string()}, dir / "enqueue.log");
  EXPECT_EQ(enqueue.wait(std::chrono::seconds(60)), 0) << enqueue.log();
  ChildProcess run({forward, "-c", configFile.string(), "--once"}, dir / "forward.log");
  EXPECT_EQ(run.wait(std::chrono::seconds(60)), 0) << run.log();
  return run.log();
}

}  // namespace

TEST(ForwardManifestSetting, WithoutManifestToARelaisHubItWarnsThatRoutingWillWait) {
  OrthancServer hub(HubOptions());
  TempDir dir("relais-forward-nomanifest");
  const std::string log = ForwardWithoutManifest(hub, dir);
  EXPECT_NE(log.find("is a Relais hub but hub.manifest is false"), std::string::npos) << log;
  EXPECT_EQ(HubSopInstanceUids(hub).size(), 3u);  // sent all the same
}

TEST(ForwardManifestSetting, WithoutManifestToAPlainOrthancItSaysNothing) {
  OrthancServerOptions plain;
  plain.loadPlugin = false;
  OrthancServer orthanc(plain);
  TempDir dir("relais-forward-plain");
  const std::string log = ForwardWithoutManifest(orthanc, dir);
  EXPECT_EQ(log.find("hub.manifest"), std::string::npos) << log;
  EXPECT_NE(log.find("sent 3 instances"), std::string::npos) << log;
}
