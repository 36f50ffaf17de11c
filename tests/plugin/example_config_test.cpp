// The example configuration in config/ is what an administrator starts from: it must load.
#include <gtest/gtest.h>

#include <algorithm>
#include <fstream>
#include <set>
#include <nlohmann/json.hpp>

#include "domain/ConfigError.h"
#include "domain/RoutingRules.h"
#include "domain/User.h"
#include "infra/DeclaredSenders.h"
#include "infra/HubConfiguration.h"
#include "infra/OpenCaseStore.h"
#include "infra/UserDirectory.h"

using namespace relais;

TEST(ExampleConfig, RulesAndUsersLoadAndTheExamplePasswordsWork) {
  auto rules = RoutingRules::Load(RELAIS_SOURCE_DIR "/config/rules.example.json");
  EXPECT_GE(rules.rules().size(), 6u);
  auto users = UserDirectory::Load(RELAIS_SOURCE_DIR "/config/users.example.json");
  EXPECT_TRUE(users.verify("derm1", "derm1-pass").has_value());
  EXPECT_FALSE(users.verify("derm1", "admin-pass").has_value());
  EXPECT_TRUE(users.isKnownUnit("VAN-07"));
}

// relais-capture refuses a specialty its unit's list does not hold (a misspelt one would land
// in triage): that list must be the hub's queues, triage aside.
TEST(ExampleConfig, TheSpecialtiesAUnitMayAskForAreTheHubsQueues) {
  std::ifstream in(RELAIS_SOURCE_DIR "/config/capture/specialties.json");
  ASSERT_TRUE(in) << "config/capture/specialties.json";
  const auto unit = nlohmann::json::parse(in).at("specialties").get<std::vector<std::string>>();
  std::vector<std::string> hub;
  for (const auto& queue : KnownQueues()) {
    if (queue != "triage") hub.push_back(queue);
  }
  EXPECT_EQ(std::set<std::string>(unit.begin(), unit.end()), std::set<std::string>(hub.begin(), hub.end()));
}

TEST(HubConfiguration, DefaultsAndErrorsNameTheKey) {
  auto c = HubConfiguration::Parse({{"StorageDirectory", "/var/lib/orthanc/db"}}, "orthanc.json");
  EXPECT_EQ(c.caseStorePath, "/var/lib/orthanc/db/relais-cases.db");
  EXPECT_EQ(c.claimLeaseSeconds, 3600);
  EXPECT_FALSE(c.usersFile.has_value());
  auto expectError = [](const nlohmann::json& relais, const std::string& message) {
    try {
      HubConfiguration::Parse({{"Relais", relais}}, "orthanc.json");
      ADD_FAILURE() << "accepted " << relais.dump();
    } catch (const ConfigError& e) {
      EXPECT_EQ(std::string(e.what()), message);
    }
  };
  expectError({{"CaseStore", {{"Backend", "mysql"}}}},
              "orthanc.json: Relais.CaseStore.Backend: expected \"sqlite\" or \"postgresql\"");
  const std::string connectionExpected =
      "orthanc.json: Relais.CaseStore.Connection: expected a libpq connection string for the postgresql back end, "
      "e.g. \"host=db.example dbname=relais user=relais\"";
  expectError({{"CaseStore", {{"Backend", "postgresql"}}}}, connectionExpected);
  expectError({{"CaseStore", {{"Backend", "postgresql"}, {"Connection", 5432}}}}, connectionExpected);
  expectError({{"ClaimLeaseSeconds", -5}}, "orthanc.json: Relais.ClaimLeaseSeconds: expected a positive whole number of seconds");
  expectError({{"RulesFile", "/nonexistent.json"}},
              "orthanc.json: Relais.RulesFile: expected an existing file, '/nonexistent.json' is not one");
  expectError("x", "orthanc.json: Relais: expected an object");
}

