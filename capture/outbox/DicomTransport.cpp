#include "outbox/DicomTransport.h"

#include <dcmtk/dcmdata/dcuid.h>
#include <dcmtk/dcmnet/diutil.h>
#include <dcmtk/dcmnet/scu.h>

#include <cstdio>
#include <cstdlib>

namespace relais::outbox {

namespace {

std::string Hex(unsigned status) {
  char text[16];
  std::snprintf(text, sizeof text, "0x%04X", status);
  return text;
}

bool IsUncompressed(const std::string& ts) {
  return ts == UID_LittleEndianExplicitTransferSyntax || ts == UID_LittleEndianImplicitTransferSyntax ||
         ts == UID_BigEndianExplicitTransferSyntax;
}

}  // namespace

DicomTransport::DicomTransport(DicomPeer peer) : peer_(std::move(peer)) { setenv("TCP_NODELAY", "1", 0); }

DicomTransport::~DicomTransport() { disconnect(); }

std::string DicomTransport::destination() const {
  return peer_.calledAet + "@" + peer_.host + ":" + std::to_string(peer_.port);
}

SendOutcome DicomTransport::ClassifyStatus(unsigned status) {
  // PS3.4 Annex B: 0000 success; B000, B006, B007 warnings (stored, with coercion etc.).
  if (status == 0x0000 || status == 0xB000 || status == 0xB006 || status == 0xB007) {
    return SendOutcome::stored("C-STORE status " + Hex(status));
  }
  if ((status & 0xFF00) == 0xA700) return SendOutcome::retry("the receiver is out of resources (C-STORE status " + Hex(status) + ")");
  return SendOutcome::refused("the receiver refused it (C-STORE status " + Hex(status) + ")");
}

void DicomTransport::disconnect() {
  if (scu_ && scu_->isConnected()) scu_->releaseAssociation();
  scu_.reset();
}

std::string DicomTransport::connect() {
  scu_ = std::make_unique<DcmSCU>();
  scu_->setAETitle(peer_.callingAet.c_str());
  scu_->setPeerAETitle(peer_.calledAet.c_str());
  scu_->setPeerHostName(peer_.host.c_str());
  scu_->setPeerPort(peer_.port);
  scu_->setConnectionTimeout(15);
  scu_->setACSETimeout(30);
  scu_->setDIMSEBlockingMode(DIMSE_NONBLOCKING);
  scu_->setDIMSETimeout(120);
  for (const auto& [sopClass, ts] : contexts_) {
    OFList<OFString> syntaxes;
    syntaxes.push_back(ts.c_str());
    // Uncompressed data can be converted, so offer the default syntax as a fallback.
    if (IsUncompressed(ts) && ts != UID_LittleEndianImplicitTransferSyntax) {
      syntaxes.push_back(UID_LittleEndianImplicitTransferSyntax);
    }
    scu_->addPresentationContext(sopClass.c_str(), syntaxes);
  }
  OFCondition status = scu_->initNetwork();
  if (status.good()) status = scu_->negotiateAssociation();
  if (status.bad()) {
    scu_.reset();
    return "cannot open an association with " + destination() + ": " + status.text();
  }
  return {};
}

SendOutcome DicomTransport::send(const PendingInstance& instance) {
  const auto key = std::make_pair(instance.sopClassUid, instance.transferSyntaxUid);
  if (contexts_.insert(key).second) disconnect();  // renegotiate with the new context
  if (!scu_ || !scu_->isConnected()) {
    const std::string why = connect();
    if (!why.empty()) return SendOutcome::retry(why);
  }
  T_ASC_PresentationContextID context = scu_->findPresentationContextID(key.first.c_str(), key.second.c_str());
  if (context == 0 && IsUncompressed(key.second)) {
    context = scu_->findPresentationContextID(key.first.c_str(), UID_LittleEndianImplicitTransferSyntax);
  }
  if (context == 0) {
    return SendOutcome::refused(destination() + " accepts neither SOP Class " + key.first + " nor its transfer syntax " +
                                key.second);
  }
  Uint16 response = 0;
  OFCondition status = scu_->sendSTORERequest(context, instance.file.c_str(), nullptr, response);
  if (status.bad()) {
    disconnect();
    return SendOutcome::retry(std::string("C-STORE to ") + destination() + " failed: " + status.text());
  }
  return ClassifyStatus(response);
}

SendOutcome DicomTransport::completeStudy(const ManifestDue& study) {
  return SendOutcome::stored(R"({"transport":"dicom","destination":")" + destination() + R"(","instances":)" +
                             std::to_string(study.sopInstanceUids.size()) + "}");
}

}  // namespace relais::outbox
