#pragma once
// Sends instances to the hub. A Relais hub takes each one as a resumable upload session
// (ResumableUpload over /relais/v1/uploads, pieces sized to the measured link); a plain
// Orthanc (postManifest false) with POST /instances, Orthanc's answer "Success" or
// "AlreadyStored" meaning it holds the instance. After the last instance of a study it posts
// the study's manifest (POST /relais/v1/studies/{uid}/manifest) and keeps the hub's answer as
// the acknowledgement. 401/403 anywhere means the hub refuses the unit's account.
#include <memory>

#include "outbox/HubConnection.h"
#include "outbox/PieceSizer.h"
#include "outbox/Transport.h"

namespace relais::outbox {

class HttpTransport : public Transport {
 public:
  // `postManifest` false: a plain Orthanc without the Relais plugin (nothing to route).
  // `configFile`: where the settings come from, named when the hub refuses the account.
  HttpTransport(HubSettings settings, bool postManifest = true, std::string configFile = {});

  SendOutcome send(const PendingInstance& instance) override;
  SendOutcome send(const PendingInstance& instance, const SendHooks& hooks) override;
  SendOutcome completeStudy(const ManifestDue& study) override;
  std::string destination() const override;
  std::string accountFingerprint() const override;
  bool sendsInPieces() const override { return postManifest_; }

  // "the hub refused the unit's account unit07 (401 Unauthorized): check user and
  // passwordFile in /etc/relais/forward.json" (pure; for the unit tests).
  static std::string AccountRefusal(const std::string& user, const std::string& configFile, int status);
  static std::string AccountFingerprint(const HubSettings& settings);

  // How an HTTP status and body map to an outcome (pure; exposed for the unit tests).
  static SendOutcome ClassifyInstanceAnswer(int status, const std::string& body);
  static SendOutcome ClassifyManifestAnswer(int status, const std::string& body);

 private:
  SendOutcome postInstance(const PendingInstance& instance);

  HubConnection hub_;
  bool postManifest_;
  std::string configFile_;
  PieceSizer sizer_;
};

}  // namespace relais::outbox
