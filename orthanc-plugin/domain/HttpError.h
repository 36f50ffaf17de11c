#pragma once
// The one exception type that crosses the plugin's REST boundary: the adapter turns it into
// an HTTP status with a JSON body {"error": message}. Domain code throws it (or a subclass)
// when a request cannot be honoured; anything else escaping a handler is a 500. `details`
// are merged into that body (e.g. the upload offset a client continues from).
#include <stdexcept>
#include <string>
#include <utility>

#include <nlohmann/json.hpp>

namespace relais {

class HttpError : public std::runtime_error {
 public:
  HttpError(int status, const std::string& message, nlohmann::json details = nlohmann::json::object())
      : std::runtime_error(message), status_(status), details_(std::move(details)) {}
  int status() const { return status_; }
  const nlohmann::json& details() const { return details_; }

 private:
  int status_;
  nlohmann::json details_;
};

inline HttpError BadRequest(const std::string& m) { return HttpError(400, m); }
inline HttpError Unauthorized(const std::string& m) { return HttpError(401, m); }
inline HttpError Forbidden(const std::string& m) { return HttpError(403, m); }
inline HttpError NotFound(const std::string& m) { return HttpError(404, m); }
inline HttpError Conflict(const std::string& m) { return HttpError(409, m); }

}  // namespace relais