TEST(DeclaredSenders, OnlyDeclaredModalitiesMayStore) {
  EXPECT_EQ(DeclaredDicomSenders({{"DicomAlwaysAllowStore", false}}, "orthanc.json"), std::vector<std::string>{});
  const nlohmann::json orthanc = {
      {"DicomAlwaysAllowStore", false},
      {"DicomModalities",
       {{"pacs", {"CHUPACS", "10.0.0.5", 104}},
        {"van", {{"AET", "VAN07"}, {"Host", "0.0.0.0"}, {"Port", 104}}},
        {"query-only", {{"AET", "VIEWER"}, {"Host", "10.0.0.9"}, {"Port", 104}, {"AllowStore", false}}}}}};
  EXPECT_EQ(DeclaredDicomSenders(orthanc, "orthanc.json"), (std::vector<std::string>{"CHUPACS", "VAN07"}));
  const std::string expected =
      "orthanc.json: DicomAlwaysAllowStore: expected false (Orthanc's default, true, lets any DICOM sender create "
      "cases; declare each modality and unit that stores in DicomModalities instead)";
  for (const auto& open : {nlohmann::json::object(), nlohmann::json{{"DicomAlwaysAllowStore", true}}}) {
    try {
      DeclaredDicomSenders(open, "orthanc.json");
      ADD_FAILURE() << "accepted " << open.dump();
    } catch (const ConfigError& e) {
      EXPECT_EQ(std::string(e.what()), expected);
    }
  }
  // The example configuration declares its senders.
  std::ifstream example(RELAIS_SOURCE_DIR "/config/orthanc.json");
  EXPECT_EQ(DeclaredDicomSenders(nlohmann::json::parse(example), "config/orthanc.json").size(), 2u);
}

TEST(HubConfiguration, ReconciliationTakesItsPeriodAndOrthancsStableAge) {
  auto c = HubConfiguration::Parse(nlohmann::json::object(), "orthanc.json");
  EXPECT_EQ(c.reconcileSeconds, 60);
  EXPECT_EQ(c.stableAgeSeconds, 60);  // Orthanc's default
  c = HubConfiguration::Parse({{"StableAge", 10}, {"Relais", {{"ReconcileSeconds", 5}}}}, "orthanc.json");
  EXPECT_EQ(c.reconcileSeconds, 5);
  EXPECT_EQ(c.stableAgeSeconds, 10);
  try {
    HubConfiguration::Parse({{"StableAge", "10"}}, "orthanc.json");
    ADD_FAILURE() << "accepted a StableAge in quotes";
  } catch (const ConfigError& e) {
    EXPECT_EQ(std::string(e.what()), "orthanc.json: StableAge: expected a positive whole number of seconds");
  }
}

TEST(HubConfiguration, PostgresqlCaseStoreTakesAConnectionString) {
  const auto c = HubConfiguration::Parse(
      {{"Relais", {{"CaseStore", {{"Backend", "postgresql"}, {"Connection", "host=db1 dbname=relais"}}}}}},
      "orthanc.json");
  EXPECT_EQ(c.caseStoreBackend, "postgresql");
  EXPECT_EQ(c.caseStoreConnection, "host=db1 dbname=relais");
}

TEST(HubConfiguration, UnreachablePostgresqlCaseStoreStopsTheStartWithItsTarget) {
  // Port 1 on the loopback: nothing listens there, the connection is refused at once.
  const auto c = HubConfiguration::Parse(
      {{"Relais",
        {{"CaseStore",
          {{"Backend", "postgresql"}, {"Connection", "host=127.0.0.1 port=1 dbname=relais password=hidden-pw"}}}}}},
      "orthanc.json");
  try {
    OpenCaseStore(c);
    FAIL() << "opened a case store on a closed port";
  } catch (const std::runtime_error& e) {
    const std::string message = e.what();
    EXPECT_NE(message.find("cannot connect to the case store at host=127.0.0.1 port=1 dbname=relais"),
              std::string::npos)
        << message;
    EXPECT_EQ(message.find("hidden-pw"), std::string::npos) << message;
  }
}

