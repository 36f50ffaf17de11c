#include "outbox/HubConnection.h"

#include <cpprest/http_client.h>
#include <cpprest/asyncrt_utils.h>

#include "outbox/OutboxError.h"

namespace relais::outbox {

nlohmann::json HubAnswer::json() const {
  try {
    return nlohmann::json::parse(body);
  } catch (const nlohmann::json::exception&) {
    throw OutboxError("the hub answered HTTP " + std::to_string(status) + " with something that is not JSON: " +
                      body.substr(0, 200));
  }
}

struct HubConnection::Client {
  explicit Client(const HubSettings& s) : http(s.url, Config(s)) {}

  static web::http::client::http_client_config Config(const HubSettings& s) {
    web::http::client::http_client_config config;
    config.set_timeout(s.timeout);
    if (!s.caFile.empty()) {
      const std::string ca = s.caFile;
      config.set_ssl_context_callback([ca](boost::asio::ssl::context& context) {
        context.load_verify_file(ca);
      });
    }
    return config;
  }

  web::http::client::http_client http;
};

HubConnection::HubConnection(HubSettings settings) : settings_(std::move(settings)) {
  if (settings_.url.rfind("http://", 0) != 0 && settings_.url.rfind("https://", 0) != 0) {
    throw OutboxError("the hub address must start with https:// or http://, not \"" + settings_.url + "\"");
  }
  if (!settings_.user.empty()) {
    const std::string pair = settings_.user + ":" + settings_.password;
    authorization_ = "Basic " + utility::conversions::to_base64(std::vector<unsigned char>(pair.begin(), pair.end()));
  }
  try {
    client_ = std::make_unique<Client>(settings_);
  } catch (const std::exception& e) {
    throw OutboxError("cannot use the hub address \"" + settings_.url + "\": " + e.what());
  }
}

HubConnection::~HubConnection() = default;

HubAnswer HubConnection::request(const std::string& method, const std::string& path, std::vector<unsigned char> body,
                                 const std::string& contentType) {
  auto attempt = [&](std::vector<unsigned char> bytes) {
    web::http::http_request req(method);
    req.set_request_uri(path);
    if (!authorization_.empty()) req.headers().add("Authorization", authorization_);
    if (method == "POST" || method == "PUT") {
      req.set_body(std::move(bytes));
      req.headers().set_content_type(contentType);
    }
    web::http::http_response response = client_->http.request(req).get();
    HubAnswer answer;
    answer.status = response.status_code();
    answer.contentType = response.headers().content_type();
    auto received = response.extract_vector().get();
    answer.body.assign(received.begin(), received.end());
    return answer;
  };
  const auto started = std::chrono::steady_clock::now();
  try {
    return attempt(body);
  } catch (const std::exception& first) {
    // A kept-alive connection the hub (or a proxy) closed in the meantime fails at once on
    // reuse ("Failed to write request body"): one immediate retry on a fresh connection is
    // not a busy loop. A timeout is not retried here: the forwarder's backoff handles it.
    if (std::chrono::steady_clock::now() - started > settings_.timeout / 2) {
      throw HubUnreachable("cannot reach the hub at " + settings_.url + " (" + method + " " + path + "): " + first.what());
    }
  }
  try {
    return attempt(std::move(body));
  } catch (const std::exception& e) {
    throw HubUnreachable("cannot reach the hub at " + settings_.url + " (" + method + " " + path + "): " + e.what());
  }
}

HubAnswer HubConnection::postJson(const std::string& path, const nlohmann::json& body) {
  const std::string text = body.dump();
  return request("POST", path, std::vector<unsigned char>(text.begin(), text.end()), "application/json");
}

}  // namespace relais::outbox
