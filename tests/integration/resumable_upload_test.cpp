// The hub's side of the resumable upload (issue #17) against a real Orthanc: a unit's
// instance sent in pieces is stored once and intact, the case forms as with POST /instances
// and a manifest, every refusal says where to continue, abandoned sessions expire, and a hub
// killed between pieces or while it assembles the instance loses, duplicates and corrupts
// nothing. The way back: the report's PDF fetched in ranges.
#include <gtest/gtest.h>
#include <sodium.h>

#include <chrono>
#include <filesystem>
#include <thread>

#include "harness/Files.h"
#include "harness/HubCases.h"
#include "harness/PostgresTestServer.h"
#include "harness/TempDir.h"
#include "harness/TestHub.h"
#include "harness/TestStudies.h"
#include "integration/ReportSetup.h"

using namespace relais::test;
using nlohmann::json;

namespace {

std::string Sha256Hex(const std::string& bytes) {
  unsigned char digest[crypto_hash_sha256_BYTES];
  crypto_hash_sha256(digest, reinterpret_cast<const unsigned char*>(bytes.data()), bytes.size());
  char hex[crypto_hash_sha256_BYTES * 2 + 1];
  sodium_bin2hex(hex, sizeof hex, digest, sizeof digest);
  return hex;
}

// Orthanc 1.10.1 gives a plugin no query string on PUT: the piece's place travels in headers.
std::map<std::string, std::string> PieceHeaders(int64_t offset, int64_t size, const std::string& sha) {
  return {{"Relais-Upload-Offset", std::to_string(offset)},
          {"Relais-Upload-Size", std::to_string(size)},
          {"Relais-Upload-Sha256", sha}};
}

HttpAnswer PutBytes(const HttpClient& unit, const std::string& sop, int64_t offset, const std::string& piece,
                    int64_t size, const std::string& sha) {
  return unit.request("PUT", "/relais/v1/uploads/" + sop, piece, "application/octet-stream",
                      PieceHeaders(offset, size, sha));
}

HttpAnswer PutPiece(const HttpClient& unit, const std::string& sop, const std::string& file, size_t offset,
                    size_t length, const std::string& sha = "") {
  return PutBytes(unit, sop, static_cast<int64_t>(offset), file.substr(offset, length), static_cast<int64_t>(file.size()),
                  sha.empty() ? Sha256Hex(file) : sha);
}

// Sends [from, to) of the file in pieces of `piece` bytes; returns the last answer.
HttpAnswer SendPieces(const HttpClient& unit, const std::string& sop, const std::string& file, size_t from,
                      size_t to, size_t piece) {
  HttpAnswer last;
  for (size_t offset = from; offset < to; offset += piece) {
    last = PutPiece(unit, sop, file, offset, std::min(piece, to - offset));
    if (last.status != 200) return last;
  }
  return last;
}

size_t PartFiles(const OrthancServer& hub) {
  const auto dir = hub.storage() / "relais-uploads";
  if (!std::filesystem::exists(dir)) return 0;
  size_t n = 0;
  for (const auto& entry : std::filesystem::directory_iterator(dir)) n += entry.path().extension() == ".part" ? 1 : 0;
  return n;
}

// A file a killed hub left after the store is removed by the next sweep (every second here).
size_t PartFilesAfterASweep(const OrthancServer& hub) {
  for (int i = 0; i < 30 && PartFiles(hub) > 0; ++i) std::this_thread::sleep_for(std::chrono::milliseconds(100));
  return PartFiles(hub);
}

struct Instance {
  std::string sop;
  std::string bytes;
};

Instance WriteInstance(const TempDir& dir, TestInstance spec, int number) {
  spec.instanceNumber = number;
  spec.sopUid.clear();
  const auto file = dir / ("i" + std::to_string(number) + ".dcm");
  const std::string sop = WriteTestInstance(file, spec);
  return {sop, ReadFile(file)};
}

// How many instances Orthanc holds with this SOP Instance UID, and the bytes of the first.
std::pair<int, std::string> StoredCopies(const OrthancServer& hub, const std::string& sop) {
  const auto admin = ClientAs(hub, "admin");
  const auto found = admin.post("/tools/lookup", sop, "text/plain").json();
  int n = 0;
  std::string bytes;
  for (const auto& r : found) {
    if (r["Type"] != "Instance") continue;
    if (n++ == 0) bytes = admin.get("/instances/" + r["ID"].get<std::string>() + "/file").body;
  }
  return {n, bytes};
}

OrthancServerOptions UploadHub(const json& uploads = json::object()) {
  json section = {{"MaxPieceBytes", 4096}};
  section.merge_patch(uploads);
  return HubOptions({{"Uploads", section}});
}

TestInstance UnitStudy(const std::string& specialty = "radiology") {
  TestInstance spec;
  spec.studyUid = NewUid();
  spec.seriesUid = NewUid();
  spec.stationName = "VAN-07";
  spec.requestedProcedure = specialty;
  return spec;
}

}  // namespace

