#pragma once
// The plugin's own section of Orthanc's configuration ("Relais"), validated in one place.
// Every mistake is a ConfigError naming the configuration file, the key (e.g.
// "Relais.ClaimLeaseSeconds") and what was expected; the plugin then refuses to load.
//
// {"Relais": {"RulesFile": "...", "UsersFile": "...",
//             "CaseStore": {"Backend": "sqlite", "Path": "<StorageDirectory>/relais-cases.db"},
//             (or, for several nodes sharing one database,
//              "CaseStore": {"Backend": "postgresql", "Connection": "host=... dbname=... user=..."}),
//             "ClaimLeaseSeconds": 3600, "ManifestWaitSeconds": 3600, "SweepSeconds": 10,
//             "ReconcileSeconds": 60, "MaxInstanceBytes": 2147483648,
//             "Uploads": {"Directory": "<StorageDirectory>/relais-uploads", "ExpireHours": 72,
//                         "UnitQuotaMB": 4096, "MaxPieceBytes": 16777216},
//             "SignIn": {"FreeFailures": 3, "FirstDelaySeconds": 1, "MaxDelaySeconds": 60,
//                        "LockAfterFailures": 10, "AddressLockAfterFailures": 30, "LockSeconds": 900,
//                        "PasswordChecksAtOnce": 2, "PasswordCheckWaitMs": 3000}}}
// Orthanc's own StableAge (top level, default 60) is read too: the reconciliation calls a study
// complete after that much quiet, as Orthanc does.
// Keys owned by other components (TemplatesDirectory, ViewerDirectory, PacsDestinations) are
// read by them.
#include <optional>
#include <string>

#include <nlohmann/json.hpp>

#include "domain/BodyLimits.h"
#include "domain/SignInThrottle.h"
#include "domain/UploadSession.h"

namespace relais {

struct HubConfiguration {
  std::optional<std::string> rulesFile;  // none: every study goes to triage
  std::optional<std::string> usersFile;  // none: no accounts, only public routes answer
  std::string caseStoreBackend = "sqlite";  // or "postgresql"
  std::string caseStorePath;                // sqlite
  std::string caseStoreConnection;          // postgresql: a libpq connection string
  int claimLeaseSeconds = 3600;
  // A study from a unit with an account waits this long for its manifest before it is routed
  // anyway (flagged in the audit trail), so nothing is stuck forever.
  int manifestWaitSeconds = 3600;
  // How often the routing worker sweeps /changes and expires leases without being woken.
  int sweepSeconds = 10;
  // Resumable uploads of the units' instances: where the partial files are kept, and the
  // limits (ExpireHours may be a fraction: tests expire sessions within seconds).
  std::string uploadsDirectory;
  // Orthanc's StorageDirectory: a complete upload is stored only if the disk has room for it.
  std::string storageDirectory = "OrthancStorage";
  UploadLimits uploads;
  // Tests only ("Uploads": {"TestDelayBeforeStoreMs": ...}): a pause after a complete upload's
  // hash check and before its store into Orthanc, so a test can kill the hub in between.
  int64_t uploadsTestDelayBeforeStoreMs = 0;
  // How often studies Orthanc holds without a case are looked for (and at start).
  int reconcileSeconds = 60;
  // Orthanc's StableAge: the quiet after a study's last instance that makes it complete.
  int stableAgeSeconds = 60;
  // Failed HTTP Basic sign-ins: delays, locks, and how many Argon2 checks run at once.
  SignInPolicy signIn;
  // The largest request body each route takes (Relais.MaxInstanceBytes for Orthanc's POST
  // /instances; the upload pieces' limit is Uploads.MaxPieceBytes).
  BodyLimits bodies;

  // `orthanc` is Orthanc's whole merged configuration; `file` names it in error messages.
  static HubConfiguration Parse(const nlohmann::json& orthanc, const std::string& file);
};

}  // namespace relais
