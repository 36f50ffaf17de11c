#pragma once
// How big a request body each route takes (issue 18). The request filter compares a request's
// Content-Length with these before Orthanc reads the body; the REST bridge checks the body it
// was given and answers 413 naming the limit.
#include <cstdint>
#include <optional>
#include <string>

namespace relais {

struct BodyLimits {
  // Every /relais/ route but the upload pieces takes a small JSON document.
  int64_t jsonBytes = 1 << 20;
  // PUT /relais/v1/uploads/{sop}: Relais.Uploads.MaxPieceBytes.
  int64_t pieceBytes = 16 << 20;
  // Orthanc's own POST /instances: Relais.MaxInstanceBytes.
  int64_t instanceBytes = int64_t{2} << 30;
  // A request without valid credentials is refused before its body is read when the body is
  // bigger than this (or of unknown size); smaller ones are answered 401 with a challenge.
  int64_t anonymousBytes = 64 << 10;
};

struct BodyLimit {
  int64_t bytes;
  std::string what;  // e.g. "an upload piece (Relais.Uploads.MaxPieceBytes)"
};

// The limit of a route, none for Orthanc's routes Relais does not bound.
std::optional<BodyLimit> BodyLimitOf(const BodyLimits& limits, const std::string& method, const std::string& path);

// "the body of 2097152 bytes is larger than the 1048576 bytes (1 MiB) a JSON request of
// /relais/ may have" (the 413's message).
std::string TooLargeMessage(int64_t bodyBytes, const BodyLimit& limit);

// Content-Length's value, nullopt when absent or not a plain decimal number.
std::optional<int64_t> ParseContentLength(const std::string& value);

}  // namespace relais
