#include "harness/HttpClient.h"

#include <cpprest/http_client.h>

#include <algorithm>
#include <optional>
#include <stdexcept>
#include <thread>

namespace relais::test {

nlohmann::json HttpAnswer::json() const {
  try {
    return nlohmann::json::parse(body);
  } catch (const std::exception&) {
    throw std::runtime_error("HTTP " + std::to_string(status) + " answer is not JSON: " + body.substr(0, 500));
  }
}

struct HttpClient::Connection {
  explicit Connection(const std::string& baseUrl, const web::http::client::http_client_config& config)
      : client(baseUrl, config) {}
  web::http::client::http_client client;
};

namespace {
web::http::client::http_client_config ClientConfig() {
  web::http::client::http_client_config config;
  config.set_timeout(std::chrono::seconds(120));
  return config;
}
}  // namespace

HttpClient::HttpClient(std::string baseUrl) : baseUrl_(std::move(baseUrl)) {}

void HttpClient::keepAlive() { connection_ = std::make_shared<Connection>(baseUrl_, ClientConfig()); }

std::string Base64(const std::string& bytes) {
  static const char* table = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string out;
  size_t i = 0;
  while (i + 2 < bytes.size()) {
    uint32_t n = (uint8_t(bytes[i]) << 16) | (uint8_t(bytes[i + 1]) << 8) | uint8_t(bytes[i + 2]);
    out += {table[n >> 18], table[(n >> 12) & 63], table[(n >> 6) & 63], table[n & 63]};
    i += 3;
  }
  if (i + 1 == bytes.size()) {
    uint32_t n = uint8_t(bytes[i]) << 16;
    out += {table[n >> 18], table[(n >> 12) & 63], '=', '='};
  } else if (i + 2 == bytes.size()) {
    uint32_t n = (uint8_t(bytes[i]) << 16) | (uint8_t(bytes[i + 1]) << 8);
    out += {table[n >> 18], table[(n >> 12) & 63], table[(n >> 6) & 63], '='};
  }
  return out;
}

void HttpClient::setCredentials(const std::string& user, const std::string& password) {
  authorization_ = user.empty() ? "" : "Basic " + Base64(user + ":" + password);
}

HttpAnswer HttpClient::get(const std::string& path, const std::map<std::string, std::string>& headers) const {
  return request("GET", path, "", "", headers);
}
HttpAnswer HttpClient::del(const std::string& path) const { return request("DELETE", path, "", ""); }
HttpAnswer HttpClient::post(const std::string& path, const std::string& body, const std::string& contentType) const {
  return request("POST", path, body, contentType);
}
HttpAnswer HttpClient::put(const std::string& path, const std::string& body, const std::string& contentType) const {
  return request("PUT", path, body, contentType);
}

HttpAnswer HttpClient::request(const std::string& method, const std::string& path, const std::string& body,
                               const std::string& contentType,
                               const std::map<std::string, std::string>& headers) const {
  // Without keepAlive(), a new connection per request: tests that stop and restart a hub never
  // meet a stale connection.
  std::optional<web::http::client::http_client> own;
  if (!connection_) own.emplace(baseUrl_, ClientConfig());
  web::http::client::http_client& client = connection_ ? connection_->client : *own;
  auto makeRequest = [&] {
    web::http::http_request req(method);
    req.set_request_uri(path);
    if (!authorization_.empty()) req.headers().add("Authorization", authorization_);
    for (const auto& [k, v] : headers) req.headers().add(k, v);
    if (method == "POST" || method == "PUT") {
      std::vector<unsigned char> bytes(body.begin(), body.end());
      req.set_body(std::move(bytes));
      req.headers().set_content_type(contentType.empty() ? "application/octet-stream" : contentType);
    }
    return req;
  };
  web::http::http_response resp;
  // A refused connection means the request never left, and a body that could not be written
  // means the server never had the whole request (Orthanc now and then drops a kept-alive
  // connection between two requests: seen in the render bench about once in five runs), so
  // both are safe to try again, whatever the method. Anything else (or a hub that stays down)
  // is reported at once.
  for (int attempt = 1;; ++attempt) {
    try {
      resp = client.request(makeRequest()).get();
      break;
    } catch (const std::exception& e) {
      const std::string what = e.what();
      const bool neverArrived = what.find("Failed to connect") != std::string::npos ||
                                what.find("Failed to write request body") != std::string::npos;
      if (!neverArrived || attempt == 3) {
        throw std::runtime_error(method + " " + baseUrl_ + path + " failed: " + e.what());
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(200));
    }
  }
  HttpAnswer answer;
  answer.status = resp.status_code();
  auto bytes = resp.extract_vector().get();
  answer.body.assign(bytes.begin(), bytes.end());
  for (const auto& [k, v] : resp.headers()) {
    std::string name = k;
    std::transform(name.begin(), name.end(), name.begin(), ::tolower);
    answer.headers[name] = v;
  }
  return answer;
}

}  // namespace relais::test