TEST(ResumableUpload, InstancesSentInPiecesAreStoredOnceIntactAndTheCaseForms) {
  OrthancServer hub(UploadHub());
  TempDir dir;
  const TestInstance spec = UnitStudy();
  std::vector<Instance> instances;
  std::vector<std::string> uids;
  for (int i = 1; i <= 3; ++i) {
    instances.push_back(WriteInstance(dir, spec, i));
    uids.push_back(instances.back().sop);
  }
  const auto unit = ClientAs(hub, "unit07");
  ASSERT_EQ(unit.postJson("/relais/v1/studies/" + spec.studyUid + "/manifest", {{"instances", uids}}).status, 200);

  for (const auto& instance : instances) {
    ASSERT_GT(instance.bytes.size(), 1000u);
    const auto first = PutPiece(unit, instance.sop, instance.bytes, 0, 500);
    ASSERT_EQ(first.status, 200) << first.body;
    EXPECT_EQ(first.json()["state"], "receiving");
    EXPECT_EQ(first.json()["offset"], 500);
    const auto where = unit.get("/relais/v1/uploads/" + instance.sop);
    ASSERT_EQ(where.status, 200) << where.body;
    EXPECT_EQ(where.json()["offset"], 500);
    EXPECT_EQ(where.json()["size"], instance.bytes.size());
    EXPECT_TRUE(where.json().contains("expiresAt"));
    const auto last = SendPieces(unit, instance.sop, instance.bytes, 500, instance.bytes.size(), 500);
    ASSERT_EQ(last.status, 200) << last.body;
    EXPECT_EQ(last.json()["state"], "stored");
    EXPECT_EQ(last.json()["status"], "Success");
    EXPECT_EQ(last.json()["offset"], instance.bytes.size());
    const auto [copies, stored] = StoredCopies(hub, instance.sop);
    EXPECT_EQ(copies, 1);
    EXPECT_EQ(Sha256Hex(stored), Sha256Hex(instance.bytes));
    // Asking again (an answer lost on the way) changes nothing.
    const auto again = PutPiece(unit, instance.sop, instance.bytes, 0, 500);
    EXPECT_EQ(again.status, 200) << again.body;
    EXPECT_EQ(again.json()["state"], "stored");
    EXPECT_EQ(unit.get("/relais/v1/uploads/" + instance.sop).json()["instance"], last.json()["instance"]);
  }
  EXPECT_EQ(PartFiles(hub), 0u);
  const json cases = WaitForCase(hub, spec.studyUid, std::chrono::seconds(10));
  ASSERT_EQ(cases.size(), 1u) << hub.log();
  EXPECT_EQ(cases[0]["queue"], "radiology");
  EXPECT_EQ(cases[0]["unit"], "VAN-07");
  const auto audit = ClientAs(hub, "coord").get("/relais/v1/cases/" + std::to_string(cases[0]["id"].get<int64_t>()) + "/audit");
  EXPECT_NE(audit.body.find("manifest met"), std::string::npos) << audit.body;
}

