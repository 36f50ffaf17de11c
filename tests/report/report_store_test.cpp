#include "infra/report/ReportStore.h"

#include <gtest/gtest.h>

#include "SampleReports.h"
#include "harness/TempDir.h"

using namespace relais::report;

namespace {
StoredReport Version(int64_t caseId, int version) {
  StoredReport r;
  r.caseId = caseId;
  r.version = version;
  r.author = "derm1";
  r.signedAt = "2026-11-25T22:50:07Z";
  r.document = ToJson(test::SampleDocument("dermatology"));
  r.sr = {"1.2.3", "1.2.3.4", "1.2.840.10008.5.1.4.1.1.88.33", "1.2.3.4." + std::to_string(version)};
  r.pdf = {"1.2.3", "1.2.3.5", "1.2.840.10008.5.1.4.1.1.104.1", "1.2.3.5." + std::to_string(version)};
  r.srOrthancId = "sr-" + std::to_string(version);
  r.pdfOrthancId = "pdf-" + std::to_string(version);
  return r;
}
}  // namespace

TEST(ReportStore, KeepsEveryVersionAndItsPdfAcrossReopening) {
  relais::test::TempDir dir;
  const std::string path = (dir / "reports.db").string();
  {
    ReportStore store(path);
    store.addReport(Version(12, 1), "%PDF-1 first");
    store.addReport(Version(12, 2), "%PDF-1 second");
    EXPECT_THROW(store.addReport(Version(12, 2), "%PDF-1 again"), std::runtime_error) << "one version 2 per case";
  }
  ReportStore store(path);
  auto all = store.reports(12);
  ASSERT_EQ(all.size(), 2u);
  EXPECT_EQ(all[0].version, 1);
  EXPECT_EQ(store.latest(12)->version, 2);
  EXPECT_EQ(store.latest(12)->sr.sopInstanceUid, "1.2.3.4.2");
  EXPECT_EQ(store.pdf(all[0].id), "%PDF-1 first");
  EXPECT_EQ(ReportDocumentFromJson(all[1].document).patient.name, "DIALLO^AMINATA");
  EXPECT_FALSE(store.latest(13));
  store.removeReport(all[1].id);
  EXPECT_EQ(store.latest(12)->version, 1);
}

TEST(ReportStore, InboxItemsAreUniquePerSourceAndAcknowledgedOnce) {
  relais::test::TempDir dir;
  ReportStore store((dir / "reports.db").string());
  InboxItem item;
  item.caseId = 12;
  item.unit = "VAN-07";
  item.kind = "report";
  item.studyInstanceUid = "1.2.3";
  item.createdAt = "2026-11-25T22:50:07Z";
  item.message = "Report";
  item.reportId = 1;
  item.sourceKey = "report:1";
  const InboxItem first = store.addInboxItem(item);
  EXPECT_EQ(store.addInboxItem(item).id, first.id);
  item.unit = "VAN-12";
  item.sourceKey = "report:2";
  store.addInboxItem(item);
  ASSERT_EQ(store.inbox("VAN-07").size(), 1u);
  EXPECT_TRUE(store.acknowledge(first.id, "unit07", "2026-11-25T23:00:00Z"));
  EXPECT_FALSE(store.acknowledge(first.id, "unit07", "2026-11-25T23:00:01Z"));
  EXPECT_TRUE(store.inbox("VAN-07").empty());
  EXPECT_EQ(store.inbox("VAN-07", true).size(), 1u);
  EXPECT_EQ(*store.inboxItem(first.id)->ackedAt, "2026-11-25T23:00:00Z");
}

TEST(ReportStore, TransfersAreTrackedUntilDone) {
  relais::test::TempDir dir;
  ReportStore store((dir / "reports.db").string());
  PacsTransfer t;
  t.caseId = 12;
  t.reportId = 1;
  t.destination = "CHU";
  t.resources = {"study-1"};
  t.id = store.addTransfer(t);
  ASSERT_EQ(store.activeTransfers().size(), 1u);
  t.state = "succeeded";
  store.updateTransfer(t);
  EXPECT_TRUE(store.activeTransfers().empty());
  EXPECT_EQ(store.transfers(12)[0].state, "succeeded");
  EXPECT_EQ(store.transfers(12)[0].resources, std::vector<std::string>{"study-1"});
}
