#include "outbox/HubConnection.h"

#include <cpprest/http_client.h>
#include <cpprest/asyncrt_utils.h>

#include "outbox/OutboxError.h"

#include <cstdlib>
#include <fstream>

namespace relais::outbox {

std::string Excerpt(const std::string& body) {
  std::string text = body.substr(0, 300);
  for (char& c : text) {
    if (c == '\n' || c == '\r') c = ' ';
  }
  return text;
}


nlohmann::json HubAnswer::json() const {
  try {
    return nlohmann::json::parse(body);
  } catch (const nlohmann::json::exception&) {
    throw OutboxError("the hub answered HTTP " + std::to_string(status) + " with something that is not JSON: " +
                      body.substr(0, 200));
  }
}

struct HubConnection::Client {
  // Downloads read the body in small chunks: cpprestsdk hands a chunk on only once it is
  // complete, so a cut loses at most one chunk of what already came.
  explicit Client(const HubSettings& s) : http(s.url, Config(s)), downloads(s.url, Config(s, 16 * 1024)) {}

  static web::http::client::http_client_config Config(const HubSettings& s, size_t chunk = 0) {
    web::http::client::http_client_config config;
    config.set_timeout(s.timeout);
    if (chunk > 0) config.set_chunksize(chunk);
    if (!s.caFile.empty()) {
      const std::string ca = s.caFile;
      config.set_ssl_context_callback([ca](boost::asio::ssl::context& context) {
        context.load_verify_file(ca);
      });
    }
    return config;
  }

  web::http::client::http_client http;
  web::http::client::http_client downloads;
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

HubAnswer HubConnection::attempt(const std::string& method, const std::string& path, std::vector<unsigned char> body,
                                 const std::string& contentType, const Headers& headers) {
  web::http::http_request req(method);
  req.set_request_uri(path);
  if (!authorization_.empty()) req.headers().add("Authorization", authorization_);
  for (const auto& [name, value] : headers) req.headers().add(name, value);
  if (method == "POST" || method == "PUT") {
    req.set_body(std::move(body));
    req.headers().set_content_type(contentType);
  }
  web::http::http_response response = client_->http.request(req).get();
  HubAnswer answer;
  answer.status = response.status_code();
  answer.contentType = response.headers().content_type();
  auto received = response.extract_vector().get();
  answer.body.assign(received.begin(), received.end());
  return answer;
}

HubAnswer HubConnection::request(const std::string& method, const std::string& path, std::vector<unsigned char> body,
                                 const std::string& contentType, const Headers& headers) {
  const auto started = std::chrono::steady_clock::now();
  try {
    return attempt(method, path, body, contentType, headers);
  } catch (const std::exception& first) {
    // A kept-alive connection the hub (or a proxy) closed in the meantime fails at once on
    // reuse ("Failed to write request body"): one immediate retry on a fresh connection is
    // not a busy loop. A timeout is not retried here: the forwarder's backoff handles it.
    if (std::chrono::steady_clock::now() - started > settings_.timeout / 2) {
      throw HubUnreachable("cannot reach the hub at " + settings_.url + " (" + method + " " + path + "): " + first.what());
    }
  }
  return requestOnce(method, path, std::move(body), contentType, headers);
}

HubAnswer HubConnection::requestOnce(const std::string& method, const std::string& path, std::vector<unsigned char> body,
                                     const std::string& contentType, const Headers& headers) {
  try {
    return attempt(method, path, std::move(body), contentType, headers);
  } catch (const std::exception& e) {
    throw HubUnreachable("cannot reach the hub at " + settings_.url + " (" + method + " " + path + "): " + e.what());
  }
}

Download HubConnection::download(const std::string& path, const std::filesystem::path& part) {
  std::error_code ec;
  const std::filesystem::path etagFile = part.string() + ".etag";
  std::string etag;
  if (std::ifstream in{etagFile}) std::getline(in, etag);
  int64_t have = std::filesystem::exists(part, ec) ? static_cast<int64_t>(std::filesystem::file_size(part, ec)) : 0;
  if (etag.empty()) have = 0;  // bytes of unknown origin cannot be continued
  Download result;
  try {
    web::http::http_request req("GET");
    req.set_request_uri(path);
    if (!authorization_.empty()) req.headers().add("Authorization", authorization_);
    if (have > 0) {
      req.headers().add("Range", "bytes=" + std::to_string(have) + "-");
      req.headers().add("If-Range", etag);
    }
    web::http::http_response response = client_->downloads.request(req).get();
    result.status = response.status_code();
    const auto& headers = response.headers();
    if (headers.has("ETag")) result.etag = headers.find("ETag")->second;
    if (result.status == 416 && have > 0) {
      const auto range = headers.has("Content-Range") ? headers.find("Content-Range")->second : std::string();
      const auto slash = range.rfind('/');
      result.complete = slash != std::string::npos && std::atoll(range.c_str() + slash + 1) == have;
      result.etag = etag;
      if (!result.complete) std::filesystem::remove(part, ec);
      return result;
    }
    if (result.status != 200 && result.status != 206) {
      auto received = response.extract_vector().get();
      result.error.assign(received.begin(), received.end());
      return result;
    }
    bool append = false;
    if (result.status == 206) {
      const auto range = headers.has("Content-Range") ? headers.find("Content-Range")->second : std::string();
      append = range.rfind("bytes " + std::to_string(have) + "-", 0) == 0;
      if (!append) {
        result.status = 0;
        result.error = "the hub answered another range than asked (" + range + ")";
        std::filesystem::remove(part, ec);
        return result;
      }
    }
    if (!append) {
      // The ETag first: whatever arrives after it is a prefix of that body.
      std::ofstream tag(etagFile, std::ios::trunc);
      tag << result.etag << "\n";
      if (!tag.flush()) throw OutboxError("cannot write " + etagFile.string());
    }
    std::ofstream out(part, append ? std::ios::binary | std::ios::app : std::ios::binary | std::ios::trunc);
    if (!out) throw OutboxError("cannot write " + part.string());
    auto body = response.body().streambuf();
    std::vector<uint8_t> chunk(65536);
    for (;;) {
      const size_t n = body.getn(chunk.data(), chunk.size()).get();
      if (n == 0) break;
      out.write(reinterpret_cast<const char*>(chunk.data()), static_cast<std::streamsize>(n));
      out.flush();
    }
    result.complete = true;
    return result;
  } catch (const OutboxError&) {
    throw;
  } catch (const std::exception& e) {
    throw HubUnreachable("cannot reach the hub at " + settings_.url + " (GET " + path + "): " + e.what());
  }
}

HubAnswer HubConnection::postJson(const std::string& path, const nlohmann::json& body) {
  const std::string text = body.dump();
  return request("POST", path, std::vector<unsigned char>(text.begin(), text.end()), "application/json");
}

}  // namespace relais::outbox