TEST(ResumableUpload, RefusalsSayWhereToContinue) {
  OrthancServer hub(UploadHub({{"UnitQuotaMB", 1}}));
  TempDir dir;
  const Instance instance = WriteInstance(dir, UnitStudy(), 1);
  const auto unit = ClientAs(hub, "unit07");
  const std::string& file = instance.bytes;
  const std::string path = "/relais/v1/uploads/" + instance.sop;

  EXPECT_EQ(unit.get(path).status, 404);
  EXPECT_EQ(unit.get(path).json()["offset"], 0);
  auto answer = PutPiece(unit, instance.sop, file, 300, 100);
  EXPECT_EQ(answer.status, 404) << answer.body;
  EXPECT_EQ(answer.json()["offset"], 0);
  ASSERT_EQ(PutPiece(unit, instance.sop, file, 0, 300).status, 200);

  // A piece at another offset than the committed one: 409 and the committed offset.
  for (size_t offset : {0u, 200u, 400u}) {
    answer = PutPiece(unit, instance.sop, file, offset, 100);
    EXPECT_EQ(answer.status, 409) << answer.body;
    EXPECT_EQ(answer.json()["offset"], 300);
  }
  // Another file under the same SOP Instance UID.
  answer = PutPiece(unit, instance.sop, file, 300, 100, std::string(64, 'c'));
  EXPECT_EQ(answer.status, 409) << answer.body;
  // A piece past the size, one past MaxPieceBytes, a malformed query.
  const int64_t size = static_cast<int64_t>(file.size());
  EXPECT_EQ(PutBytes(unit, instance.sop, 300, file.substr(300) + "xx", size, Sha256Hex(file)).status, 400);
  EXPECT_EQ(PutBytes(unit, instance.sop, 300, "abc", 10000, Sha256Hex(file)).status, 409);
  answer = unit.request("PUT", path, "abc", "application/octet-stream", {{"Relais-Upload-Offset", "300"}});
  EXPECT_EQ(answer.status, 400);
  EXPECT_NE(answer.body.find("Relais-Upload-Size"), std::string::npos) << answer.body;

  // Another unit sees nothing of it and cannot touch it.
  const auto other = ClientAs(hub, "unit12");
  EXPECT_EQ(other.get(path).status, 404);
  EXPECT_EQ(PutPiece(other, instance.sop, file, 300, 100).status, 404);
  EXPECT_EQ(other.del(path).status, 404);
  // Only units: a nurse of the same unit 403, anonymous 401.
  EXPECT_EQ(ClientAs(hub, "nurse07").get(path).status, 403);
  EXPECT_EQ(PutPiece(ClientAs(hub, "derm1"), instance.sop, file, 300, 1).status, 403);
  EXPECT_EQ(hub.client().get(path).status, 401);
  EXPECT_EQ(unit.get(path).json()["offset"], 300);

  // A wrong hash is found when the last byte arrives: 422, and the session starts again at 0.
  const std::string corrupt = file.substr(0, 300) + std::string(file.size() - 300, '\0');
  answer = PutBytes(unit, instance.sop, 300, corrupt.substr(300), size, Sha256Hex(file));
  EXPECT_EQ(answer.status, 422) << answer.body;
  EXPECT_EQ(answer.json()["offset"], 0);
  EXPECT_EQ(unit.get(path).json()["offset"], 0);
  EXPECT_EQ(StoredCopies(hub, instance.sop).first, 0);
  answer = SendPieces(unit, instance.sop, file, 0, file.size(), 4096);
  EXPECT_EQ(answer.status, 200) << answer.body;
  EXPECT_EQ(answer.json()["state"], "stored");
  EXPECT_EQ(Sha256Hex(StoredCopies(hub, instance.sop).second), Sha256Hex(file));

  // Bigger than MaxPieceBytes: 413. More than the unit's quota at once: 507.
  const std::string big(5000, 'x');
  answer = PutPiece(unit, "1.2.3.413", big, 0, big.size());
  EXPECT_EQ(answer.status, 413) << answer.body;
  const std::string huge(1024 * 1024 + 1, 'x');
  answer = PutPiece(unit, "1.2.3.507", huge, 0, 100);
  EXPECT_EQ(answer.status, 507) << answer.body;
  EXPECT_NE(answer.json()["error"].get<std::string>().find("quota"), std::string::npos);

  // Not DICOM: Orthanc refuses it, the session goes (422), nothing is left behind.
  const std::string notDicom(2000, 'n');
  answer = PutPiece(unit, "1.2.3.422", notDicom, 0, notDicom.size());
  EXPECT_EQ(answer.status, 422) << answer.body;
  EXPECT_EQ(unit.get("/relais/v1/uploads/1.2.3.422").status, 404);

  // DELETE abandons an open session.
  ASSERT_EQ(PutPiece(unit, "1.2.3.del", notDicom, 0, 100).status, 200);
  EXPECT_EQ(unit.del("/relais/v1/uploads/1.2.3.del").status, 204);
  EXPECT_EQ(unit.get("/relais/v1/uploads/1.2.3.del").status, 404);
  EXPECT_EQ(unit.del("/relais/v1/uploads/1.2.3.del").status, 404);
  EXPECT_EQ(PartFiles(hub), 0u);
}

