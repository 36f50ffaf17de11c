#pragma once
// Authentication and role checks for every HTTP request Orthanc receives, its own REST API
// included: Orthanc calls IncomingRequestFilter before routing (it can only allow or answer
// 403), and the /relais router's guard (GuardRelaisRoute) checks again with the same policy,
// answering 401 with a challenge or 403 with a JSON reason.
//
// Orthanc 1.10.1 gives the filter the client's address but not the REST callback. Orthanc runs
// the filter and the handler of one request on the same HTTP thread (checked by the audit
// test, which expects 127.0.0.1), so the filter leaves the address in a thread_local that the
// guard takes only if it was left for the same URI and credentials. The sign-in's outcome is
// left there too, so one request is one sign-in attempt (one Argon2 check, one failure
// counted), and the guard can answer why the filter refused: 503 with Retry-After and a JSON
// reason for an account or address delayed or locked after failed sign-ins ("signIn":
// "throttled") or when every password check slot stayed taken ("signIn": "busy").
//
// Orthanc 1.10.1 calls the filter before it reads a request's body (measured: a 200 MB body
// refused here leaves Orthanc's peak memory unchanged), so the filter refuses, from the
// Content-Length, a request without valid credentials whose body is bigger than
// BodyLimits::anonymousBytes or of unknown size (chunked), and a POST /instances bigger than
// Relais.MaxInstanceBytes. It can only answer 403; the /relais routes' 413 comes from the
// REST bridge, after Orthanc has read the body of an authenticated caller.
#include <orthanc/OrthancCPlugin.h>

#include "domain/BodyLimits.h"
#include "domain/Router.h"
#include "infra/SignIn.h"
#include "infra/LiveUserDirectory.h"

namespace relais::adapter {

// Both must outlive the registration (owned by the plugin's state); null disables.
void InstallUserDirectory(LiveUserDirectory* users, SignIn* signIn);

// Must outlive the registration; null: no body is refused by its size.
void InstallBodyLimits(const BodyLimits* limits);

int32_t IncomingRequestFilter(OrthancPluginHttpMethod method, const char* uri, const char* ip, uint32_t headersCount,
                              const char* const* headersKeys, const char* const* headersValues,
                              uint32_t getArgumentsCount, const char* const* getArgumentsKeys,
                              const char* const* getArgumentsValues);

// Fills request.user / account / remoteIp; throws HttpError 401, 403 or 503.
void GuardRelaisRoute(HttpRequest& request);

}  // namespace relais::adapter
