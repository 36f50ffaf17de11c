#include "domain/report/PacsTransfer.h"

#include <gtest/gtest.h>

#include "domain/report/ReportingConfiguration.h"

using namespace relais::report;

TEST(PacsTransfer, FailuresAreRetriedWithGrowingDelayThenGivenUp) {
  RetryPolicy policy{3, 10, 25};
  EXPECT_EQ(RetryDelaySeconds(policy, 1), 10);
  EXPECT_EQ(RetryDelaySeconds(policy, 2), 20);
  EXPECT_EQ(RetryDelaySeconds(policy, 3), 25);
  PacsTransfer t;
  t.state = "running";
  t.jobId = "job-1";
  t.attempts = 1;
  t = AfterJobState(t, "Running", "", policy, 1000);
  EXPECT_EQ(t.state, "running");
  t = AfterJobState(t, "Failure", "C-STORE refused", policy, 1000);
  EXPECT_EQ(t.state, "queued");
  EXPECT_EQ(t.nextAttemptAt, 1010);
  EXPECT_EQ(t.lastError, "C-STORE refused");
  EXPECT_TRUE(t.jobId.empty());
  t.attempts = 3;
  t = AfterStartFailure(t, "unknown modality", policy, 2000);
  EXPECT_EQ(t.state, "failed");
  PacsTransfer lost;
  lost.state = "running";
  lost.jobId = "gone";
  lost.attempts = 1;
  lost = AfterJobState(lost, "", "", policy, 0);
  EXPECT_EQ(lost.state, "queued");
  EXPECT_NE(lost.lastError.find("gone"), std::string::npos);
  PacsTransfer ok;
  ok.state = "running";
  ok = AfterJobState(ok, "Success", "", policy, 5);
  EXPECT_EQ(ok.state, "succeeded");
}

TEST(ReportingConfiguration, DefaultsAndErrorsNamingTheKey) {
  nlohmann::json orthanc = {{"Name", "Relais Hub Dakar"}, {"StorageDirectory", "/var/lib/orthanc"}, {"Relais", {}}};
  auto c = ReportingConfiguration::Parse(orthanc, "orthanc.json", "/templates");
  EXPECT_EQ(c.templatesDirectory, "/templates");
  EXPECT_EQ(c.storePath, "/var/lib/orthanc/relais-reports.db");
  EXPECT_EQ(c.hubName, "Relais Hub Dakar");
  orthanc["Relais"]["PacsDestinations"] = {{"MaxAttempts", 3}, {"RetrySeconds", 2}};
  c = ReportingConfiguration::Parse(orthanc, "orthanc.json", "/templates");
  EXPECT_EQ(c.retry.maxAttempts, 3);
  EXPECT_EQ(c.retry.firstDelaySeconds, 2);
  orthanc["Relais"]["PacsDestinations"]["MaxAttempts"] = "five";
  try {
    ReportingConfiguration::Parse(orthanc, "orthanc.json", "/templates");
    FAIL();
  } catch (const std::invalid_argument& e) {
    EXPECT_EQ(std::string(e.what()), "orthanc.json: Relais.PacsDestinations.MaxAttempts: expected a positive integer");
  }
  orthanc["Relais"]["PacsDestinations"] = {{"Retries", 3}};
  EXPECT_THROW(ReportingConfiguration::Parse(orthanc, "orthanc.json", "/templates"), std::invalid_argument);
}
