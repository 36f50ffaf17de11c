// Issue 18: request bodies are bounded. A request without valid credentials that carries a big
// body is refused by the request filter before Orthanc reads the body (Orthanc's memory stays
// flat), and every /relais/ route answers 413 naming its limit for a body larger than it takes.
#include <gtest/gtest.h>

#include <sys/mount.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <sstream>

#include "harness/Files.h"
#include "harness/HubCases.h"
#include "harness/ProcessMemory.h"
#include "harness/TempDir.h"
#include "harness/TestAccounts.h"
#include "harness/TestHub.h"
#include "harness/TestStudies.h"
#include "outbox/Sha256.h"

using namespace relais::test;

namespace {

long PeakMiB(pid_t pid) { return ProcessMemoryMiB(pid, "VmHWM"); }

struct CurlAnswer {
  int status = 0;
  std::string body;
};

// curl, not HttpClient: the server answers before the body is sent, which cpprestsdk reports
// as a failed write. "Expect:" off: a careless or hostile client sends the body at once.
CurlAnswer PostFile(const OrthancServer& hub, const std::string& path, const std::filesystem::path& file,
                    const std::string& credentials = "") {
  TempDir out("relais-bounds");
  const auto bodyFile = (out / "answer").string();
  std::string command = "curl -s -m 120 -H 'Expect:' -H 'Content-Type: application/json' -o '" + bodyFile +
                        "' -w '%{http_code}' --data-binary @'" + file.string() + "' ";
  if (!credentials.empty()) command += "-u '" + credentials + "' ";
  command += "'" + hub.baseUrl() + path + "'";
  std::string output;
  RunCommand(command, &output);
  CurlAnswer answer;
  try {
    answer.status = std::stoi(output);
  } catch (const std::exception&) {
    answer.status = -1;
  }
  std::ifstream in(bodyFile);
  std::stringstream s;
  s << in.rdbuf();
  answer.body = s.str();
  return answer;
}

std::filesystem::path BigFile(const TempDir& dir, std::uintmax_t bytes) {
  const auto path = dir / "big.bin";
  std::ofstream(path).close();
  std::filesystem::resize_file(path, bytes);
  return path;
}

}  // namespace

TEST(RequestBounds, AnonymousBigBodyIsRefusedBeforeItIsRead) {
  OrthancServer hub(HubOptions());
  TempDir dir("relais-bounds-body");
  const auto big = BigFile(dir, 200u << 20);
  const long before = PeakMiB(hub.pid());
  ASSERT_GT(before, 0);
  const CurlAnswer relais = PostFile(hub, "/relais/v1/routing/dry-run", big);
  const CurlAnswer instances = PostFile(hub, "/instances", big);
  const CurlAnswer wrongPassword = PostFile(hub, "/relais/v1/routing/dry-run", big, "coord:wrong");
  const long after = PeakMiB(hub.pid());
  std::cout << "Orthanc peak RSS before " << before << " MiB, after three 200 MiB anonymous bodies " << after
            << " MiB\n";
  EXPECT_EQ(relais.status, 403) << relais.body;
  EXPECT_EQ(instances.status, 403) << instances.body;
  EXPECT_EQ(wrongPassword.status, 403) << wrongPassword.body;
  EXPECT_LT(after - before, 32) << "Orthanc read a body it was going to refuse";
  // Orthanc still answers, and a small anonymous request still gets the challenge.
  EXPECT_EQ(hub.client().post("/relais/v1/routing/dry-run", "{}").status, 401);
}

TEST(RequestBounds, EveryRelaisRouteHasABodyLimit) {
  OrthancServer hub(HubOptions({{"Uploads", {{"MaxPieceBytes", 4096}}}, {"MaxInstanceBytes", 100000}}));
  auto coord = ClientAs(hub, "coord");
  auto unit = ClientAs(hub, "unit07");

  // A JSON route: 1 MiB, padding included.
  const std::string atLimit = "{\"tags\": {}}" + std::string((1 << 20) - 12, ' ');
  EXPECT_EQ(coord.post("/relais/v1/routing/dry-run", atLimit).status, 200);
  auto answer = coord.post("/relais/v1/routing/dry-run", atLimit + " ");
  ASSERT_EQ(answer.status, 413) << answer.body;
  EXPECT_EQ(answer.json()["error"],
            "the body of 1048577 bytes is larger than the 1048576 bytes (1 MiB) a request to /relais/ may have");
  EXPECT_EQ(answer.json()["limitBytes"], 1 << 20);
  answer = unit.post("/relais/v1/studies/1.2.3/manifest", std::string(2 << 20, ' '));
  EXPECT_EQ(answer.status, 413) << answer.body;
  EXPECT_EQ(unit.get("/relais/v1/studies/1.2.3/manifest").status, 404) << "nothing was saved";

  // An upload piece: Relais.Uploads.MaxPieceBytes.
  answer = unit.put("/relais/v1/uploads/1.2.3.4", std::string(5000, 'x'), "application/octet-stream");
  ASSERT_EQ(answer.status, 413) << answer.body;
  EXPECT_NE(answer.json()["error"].get<std::string>().find("4096 bytes (4 KiB) an upload piece (Relais.Uploads.MaxPieceBytes)"),
            std::string::npos)
      << answer.body;

  // Orthanc's POST /instances: Relais.MaxInstanceBytes, refused by the filter (Orthanc's
  // routes can only be refused with 403 from a plugin), the log naming the limit.
  const auto big = PostFile(hub, "/instances", [&] {
    static TempDir dir("relais-bounds-instance");
    return BigFile(dir, 100001);
  }(), "unit07:" + PasswordOf("unit07"));
  EXPECT_EQ(big.status, 403) << big.body;
  EXPECT_NE(hub.log().find("Relais.MaxInstanceBytes"), std::string::npos);
}

