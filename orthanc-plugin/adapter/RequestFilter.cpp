#include "adapter/RequestFilter.h"

#include <strings.h>

#include <atomic>

#include "adapter/HttpMethodName.h"
#include "adapter/OrthancContext.h"
#include "domain/AccessPolicy.h"
#include "domain/HttpError.h"

namespace relais::adapter {

namespace {

std::atomic<UserDirectory*> g_users{nullptr};

struct FilteredRequest {
  std::string uri;
  std::string authorization;
  std::string ip;
};
thread_local FilteredRequest t_lastFiltered;

std::shared_ptr<const User> Authenticate(const std::string& authorization) {
  UserDirectory* users = g_users.load();
  if (users == nullptr || authorization.empty()) return nullptr;
  auto user = users->authenticate(authorization);
  return user ? std::make_shared<const User>(*user) : nullptr;
}

bool IsRelaisPath(const std::string& uri) { return uri == "/relais" || uri.rfind("/relais/", 0) == 0; }

}  // namespace

void InstallUserDirectory(UserDirectory* users) { g_users.store(users); }

int32_t IncomingRequestFilter(OrthancPluginHttpMethod method, const char* uri, const char* ip, uint32_t headersCount,
                              const char* const* headersKeys, const char* const* headersValues, uint32_t, const char* const*,
                              const char* const*) {
  try {
    std::string authorization;
    for (uint32_t i = 0; i < headersCount; ++i) {
      if (strcasecmp(headersKeys[i], "authorization") == 0) authorization = headersValues[i];
    }
    t_lastFiltered = FilteredRequest{uri, authorization, ip ? ip : ""};
    const auto user = Authenticate(authorization);
    switch (Decide(user.get(), HttpMethodName(method), uri)) {
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
  if (t_lastFiltered.uri == request.path && t_lastFiltered.authorization == authorization) {
    request.remoteIp = t_lastFiltered.ip;
  }
  request.account = Authenticate(authorization);
  request.user = request.account ? request.account->name : "";
  switch (Decide(request.account.get(), request.method, request.path)) {
    case Access::Public:
    case Access::Allowed: return;
    case Access::Unauthenticated: throw Unauthorized("sign in with a Relais account (HTTP Basic)");
    case Access::Forbidden:
      throw Forbidden("the " + ToString(request.account->role) + " role may not " + request.method + " " + request.path);
  }
}

}  // namespace relais::adapter
