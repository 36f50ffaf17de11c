#pragma once
// The one exception type of the unit's outbox and forwarder: a sentence a nurse or an
// administrator can act on. The CLI turns it into a message and a non-zero exit code.
#include <stdexcept>
#include <string>

namespace relais::outbox {

class OutboxError : public std::runtime_error {
 public:
  explicit OutboxError(const std::string& message) : std::runtime_error(message) {}
};

}  // namespace relais::outbox
