#pragma once
// How an instance leaves the unit. One interface, two kinds of receiver: the hub over
// HTTP(S) (HttpTransport) and any DICOM storage SCP over C-STORE (DicomTransport). A
// transport answers for each instance what the receiver said, so the outbox marks an
// instance sent only on the receiver's confirmation. One transport object is used by one
// thread at a time; the forwarder makes one per sending thread.
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "outbox/Outbox.h"

namespace relais::outbox {

struct SendOutcome {
  enum class Kind {
    Stored,     // the receiver confirmed it holds the instance (new or already stored)
    Retry,      // the link or the receiver is unwell: try again later (backoff)
    Refused,    // the receiver will never take this instance: a person must look
    Yielded,    // set aside for a more urgent instance; what the receiver holds stays there
    AccountRefused,  // the receiver refuses the unit's account (401/403): stop sending to it
  };
  Kind kind = Kind::Retry;
  std::string detail;  // the receiver's answer, or why it failed, in words

  static SendOutcome stored(std::string d) { return {Kind::Stored, std::move(d)}; }
  static SendOutcome retry(std::string d) { return {Kind::Retry, std::move(d)}; }
  static SendOutcome refused(std::string d) { return {Kind::Refused, std::move(d)}; }
  static SendOutcome yielded(std::string d) { return {Kind::Yielded, std::move(d)}; }
  static SendOutcome accountRefused(std::string d) { return {Kind::AccountRefused, std::move(d)}; }
};

// What the forwarder lends a transport that sends in pieces: whether a more urgent instance
// waits (asked between pieces), and where the current instance stands after each piece.
struct SendHooks {
  std::function<bool()> moreUrgentWaiting;
  // Called before a piece of `bytes` leaves (the forwarder's bandwidth cap waits there).
  std::function<void(int64_t bytes)> beforePiece;
  // `committed` bytes of the instance are on the receiver; the last piece of `pieceBytes`
  // took `seconds`.
  std::function<void(int64_t committed, int64_t pieceBytes, double seconds)> onPiece;
};

class Transport {
 public:
  virtual ~Transport() = default;
  virtual SendOutcome send(const PendingInstance& instance) = 0;
  // Transports that send in pieces override this one and sendsInPieces(); the others ignore
  // the hooks.
  virtual SendOutcome send(const PendingInstance& instance, const SendHooks& /*hooks*/) { return send(instance); }
  virtual bool sendsInPieces() const { return false; }
  // Called once every instance of the study is confirmed: the hub gets the manifest; a PACS
  // has nothing to be told. Stored carries the acknowledgement to record.
  virtual SendOutcome completeStudy(const ManifestDue& study) = 0;
  // Where this transport sends, for log lines ("https://hub:8042", "PACS@10.0.0.5:104").
  virtual std::string destination() const = 0;
  // Names the account this transport uses (a hash of address, user and password), so a
  // refusal remembered for it is forgotten once the configuration changes; empty: no account.
  virtual std::string accountFingerprint() const { return {}; }
};

}  // namespace relais::outbox
