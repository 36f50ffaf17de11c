#pragma once
// The one exception type of relais_capture. Its message is written for the person at the
// keyboard (a nurse): it names the file, when there is one, and what is wrong with it.
#include <stdexcept>
#include <string>

namespace relais::capture {

class CaptureError : public std::runtime_error {
 public:
  explicit CaptureError(const std::string& message) : std::runtime_error(message) {}
};

// Raised when the quality gate refuses an image; the message is the nurse-readable reason.
class QualityRefused : public CaptureError {
 public:
  using CaptureError::CaptureError;
};

}  // namespace relais::capture
