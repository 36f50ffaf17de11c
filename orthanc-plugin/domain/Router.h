#pragma once
// Maps "METHOD /relais/..." to a handler. Orthanc sees one REST callback for the whole
// /relais/ tree; dispatching here keeps the route table readable in one place and lets unit
// tests drive handlers without a server. Patterns use {name} for one path segment and a
// trailing {name*} for the rest of the path.
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "domain/User.h"

namespace relais {

struct HttpRequest {
  std::string method;                          // GET, POST, PUT, DELETE
  std::string path;                            // e.g. /relais/v1/cases/12
  std::map<std::string, std::string> params;   // from the route pattern
  std::map<std::string, std::string> query;    // decoded ?key=value pairs
  std::map<std::string, std::string> headers;  // lower-case names
  std::string body;
  std::string remoteIp;
  std::string user;                            // authenticated user name, empty if anonymous
  std::shared_ptr<const User> account;         // the caller's account (role, unit, specialties)

  const std::string& param(const std::string& name) const;
  std::optional<std::string> queryValue(const std::string& name) const;
};

struct HttpResponse {
  int status = 200;
  std::string contentType = "application/json";
  std::string body;
  std::map<std::string, std::string> headers;
  // False for bodies already compressed (JPEG): gzip would cost milliseconds and save nothing.
  bool compressible = true;

  static HttpResponse Json(const std::string& jsonText, int status = 200);
};

using Handler = std::function<HttpResponse(const HttpRequest&)>;

class Router {
 public:
  void add(const std::string& method, const std::string& pattern, Handler handler);

  // Runs after a route matched and before its handler (the plugin checks the caller's role
  // there), so unknown paths still answer 404 and known ones are never reached unchecked.
  void setGuard(std::function<void(HttpRequest&)> guard) { guard_ = std::move(guard); }

  // Fills request.params and runs the matching handler. Throws HttpError 404 when no
  // pattern matches the path, 405 when the path matches under another method.
  HttpResponse dispatch(HttpRequest& request) const;

 private:
  struct Route {
    std::string method;
    std::vector<std::string> segments;
    Handler handler;
  };
  static bool match(const Route& route, const std::vector<std::string>& path,
                    std::map<std::string, std::string>& params);
  std::vector<Route> routes_;
  std::function<void(HttpRequest&)> guard_;
};

std::vector<std::string> SplitPath(const std::string& path);
std::map<std::string, std::string> ParseQuery(const std::string& query);
std::string UrlDecode(const std::string& text);

}  // namespace relais
