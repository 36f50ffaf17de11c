#pragma once
// HTTP range requests for the binary answers a unit downloads over a link that drops (the
// report's PDF): the unit continues a cut download with "Range: bytes=N-" and "If-Range: <the
// ETag it got>". One range only; anything this does not understand gets the whole body (as
// RFC 9110 lets a server do), a start past the end gets 416.
#include <cstdint>
#include <optional>
#include <string>

#include "domain/Router.h"

namespace relais {

struct ByteRange {
  int status = 200;  // 200 whole body, 206 [first, last], 416 unsatisfiable
  int64_t first = 0;
  int64_t last = 0;  // inclusive
};

// `range` and `ifRange` are the request's header values, if any; `etag` is the body's.
ByteRange DecideByteRange(const std::optional<std::string>& range, const std::optional<std::string>& ifRange,
                          const std::string& etag, int64_t total);

// The answer for `body`: ETag, Accept-Ranges, and the part asked for with Content-Range (206),
// the whole body (200) or 416 with "Content-Range: bytes */total". Never compressed, so that
// byte positions mean the same in every answer. `etag` is quoted ("\"report-12\"").
HttpResponse RangedBody(const HttpRequest& request, std::string body, const std::string& contentType,
                        const std::string& etag);

}  // namespace relais
