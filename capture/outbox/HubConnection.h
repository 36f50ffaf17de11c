#pragma once
// The unit's authenticated HTTP(S) connection to the hub: base address, unit machine account
// (HTTP Basic), and the certificate authority that signs the hub's certificate (TLS is
// verified; a CA file replaces the system's trust store). Used by the instance upload, the
// manifest and the inbox. Network failures throw HubUnreachable; any HTTP answer is returned.
#include <chrono>
#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace relais::outbox {

struct HubSettings {
  std::string url;       // https://hub.example.org:8042 (http:// for loopback tests)
  std::string user;      // unit machine account, e.g. unit07
  std::string password;
  std::string caFile;    // PEM; empty: the system's trust store
  std::chrono::seconds timeout{60};
};

struct HubAnswer {
  int status = 0;
  std::string body;
  std::string contentType;
  nlohmann::json json() const;  // throws OutboxError quoting the body when it is not JSON
};

class HubUnreachable : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

class HubConnection {
 public:
  explicit HubConnection(HubSettings settings);
  ~HubConnection();
  HubConnection(const HubConnection&) = delete;
  HubConnection& operator=(const HubConnection&) = delete;

  HubAnswer request(const std::string& method, const std::string& path, std::vector<unsigned char> body = {},
                    const std::string& contentType = "application/json");
  HubAnswer get(const std::string& path) { return request("GET", path); }
  HubAnswer postJson(const std::string& path, const nlohmann::json& body);

  const HubSettings& settings() const { return settings_; }

 private:
  struct Client;
  HubSettings settings_;
  std::string authorization_;
  std::unique_ptr<Client> client_;
};

}  // namespace relais::outbox