TEST(ResumableUpload, AbandonedSessionsExpire) {
  // 0.0005 h = 2 s; the sweep runs every second (HubOptions' SweepSeconds).
  OrthancServer hub(UploadHub({{"ExpireHours", 0.0005}}));
  const auto unit = ClientAs(hub, "unit07");
  const std::string file(3000, 'e');
  ASSERT_EQ(PutPiece(unit, "1.2.3.old", file, 0, 1000).status, 200);
  EXPECT_EQ(PartFiles(hub), 1u);
  std::this_thread::sleep_for(std::chrono::milliseconds(4500));
  EXPECT_EQ(unit.get("/relais/v1/uploads/1.2.3.old").status, 404);
  EXPECT_EQ(PartFiles(hub), 0u);
  EXPECT_NE(hub.log().find("abandoned upload of 1.2.3.old"), std::string::npos);
}

TEST(ResumableUpload, KilledBetweenPiecesTheHubResumesAtItsCommittedOffset) {
  OrthancServer hub(UploadHub());
  TempDir dir;
  const Instance instance = WriteInstance(dir, UnitStudy(), 1);
  const auto unit = ClientAs(hub, "unit07");
  ASSERT_EQ(SendPieces(unit, instance.sop, instance.bytes, 0, 600, 300).status, 200);
  hub.kill9();
  hub.start();
  const auto where = unit.get("/relais/v1/uploads/" + instance.sop);
  ASSERT_EQ(where.status, 200) << where.body;
  EXPECT_EQ(where.json()["offset"], 600);
  const auto last = SendPieces(unit, instance.sop, instance.bytes, 600, instance.bytes.size(), 300);
  ASSERT_EQ(last.status, 200) << last.body;
  EXPECT_EQ(last.json()["state"], "stored");
  const auto [copies, stored] = StoredCopies(hub, instance.sop);
  EXPECT_EQ(copies, 1);
  EXPECT_EQ(stored, instance.bytes);
  EXPECT_EQ(PartFiles(hub), 0u);
}

TEST(ResumableUpload, KilledWhileAssemblingTheNextQuestionFinishesTheStoreOnce) {
  // The hub pauses between the hash check of a complete upload and its store into Orthanc.
  OrthancServer hub(UploadHub({{"TestDelayBeforeStoreMs", 3000}}));
  TempDir dir;
  const Instance instance = WriteInstance(dir, UnitStudy(), 1);
  const auto unit = ClientAs(hub, "unit07");
  const size_t lastPiece = instance.bytes.size() - 200;
  ASSERT_EQ(SendPieces(unit, instance.sop, instance.bytes, 0, lastPiece, 400).status, 200);
  std::thread finalPiece([&] {
    try {
      PutPiece(unit, instance.sop, instance.bytes, lastPiece, 200);
    } catch (const std::exception&) {
      // the hub dies under it
    }
  });
  std::this_thread::sleep_for(std::chrono::milliseconds(1000));
  hub.kill9();
  finalPiece.join();
  EXPECT_EQ(PartFiles(hub), 1u);
  hub.start();
  // Killed before its store: Orthanc does not hold it yet.
  EXPECT_EQ(StoredCopies(hub, instance.sop).first, 0);
  // Every byte was committed: the hub says so, and the question finishes the store.
  const auto where = unit.get("/relais/v1/uploads/" + instance.sop);
  ASSERT_EQ(where.status, 200) << where.body;
  EXPECT_EQ(where.json()["state"], "stored");
  EXPECT_EQ(where.json()["offset"], instance.bytes.size());
  const auto [copies, stored] = StoredCopies(hub, instance.sop);
  EXPECT_EQ(copies, 1);
  EXPECT_EQ(stored, instance.bytes);
  EXPECT_EQ(PartFiles(hub), 0u);
  // The piece sent again (the unit never got its answer) changes nothing.
  const auto again = PutPiece(unit, instance.sop, instance.bytes, lastPiece, 200);
  EXPECT_EQ(again.status, 200) << again.body;
  EXPECT_EQ(again.json()["state"], "stored");
  EXPECT_EQ(StoredCopies(hub, instance.sop).first, 1);
}

