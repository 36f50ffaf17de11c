#pragma once
// How an instance leaves the unit. One interface, two kinds of receiver: the hub over
// HTTP(S) (HttpTransport) and any DICOM storage SCP over C-STORE (DicomTransport). A
// transport answers for each instance what the receiver said, so the outbox marks an
// instance sent only on the receiver's confirmation. One transport object is used by one
// thread at a time; the forwarder makes one per sending thread.
#include <string>
#include <vector>

#include "outbox/Outbox.h"

namespace relais::outbox {

struct SendOutcome {
  enum class Kind {
    Stored,     // the receiver confirmed it holds the instance (new or already stored)
    Retry,      // the link or the receiver is unwell: try again later (backoff)
    Refused,    // the receiver will never take this instance: a person must look
  };
  Kind kind = Kind::Retry;
  std::string detail;  // the receiver's answer, or why it failed, in words

  static SendOutcome stored(std::string d) { return {Kind::Stored, std::move(d)}; }
  static SendOutcome retry(std::string d) { return {Kind::Retry, std::move(d)}; }
  static SendOutcome refused(std::string d) { return {Kind::Refused, std::move(d)}; }
};

class Transport {
 public:
  virtual ~Transport() = default;
  virtual SendOutcome send(const PendingInstance& instance) = 0;
  // Called once every instance of the study is confirmed: the hub gets the manifest; a PACS
  // has nothing to be told. Stored carries the acknowledgement to record.
  virtual SendOutcome completeStudy(const ManifestDue& study) = 0;
  // Where this transport sends, for log lines ("https://hub:8042", "PACS@10.0.0.5:104").
  virtual std::string destination() const = 0;
};

}  // namespace relais::outbox
