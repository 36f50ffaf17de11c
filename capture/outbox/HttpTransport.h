#pragma once
// Sends instances to the hub with POST /instances (Orthanc's own route, behind the plugin's
// unit-account check) and checks Orthanc's answer for each: "Success" or "AlreadyStored"
// means the hub holds it. After the last instance of a study it posts the study's manifest
// (POST /relais/v1/studies/{uid}/manifest) and keeps the hub's answer as the acknowledgement.
#include <memory>

#include "outbox/HubConnection.h"
#include "outbox/Transport.h"

namespace relais::outbox {

class HttpTransport : public Transport {
 public:
  // `postManifest` false: a plain Orthanc without the Relais plugin (nothing to route).
  HttpTransport(HubSettings settings, bool postManifest = true);

  SendOutcome send(const PendingInstance& instance) override;
  SendOutcome completeStudy(const ManifestDue& study) override;
  std::string destination() const override;

  // How an HTTP status and body map to an outcome (pure; exposed for the unit tests).
  static SendOutcome ClassifyInstanceAnswer(int status, const std::string& body);
  static SendOutcome ClassifyManifestAnswer(int status, const std::string& body);

 private:
  HubConnection hub_;
  bool postManifest_;
};

}  // namespace relais::outbox
