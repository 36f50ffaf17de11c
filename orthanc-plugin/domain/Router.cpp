#include "domain/Router.h"

#include <nlohmann/json.hpp>

#include "domain/HttpError.h"

namespace relais {

const std::string& HttpRequest::param(const std::string& name) const {
  auto it = params.find(name);
  if (it == params.end()) throw std::logic_error("route has no parameter " + name);
  return it->second;
}

std::optional<std::string> HttpRequest::queryValue(const std::string& name) const {
  auto it = query.find(name);
  if (it == query.end()) return std::nullopt;
  return it->second;
}

HttpResponse HttpResponse::Json(const std::string& jsonText, int status) {
  HttpResponse r;
  r.status = status;
  r.body = jsonText;
  return r;
}

std::string UrlDecode(const std::string& text) {
  std::string out;
  out.reserve(text.size());
  for (size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '+') {
      out += ' ';
    } else if (text[i] == '%' && i + 2 < text.size() && std::isxdigit(static_cast<unsigned char>(text[i + 1])) &&
               std::isxdigit(static_cast<unsigned char>(text[i + 2]))) {
      out += static_cast<char>(std::stoi(text.substr(i + 1, 2), nullptr, 16));
      i += 2;
    } else {
      out += text[i];
    }
  }
  return out;
}

std::vector<std::string> SplitPath(const std::string& path) {
  std::vector<std::string> segments;
  size_t start = 0;
  while (start <= path.size()) {
    size_t end = path.find('/', start);
    if (end == std::string::npos) end = path.size();
    if (end > start) segments.push_back(UrlDecode(path.substr(start, end - start)));
    start = end + 1;
  }
  return segments;
}

std::map<std::string, std::string> ParseQuery(const std::string& query) {
  std::map<std::string, std::string> out;
  size_t start = 0;
  while (start < query.size()) {
    size_t end = query.find('&', start);
    if (end == std::string::npos) end = query.size();
    std::string pair = query.substr(start, end - start);
    size_t eq = pair.find('=');
    if (!pair.empty()) {
      if (eq == std::string::npos) out[UrlDecode(pair)] = "";
      else out[UrlDecode(pair.substr(0, eq))] = UrlDecode(pair.substr(eq + 1));
    }
    start = end + 1;
  }
  return out;
}

void Router::add(const std::string& method, const std::string& pattern, Handler handler) {
  routes_.push_back(Route{method, SplitPath(pattern), std::move(handler)});
}

bool Router::match(const Route& route, const std::vector<std::string>& path,
                   std::map<std::string, std::string>& params) {
  params.clear();
  for (size_t i = 0; i < route.segments.size(); ++i) {
    const std::string& seg = route.segments[i];
    bool isParam = seg.size() > 2 && seg.front() == '{' && seg.back() == '}';
    if (isParam && seg[seg.size() - 2] == '*') {
      if (i >= path.size()) return false;
      std::string rest;
      for (size_t j = i; j < path.size(); ++j) rest += (j > i ? "/" : "") + path[j];
      params[seg.substr(1, seg.size() - 3)] = rest;
      return true;
    }
    if (i >= path.size()) return false;
    if (isParam) params[seg.substr(1, seg.size() - 2)] = path[i];
    else if (seg != path[i]) return false;
  }
  return route.segments.size() == path.size();
}

HttpResponse Router::dispatch(HttpRequest& request) const {
  const auto path = SplitPath(request.path);
  bool pathKnown = false;
  std::map<std::string, std::string> params;
  for (const Route& route : routes_) {
    if (!match(route, path, params)) continue;
    if (route.method != request.method) {
      pathKnown = true;
      continue;
    }
    request.params = params;
    if (guard_) guard_(request);
    return route.handler(request);
  }
  if (pathKnown) throw HttpError(405, "method " + request.method + " is not allowed on " + request.path);
  throw NotFound("no such resource: " + request.path);
}

}  // namespace relais