TEST(RequestBounds, DryRunIsBounded) {
  OrthancServer hub(HubOptions());
  auto coord = ClientAs(hub, "coord");
  // 64 KiB per value: the answer quotes a shortened value, not a copy per rule.
  nlohmann::json tags = {{"Modality", std::string(64 * 1024, 'x')}, {"StationName", "VAN-07"}};
  auto answer = coord.postJson("/relais/v1/routing/dry-run", {{"tags", tags}});
  ASSERT_EQ(answer.status, 200) << answer.body.substr(0, 300);
  EXPECT_LT(answer.body.size(), 16u * 1024) << answer.body.substr(0, 300);
  EXPECT_NE(answer.body.find("(65536 bytes)"), std::string::npos) << answer.body.substr(0, 600);

  tags["Modality"] = std::string(64 * 1024 + 1, 'x');
  answer = coord.postJson("/relais/v1/routing/dry-run", {{"tags", tags}});
  ASSERT_EQ(answer.status, 400) << answer.body.substr(0, 300);
  EXPECT_EQ(answer.json()["error"], "the value of tag \"Modality\" may have at most 65536 bytes (64 KiB), it has 65537");

  answer = coord.postJson("/relais/v1/routing/dry-run", {{"orthancStudyId", std::string(1000, 'a')}});
  ASSERT_EQ(answer.status, 400);
  EXPECT_LT(answer.body.size(), 200u);
}

// The hub's disk full (a small tmpfs as Orthanc's StorageDirectory; the index, the case
// database and the partial uploads elsewhere): the units' upload route says so with 507, and
// the stored instance can be sent again once there is room.
TEST(RequestBounds, HubStorageFull) {
  TempDir dir("relais-bounds-full");
  const auto storage = dir / "dicom";
  std::filesystem::create_directories(storage);
  if (::mount("tmpfs", storage.c_str(), "tmpfs", 0, "size=4m") != 0) {
    GTEST_SKIP() << "cannot mount a tmpfs here (" << std::strerror(errno) << "): needs root";
  }
  struct Unmount {
    std::filesystem::path at;
    ~Unmount() { ::umount2(at.c_str(), MNT_DETACH); }
  } unmount{storage};
  auto options = HubOptions({{"CaseStore", {{"Path", (dir / "cases.db").string()}}},
                             {"Uploads", {{"Directory", (dir / "uploads").string()}}}});
  options.config["StorageDirectory"] = storage.string();
  options.config["IndexDirectory"] = (dir / "index").string();
  OrthancServer hub(options);
  {
    // Fill the disk to the last byte.
    std::ofstream filler(storage / "filler", std::ios::binary);
    const std::string block(4096, 'f');
    while (filler.write(block.data(), block.size())) filler.flush();
  }
  TestInstance spec;
  const auto file = dir / "instance.dcm";
  WriteTestInstance(file, spec);
  const std::string bytes = ReadFile(file);
  auto unit = ClientAs(hub, "unit07");

  const auto direct = unit.post("/instances", bytes, "application/dicom");
  std::cout << "Orthanc's own POST /instances on a full disk: " << direct.status << " " << direct.body.substr(0, 120)
            << "\n";
  // Measured, Orthanc 1.10.1: "Success", yet the storage folder holds no file of it (the
  // issue saw 500 "Cannot write to file" for a bigger one). Not asserted: Orthanc's behaviour.

  TestInstance viaUpload;
  WriteTestInstance(file, viaUpload);
  const std::string uploaded = ReadFile(file);

  const std::map<std::string, std::string> headers = {{"Relais-Upload-Offset", "0"},
                                                      {"Relais-Upload-Size", std::to_string(uploaded.size())},
                                                      {"Relais-Upload-Sha256", relais::outbox::Sha256Hex(uploaded)}};
  const std::string route = "/relais/v1/uploads/" + viaUpload.sopUid;
  auto answer = unit.request("PUT", route, uploaded, "application/octet-stream", headers);
  ASSERT_EQ(answer.status, 507) << answer.body;
  EXPECT_EQ(answer.json()["error"], "the hub's storage is full");

  EXPECT_EQ(answer.json()["offset"], uploaded.size()) << "the whole file stays on the hub: " << answer.body;

  // Room again: an empty piece at the end asks the hub to store it (as relais-forward does).
  std::filesystem::remove(storage / "filler");
  auto resume = headers;
  resume["Relais-Upload-Offset"] = std::to_string(uploaded.size());
  answer = unit.request("PUT", route, "", "application/octet-stream", resume);
  EXPECT_EQ(answer.status, 200) << answer.body;
  EXPECT_EQ(answer.json()["state"], "stored") << answer.body;
}
