#pragma once
// Sends instances over DICOM C-STORE (DCMTK's DcmSCU) to any storage SCP: a hub that speaks
// only DICOM, a hospital PACS, DCMTK's storescp. One association is kept open and renegotiated
// when an instance needs a presentation context (SOP Class, Transfer Syntax) it lacks. The
// C-STORE response status decides: success and warnings mean stored, "out of resources" is
// retried, anything else refuses the instance. There is no manifest over DICOM: a study is
// complete when its last instance is confirmed.
//
// Debian's DCMTK keeps Nagle's algorithm on unless TCP_NODELAY=1 is in the environment (11
// instead of ~500 instances/s on loopback); the constructor sets it unless already set.
#include <memory>
#include <set>
#include <string>
#include <utility>

#include "outbox/ForwarderConfig.h"
#include "outbox/Transport.h"

class DcmSCU;

namespace relais::outbox {

class DicomTransport : public Transport {
 public:
  explicit DicomTransport(DicomPeer peer);
  ~DicomTransport() override;

  SendOutcome send(const PendingInstance& instance) override;
  SendOutcome completeStudy(const ManifestDue& study) override;
  std::string destination() const override;

  // How a C-STORE response status maps to an outcome (pure; for the unit tests).
  static SendOutcome ClassifyStatus(unsigned status);

 private:
  void disconnect();
  std::string connect();  // empty on success, else why not

  DicomPeer peer_;
  std::unique_ptr<DcmSCU> scu_;
  std::set<std::pair<std::string, std::string>> contexts_;  // (SOP Class, Transfer Syntax)
};

}  // namespace relais::outbox