// Kills at different moments of the last piece (writing, hashing, storing, answering): after
// the restart the unit asks where the hub stands and goes on from there, as its forwarder does.
TEST(ResumableUpload, KilledAnywhereDuringTheLastPieceTheInstanceEndsUpStoredOnceAndIntact) {
  OrthancServer hub(UploadHub());
  TempDir dir;
  const TestInstance spec = UnitStudy();
  const auto unit = ClientAs(hub, "unit07");
  for (int delayMs : {0, 2, 5, 10, 20, 40}) {
    const Instance instance = WriteInstance(dir, spec, 10 + delayMs);
    const size_t lastPiece = instance.bytes.size() - 300;
    ASSERT_EQ(SendPieces(unit, instance.sop, instance.bytes, 0, lastPiece, 1000).status, 200);
    std::thread finalPiece([&] {
      try {
        PutPiece(unit, instance.sop, instance.bytes, lastPiece, 300);
      } catch (const std::exception&) {
      }
    });
    std::this_thread::sleep_for(std::chrono::milliseconds(delayMs));
    hub.kill9();
    finalPiece.join();
    hub.start();
    const auto where = unit.get("/relais/v1/uploads/" + instance.sop);
    ASSERT_EQ(where.status, 200) << delayMs << " ms: " << where.body;
    if (where.json()["state"] == "receiving") {
      const size_t offset = where.json()["offset"].get<size_t>();
      EXPECT_EQ(offset, lastPiece) << delayMs << " ms";
      const auto last = SendPieces(unit, instance.sop, instance.bytes, offset, instance.bytes.size(), 1000);
      ASSERT_EQ(last.status, 200) << delayMs << " ms: " << last.body;
      EXPECT_EQ(last.json()["state"], "stored");
    }
    const auto [copies, stored] = StoredCopies(hub, instance.sop);
    EXPECT_EQ(copies, 1) << delayMs << " ms";
    EXPECT_EQ(Sha256Hex(stored), Sha256Hex(instance.bytes)) << delayMs << " ms";
    EXPECT_EQ(PartFilesAfterASweep(hub), 0u) << delayMs << " ms";
  }
}

TEST(ResumableUpload, AnInstanceOrthancHoldsAlreadyIsAnsweredAlreadyStored) {
  OrthancServer hub(UploadHub());
  TempDir dir;
  const Instance instance = WriteInstance(dir, UnitStudy(), 1);
  const auto unit = ClientAs(hub, "unit07");
  ASSERT_EQ(unit.post("/instances", instance.bytes, "application/dicom").status, 200);
  const auto where = unit.get("/relais/v1/uploads/" + instance.sop);
  ASSERT_EQ(where.status, 200) << where.body;
  EXPECT_EQ(where.json()["state"], "stored");
  EXPECT_EQ(where.json()["status"], "AlreadyStored");
  const auto sent = SendPieces(unit, instance.sop, instance.bytes, 0, instance.bytes.size(), 4096);
  ASSERT_EQ(sent.status, 200) << sent.body;
  EXPECT_EQ(sent.json()["status"], "AlreadyStored");
  EXPECT_EQ(StoredCopies(hub, instance.sop).first, 1);
}

