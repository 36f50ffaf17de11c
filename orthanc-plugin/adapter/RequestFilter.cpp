#include "adapter/RequestFilter.h"

#include <strings.h>

#include <atomic>
#include <optional>

#include "adapter/HttpMethodName.h"
#include "adapter/OrthancContext.h"
#include "domain/AccessPolicy.h"
#include "domain/HttpError.h"

namespace relais::adapter {

namespace {

std::atomic<LiveUserDirectory*> g_users{nullptr};
std::atomic<SignIn*> g_signIn{nullptr};
std::atomic<const BodyLimits*> g_bodyLimits{nullptr};

struct FilteredRequest {
  std::string uri;
  std::string authorization;
  std::string ip;
  SignIn::Outcome signIn;
};
thread_local FilteredRequest t_lastFiltered;

SignIn::Outcome Authenticate(const std::string& authorization, const std::string& ip) {
  LiveUserDirectory* users = g_users.load();
  SignIn* signIn = g_signIn.load();
  if (users == nullptr || signIn == nullptr || authorization.empty()) return {};
  return signIn->attempt(*users->current(), authorization, ip);
}

std::shared_ptr<const User> AccountOf(const SignIn::Outcome& outcome) {
  return outcome.user ? std::make_shared<const User>(*outcome.user) : nullptr;
}

bool IsRelaisPath(const std::string& uri) { return uri == "/relais" || uri.rfind("/relais/", 0) == 0; }

struct DeclaredBody {
  std::optional<int64_t> length;  // from Content-Length
  bool unknownLength = false;     // chunked, or a Content-Length that is not a number
};

void Refuse(const std::string& method, const char* uri, const std::string& why) {
  OrthancPluginLogWarning(Context(), ("Relais: refused " + method + " " + uri + " before reading its body: " + why).c_str());
}

// False when the body must not be read: refused with 403 before Orthanc reads it.
bool BodyMayBeRead(const std::string& method, const char* uri, const DeclaredBody& body, bool signedIn) {
  const BodyLimits* limits = g_bodyLimits.load();
  if (limits == nullptr) return true;
  if (!signedIn && (body.unknownLength || body.length.value_or(0) > limits->anonymousBytes)) {
    Refuse(method, uri,
           "no valid credentials and a body of " +
               (body.length ? std::to_string(*body.length) + " bytes" : std::string("unknown size")) +
               " (more than " + std::to_string(limits->anonymousBytes) + " bytes)");
    return false;
  }
  if (IsRelaisPath(uri)) return true;  // the REST bridge answers 413 naming the limit
  const auto limit = BodyLimitOf(*limits, method, uri);
  if (limit && body.length && *body.length > limit->bytes) {
    Refuse(method, uri, TooLargeMessage(*body.length, *limit));
    return false;
  }
  return true;
}

}  // namespace

void InstallUserDirectory(LiveUserDirectory* users, SignIn* signIn) {
  g_users.store(users);
  g_signIn.store(signIn);
}

void InstallBodyLimits(const BodyLimits* limits) { g_bodyLimits.store(limits); }

int32_t IncomingRequestFilter(OrthancPluginHttpMethod method, const char* uri, const char* ip, uint32_t headersCount,
                              const char* const* headersKeys, const char* const* headersValues, uint32_t, const char* const*,
                              const char* const*) {
  try {
    std::string authorization;
    DeclaredBody body;
    for (uint32_t i = 0; i < headersCount; ++i) {
      if (strcasecmp(headersKeys[i], "authorization") == 0) authorization = headersValues[i];
      if (strcasecmp(headersKeys[i], "content-length") == 0) {
        body.length = ParseContentLength(headersValues[i]);
        if (!body.length) body.unknownLength = true;
      }
      if (strcasecmp(headersKeys[i], "transfer-encoding") == 0 && strcasestr(headersValues[i], "chunked") != nullptr) {
        body.unknownLength = true;
      }
    }
    t_lastFiltered = FilteredRequest{uri, authorization, ip ? ip : "", {}};
    t_lastFiltered.signIn = Authenticate(authorization, t_lastFiltered.ip);
    const auto user = AccountOf(t_lastFiltered.signIn);
    const std::string methodName = HttpMethodName(method);
    if (!BodyMayBeRead(methodName, uri, body, user != nullptr)) return 0;
    switch (Decide(user.get(), methodName, uri)) {
      case Access::Public:
      case Access::Allowed: return 1;
      // The /relais guard answers 401 with a challenge (or 404 for an unknown path); Orthanc's
      // own routes can only be refused with 403 from here.
      case Access::Unauthenticated: return IsRelaisPath(uri) ? 1 : 0;
      case Access::Forbidden: return 0;
    }
    return 0;
  } catch (const std::exception& e) {
    OrthancPluginLogError(Context(), (std::string("Relais: request filter: ") + e.what()).c_str());
    return 0;
  }
}

void GuardRelaisRoute(HttpRequest& request) {
  auto header = request.headers.find("authorization");
  const std::string authorization = header == request.headers.end() ? "" : header->second;
  SignIn::Outcome signIn;
  if (t_lastFiltered.uri == request.path && t_lastFiltered.authorization == authorization) {
    request.remoteIp = t_lastFiltered.ip;
    signIn = t_lastFiltered.signIn;
  } else {
    signIn = Authenticate(authorization, "");
  }
  request.account = AccountOf(signIn);
  request.user = request.account ? request.account->name : "";
  const auto access = Decide(request.account.get(), request.method, request.path);
  // Orthanc 1.10.1 cannot send 429 (its HTTP layer rejects the code: "Parameter out of
  // range") and sends 401 without a body, so a refused sign-in that must say why and when to
  // come back is a 503 with Retry-After; the forwarder retries 503 later, as it should.
  if (access == Access::Unauthenticated &&
      (signIn.kind == SignIn::Outcome::Kind::Throttled || signIn.kind == SignIn::Outcome::Kind::Busy)) {
    throw HttpError(503, signIn.message,
                    {{"retryAfterSeconds", signIn.retryAfterSeconds},
                     {"signIn", signIn.kind == SignIn::Outcome::Kind::Throttled ? "throttled" : "busy"}});
  }
  switch (access) {
    case Access::Public:
    case Access::Allowed: return;
    case Access::Unauthenticated: throw Unauthorized("sign in with a Relais account (HTTP Basic)");
    case Access::Forbidden:
      throw Forbidden("the " + ToString(request.account->role) + " role may not " + request.method + " " + request.path);
  }
}

}  // namespace relais::adapter
