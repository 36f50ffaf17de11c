// relais-forward over DICOM C-STORE to DCMTK's storescp: the same 200-instance study arrives
// whole, each instance confirmed by the SCP's response before the outbox marks it sent.
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include <set>
#include <thread>

#include "harness/ChildProcess.h"
#include "harness/FreePort.h"
#include "harness/SyntheticStudy.h"
#include "harness/TempDir.h"
#include "integration/ForwardSetup.h"
#include "outbox/DicomIdentity.h"
#include "outbox/Outbox.h"

using namespace relais::test;

namespace {
bool Listening(uint16_t port) {
  int fd = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  addr.sin_port = htons(port);
  bool ok = connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0;
  close(fd);
  return ok;
}
}  // namespace

TEST(ForwardCStore, StorescpReceivesTheWholeStudy) {
  TempDir dir("relais-forward-cstore");
  SyntheticStudyOptions options;
  options.instances = 200;
  auto study = WriteSyntheticStudy(dir / "capture", options);
  std::filesystem::create_directories(dir / "received");
  const uint16_t port = FreeLoopbackPort();
  ChildProcess scp({"/usr/bin/storescp", "-aet", "PACS", "-od", (dir / "received").string(), std::to_string(port)},
                   dir / "storescp.log", {{"TCP_NODELAY", "1"}});
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
  while (!Listening(port) && std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  ASSERT_TRUE(Listening(port)) << scp.log();

  nlohmann::json config = {{"outbox", (dir / "outbox").string()},
                           {"transport", "dicom"},
                           {"dicom", {{"host", "127.0.0.1"}, {"port", port}, {"calledAet", "PACS"}, {"callingAet", "VAN07"}}},
                           {"retry", {{"initialSeconds", 0.1}, {"maxSeconds", 1}, {"giveUpAfter", 3}}}};
  const auto configFile = WriteConfig(dir / "forward.json", config);
  const std::string forward = RELAIS_FORWARD_EXECUTABLE;
  ChildProcess enqueue({forward, "-c", configFile.string(), "enqueue", (dir / "capture").string()}, dir / "enqueue.log");
  ASSERT_EQ(enqueue.wait(std::chrono::seconds(60)), 0) << enqueue.log();
  const auto started = std::chrono::steady_clock::now();
  ChildProcess run({forward, "-c", configFile.string(), "--once"}, dir / "forward.log");
  ASSERT_EQ(run.wait(std::chrono::seconds(60)), 0) << run.log() << scp.log();
  // With TCP_NODELAY set by the transport, 200 small instances take well under 10 s (Nagle:
  // about 20 s at 11 instances/s).
  EXPECT_LT(std::chrono::steady_clock::now() - started, std::chrono::seconds(10));

  std::multiset<std::string> received;
  for (const auto& entry : std::filesystem::directory_iterator(dir / "received")) {
    received.insert(relais::outbox::ReadDicomIdentity(entry.path()).sopInstanceUid);
  }
  EXPECT_EQ(received, std::multiset<std::string>(study.sopInstanceUids.begin(), study.sopInstanceUids.end()));

  relais::outbox::Outbox outbox(dir / "outbox");
  auto status = outbox.study(study.studyInstanceUid);
  ASSERT_TRUE(status);
  EXPECT_EQ(status->state(), "sent");
  EXPECT_EQ(status->sent, 200);
  EXPECT_NE(status->manifestAck.value_or("").find("\"transport\":\"dicom\""), std::string::npos);
  for (const auto& i : outbox.instances(study.studyInstanceUid)) EXPECT_EQ(i.answer.value_or(""), "C-STORE status 0x0000");
}

TEST(ForwardCStore, NoScpListeningIsRetriedThenReportedNotLost) {
  TempDir dir("relais-forward-cstore");
  SyntheticStudyOptions options;
  options.instances = 2;
  WriteSyntheticStudy(dir / "capture", options);
  nlohmann::json config = {{"outbox", (dir / "outbox").string()},
                           {"transport", "dicom"},
                           {"dicom", {{"host", "127.0.0.1"}, {"port", FreeLoopbackPort()}, {"calledAet", "PACS"}}},
                           {"retry", {{"initialSeconds", 0.05}, {"maxSeconds", 0.2}, {"giveUpAfter", 3}}}};
  const auto configFile = WriteConfig(dir / "forward.json", config);
  const std::string forward = RELAIS_FORWARD_EXECUTABLE;
  ChildProcess enqueue({forward, "-c", configFile.string(), "enqueue", (dir / "capture").string()}, dir / "enqueue.log");
  ASSERT_EQ(enqueue.wait(std::chrono::seconds(60)), 0) << enqueue.log();
  ChildProcess run({forward, "-c", configFile.string(), "--once"}, dir / "forward.log");
  EXPECT_EQ(run.wait(std::chrono::seconds(30)), 1) << run.log();
  EXPECT_NE(run.log().find("cannot open an association"), std::string::npos) << run.log();
  relais::outbox::Outbox outbox(dir / "outbox");
  EXPECT_EQ(outbox.pendingCount(), 2);
}