TEST(ResumableUpload, TheReportPdfComesBackInRanges) {
  OrthancServer hub(UploadHub());
  TempDir dir;
  const TestInstance spec = UnitStudy("dermatology");
  const Instance instance = WriteInstance(dir, spec, 1);
  const auto unit = ClientAs(hub, "unit07");
  ASSERT_EQ(unit.postJson("/relais/v1/studies/" + spec.studyUid + "/manifest", {{"instances", {instance.sop}}}).status,
            200);
  ASSERT_EQ(SendPieces(unit, instance.sop, instance.bytes, 0, instance.bytes.size(), 700).status, 200);
  const json cases = WaitForCase(hub, spec.studyUid, std::chrono::seconds(10));
  ASSERT_EQ(cases.size(), 1u);
  ASSERT_EQ(cases[0]["queue"], "dermatology");
  const std::string casePath = "/relais/v1/cases/" + std::to_string(cases[0]["id"].get<int64_t>());
  const auto derm = ClientAs(hub, "derm1");
  ASSERT_EQ(derm.post(casePath + "/claim", "{}").status, 200);
  const auto reported = derm.postJson(casePath + "/report", ValidDermatologyReport());
  ASSERT_EQ(reported.status, 201) << reported.body;

  const auto whole = unit.get(casePath + "/report.pdf");
  ASSERT_EQ(whole.status, 200);
  ASSERT_GT(whole.body.size(), 1000u);
  const std::string etag = whole.headers.at("etag");
  EXPECT_EQ(whole.headers.at("accept-ranges"), "bytes");
  const size_t cut = whole.body.size() / 3;
  const auto head = unit.get(casePath + "/report.pdf", {{"Range", "bytes=0-" + std::to_string(cut - 1)}});
  ASSERT_EQ(head.status, 206);
  EXPECT_EQ(head.headers.at("content-range"),
            "bytes 0-" + std::to_string(cut - 1) + "/" + std::to_string(whole.body.size()));
  const auto rest = unit.get(casePath + "/report.pdf", {{"Range", "bytes=" + std::to_string(cut) + "-"}, {"If-Range", etag}});
  ASSERT_EQ(rest.status, 206);
  EXPECT_EQ(rest.headers.at("content-length"), std::to_string(whole.body.size() - cut));
  EXPECT_EQ(head.body + rest.body, whole.body);
  // Past the end: 416; another version's tag: the whole PDF again.
  EXPECT_EQ(unit.get(casePath + "/report.pdf", {{"Range", "bytes=" + std::to_string(whole.body.size()) + "-"}}).status,
            416);
  const auto stale = unit.get(casePath + "/report.pdf", {{"Range", "bytes=10-"}, {"If-Range", "\"relais-report-0\""}});
  EXPECT_EQ(stale.status, 200);
  EXPECT_EQ(stale.body, whole.body);
}

// Several nodes sharing PostgreSQL behind a load balancer: the sessions are rows of the shared
// database and the part files live in a folder both nodes reach, so a unit whose pieces land
// on either node (one of them killed in between) ends with its instance stored once.
TEST(ResumableUpload, NodesSharingPostgresqlAndTheFolderContinueEachOthersUploads) {
  std::string connection;
  try {
    connection = PostgresTestServer::Instance().newDatabase();
  } catch (const std::exception& e) {
    FAIL() << e.what();
  }
  TempDir shared;
  const json relais = {{"CaseStore", {{"Backend", "postgresql"}, {"Connection", connection}}},
                       {"Uploads", {{"Directory", (shared / "uploads").string()}, {"MaxPieceBytes", 4096}}}};
  OrthancServer nodeA(HubOptions(relais));
  OrthancServer nodeB(HubOptions(relais));
  TempDir dir;
  const Instance instance = WriteInstance(dir, UnitStudy(), 1);
  const auto viaA = ClientAs(nodeA, "unit07");
  const auto viaB = ClientAs(nodeB, "unit07");
  ASSERT_EQ(SendPieces(viaA, instance.sop, instance.bytes, 0, 600, 300).status, 200);
  nodeA.kill9();
  const auto where = viaB.get("/relais/v1/uploads/" + instance.sop);
  ASSERT_EQ(where.status, 200) << where.body;
  EXPECT_EQ(where.json()["offset"], 600);
  EXPECT_EQ(PutPiece(viaB, instance.sop, instance.bytes, 300, 300).status, 409);
  const auto last = SendPieces(viaB, instance.sop, instance.bytes, 600, instance.bytes.size(), 300);
  ASSERT_EQ(last.status, 200) << last.body;
  EXPECT_EQ(last.json()["state"], "stored");
  const auto [copies, stored] = StoredCopies(nodeB, instance.sop);
  EXPECT_EQ(copies, 1);
  EXPECT_EQ(stored, instance.bytes);
  nodeA.start();
  const auto fromA = viaA.get("/relais/v1/uploads/" + instance.sop);
  EXPECT_EQ(fromA.status, 200);
  EXPECT_EQ(fromA.json()["state"], "stored");
  size_t parts = 0;
  for (const auto& entry : std::filesystem::directory_iterator(shared / "uploads")) parts += entry.is_regular_file();
  EXPECT_EQ(parts, 0u);
}