TEST(HubConfiguration, UploadsDefaultBesideTheStorageAndErrorsNameTheKey) {
  auto c = HubConfiguration::Parse({{"StorageDirectory", "/var/lib/orthanc/db"}}, "orthanc.json");
  EXPECT_EQ(c.uploadsDirectory, "/var/lib/orthanc/db/relais-uploads");
  EXPECT_EQ(c.uploads.expireSeconds, 72 * 3600);
  EXPECT_EQ(c.uploads.unitQuotaBytes, int64_t{4096} * 1024 * 1024);
  EXPECT_EQ(c.uploads.maxPieceBytes, 16777216);
  c = HubConfiguration::Parse(
      {{"Relais", {{"Uploads", {{"Directory", "/data/up"}, {"ExpireHours", 0.001}, {"UnitQuotaMB", 2}, {"MaxPieceBytes", 65536}}}}}},
      "orthanc.json");
  EXPECT_EQ(c.uploadsDirectory, "/data/up");
  EXPECT_EQ(c.uploads.expireSeconds, 4);
  EXPECT_EQ(c.uploads.unitQuotaBytes, 2 * 1024 * 1024);
  EXPECT_EQ(c.uploads.maxPieceBytes, 65536);
  for (const auto& [uploads, key] : std::vector<std::pair<nlohmann::json, std::string>>{
           {{{"ExpireHours", -1}}, "Relais.Uploads.ExpireHours"},
           {{{"UnitQuotaMB", "big"}}, "Relais.Uploads.UnitQuotaMB"},
           {{{"MaxPieceBytes", 10}}, "Relais.Uploads.MaxPieceBytes"},
           {{{"Directory", ""}}, "Relais.Uploads.Directory"},
           {"x", "Relais.Uploads"}}) {
    try {
      HubConfiguration::Parse({{"Relais", {{"Uploads", uploads}}}}, "orthanc.json");
      ADD_FAILURE() << "accepted " << uploads.dump();
    } catch (const ConfigError& e) {
      EXPECT_EQ(e.key(), key);
      EXPECT_EQ(std::string(e.what()).rfind("orthanc.json: " + key + ": expected ", 0), 0u) << e.what();
    }
  }
}

TEST(HubConfiguration, BodyLimitsDefaultsAndErrorsNameTheKey) {
  auto c = HubConfiguration::Parse(nlohmann::json::object(), "orthanc.json");
  EXPECT_EQ(c.bodies.instanceBytes, int64_t{2} << 30);
  EXPECT_EQ(c.bodies.pieceBytes, 16777216);
  EXPECT_EQ(c.storageDirectory, "OrthancStorage");
  c = HubConfiguration::Parse({{"StorageDirectory", "/data/dicom"},
                               {"Relais", {{"MaxInstanceBytes", 100000}, {"Uploads", {{"MaxPieceBytes", 65536}}}}}},
                              "orthanc.json");
  EXPECT_EQ(c.bodies.instanceBytes, 100000);
  EXPECT_EQ(c.bodies.pieceBytes, 65536);
  EXPECT_EQ(c.storageDirectory, "/data/dicom");
  for (const nlohmann::json& bad : {nlohmann::json(10), nlohmann::json("2G"), nlohmann::json(1.5e6)}) {
    try {
      HubConfiguration::Parse({{"Relais", {{"MaxInstanceBytes", bad}}}}, "orthanc.json");
      ADD_FAILURE() << "accepted " << bad.dump();
    } catch (const ConfigError& e) {
      EXPECT_EQ(e.key(), "Relais.MaxInstanceBytes");
    }
  }
}

TEST(HubConfiguration, SignInDefaultsAndErrorsNameTheKey) {
  auto c = HubConfiguration::Parse(nlohmann::json::object(), "orthanc.json");
  EXPECT_EQ(c.signIn.freeFailures, 3);
  EXPECT_EQ(c.signIn.lockAfterFailures, 10);
  EXPECT_EQ(c.signIn.lockSeconds, 900);
  EXPECT_EQ(c.signIn.passwordChecksAtOnce, 2);
  c = HubConfiguration::Parse({{"Relais", {{"SignIn", {{"LockAfterFailures", 5}, {"LockSeconds", 3}}}}}}, "orthanc.json");
  EXPECT_EQ(c.signIn.lockAfterFailures, 5);
  EXPECT_EQ(c.signIn.lockSeconds, 3);
  try {
    HubConfiguration::Parse({{"Relais", {{"SignIn", {{"PasswordChecksAtOnce", 0}}}}}}, "orthanc.json");
    ADD_FAILURE() << "accepted no password check at all";
  } catch (const ConfigError& e) {
    EXPECT_STREQ(e.what(), "orthanc.json: Relais.SignIn.PasswordChecksAtOnce: expected a whole number of checks from 1 to 64");
  }
  EXPECT_THROW(HubConfiguration::Parse({{"Relais", {{"SignIn", "strict"}}}}, "orthanc.json"), ConfigError);
}
