#pragma once
// A blocking HTTP client for tests: one call, one answer, no exceptions for 4xx/5xx (tests
// assert on the status). Throws only when the server cannot be reached.
#include <map>
#include <memory>
#include <string>

#include <nlohmann/json.hpp>

namespace relais::test {

struct HttpAnswer {
  int status = 0;
  std::string body;
  std::map<std::string, std::string> headers;  // lower-case names

  nlohmann::json json() const;  // throws with the body in the message if it is not JSON
};

class HttpClient {
 public:
  explicit HttpClient(std::string baseUrl);

  // Sends HTTP Basic credentials with every later request; empty user clears them.
  void setCredentials(const std::string& user, const std::string& password);

  // Later requests (of this object and its copies) share one kept-alive connection, as a
  // browser does, so that latency measurements time the server and not TCP set-up.
  void keepAlive();

  HttpAnswer get(const std::string& path, const std::map<std::string, std::string>& headers = {}) const;
  HttpAnswer del(const std::string& path) const;
  HttpAnswer post(const std::string& path, const std::string& body,
                  const std::string& contentType = "application/json") const;
  HttpAnswer put(const std::string& path, const std::string& body,
                 const std::string& contentType = "application/json") const;
  HttpAnswer postJson(const std::string& path, const nlohmann::json& body) const {
    return post(path, body.dump());
  }

  HttpAnswer request(const std::string& method, const std::string& path, const std::string& body,
                     const std::string& contentType,
                     const std::map<std::string, std::string>& headers = {}) const;

  const std::string& baseUrl() const { return baseUrl_; }

 private:
  struct Connection;

  std::string baseUrl_;
  std::string authorization_;
  std::shared_ptr<Connection> connection_;
};

std::string Base64(const std::string& bytes);

}  // namespace relais::test
