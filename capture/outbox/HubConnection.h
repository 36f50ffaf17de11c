#pragma once
// The unit's authenticated HTTP(S) connection to the hub: base address, unit machine account
// (HTTP Basic), and the certificate authority that signs the hub's certificate (TLS is
// verified; a CA file replaces the system's trust store). Used by the instance upload, the
// manifest and the inbox. Network failures throw HubUnreachable; any HTTP answer is returned.
#include <chrono>
#include <filesystem>
#include <memory>
#include <stdexcept>
#include <string>
#include <utility>
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

// A binary answer fetched into a part file that survives cuts (see HubConnection::download).
struct Download {
  int status = 0;        // 200/206 when `complete`; otherwise the hub's status
  bool complete = false;
  std::string etag;      // the body's ETag (kept beside the part file for If-Range)
  std::string error;     // the hub's answer when it was not the body
};

// The first 300 characters of an answer's body on one line, for messages that quote the hub.
std::string Excerpt(const std::string& body);

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

  using Headers = std::vector<std::pair<std::string, std::string>>;
  HubAnswer request(const std::string& method, const std::string& path, std::vector<unsigned char> body = {},
                    const std::string& contentType = "application/json", const Headers& headers = {});
  // Without the retry on a fresh connection: the caller resumes by itself (an upload's piece,
  // whose loss it must know of to size the next one).
  HubAnswer requestOnce(const std::string& method, const std::string& path, std::vector<unsigned char> body,
                        const std::string& contentType, const Headers& headers = {});
  HubAnswer get(const std::string& path) { return request("GET", path); }
  HubAnswer postJson(const std::string& path, const nlohmann::json& body);
  // GET `path` into `part`, continuing after the bytes it holds already: "Range: bytes=N-"
  // with "If-Range: <etag>" (the ETag of those bytes, kept in `part`.etag). 206 appends, 200
  // (the body changed, or a server without ranges) starts the file again, 416 with the whole
  // file there is done. Bytes are written as they arrive, so a cut (HubUnreachable) keeps
  // what came.
  Download download(const std::string& path, const std::filesystem::path& part);

  const HubSettings& settings() const { return settings_; }

 private:
  HubAnswer attempt(const std::string& method, const std::string& path, std::vector<unsigned char> body,
                    const std::string& contentType, const Headers& headers);

  struct Client;
  HubSettings settings_;
  std::string authorization_;
  std::unique_ptr<Client> client_;
};

}  // namespace relais::outbox
