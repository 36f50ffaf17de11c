#include "FakeHub.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cstdlib>
#include <optional>
#include <strings.h>
#include <stdexcept>

namespace relais::test {

FakeHub::FakeHub(Behaviour behaviour) : behaviour_(behaviour) {
  listener_ = socket(AF_INET, SOCK_STREAM, 0);
  int yes = 1;
  setsockopt(listener_, SOL_SOCKET, SO_REUSEADDR, &yes, sizeof yes);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t len = sizeof addr;
  if (bind(listener_, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0 || listen(listener_, 16) != 0 ||
      getsockname(listener_, reinterpret_cast<sockaddr*>(&addr), &len) != 0) {
    throw std::runtime_error("FakeHub cannot listen");
  }
  port_ = ntohs(addr.sin_port);
  thread_ = std::thread([this] { serve(); });
}

FakeHub::~FakeHub() {
  stop_ = true;
  thread_.join();
  close(listener_);
  for (int c : openClients_) close(c);
}

void FakeHub::script(const std::string& methodAndPath, Answer answer) {
  std::lock_guard<std::mutex> lock(mutex_);
  script_[methodAndPath] = std::move(answer);
}

void FakeHub::scriptRanged(const std::string& methodAndPath, std::string body, std::string etag, int cuts,
                           int64_t cutAfter) {
  std::lock_guard<std::mutex> lock(mutex_);
  ranged_[methodAndPath] = Ranged{std::move(body), std::move(etag), cuts, cutAfter};
}

std::vector<std::string> FakeHub::ranges() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return ranges_;
}

namespace {
std::string Header(const std::string& request, const std::string& name) {
  const auto end = request.find("\r\n\r\n");
  size_t at = 0;
  while ((at = request.find("\r\n", at)) != std::string::npos && at < end) {
    at += 2;
    if (strncasecmp(request.c_str() + at, (name + ":").c_str(), name.size() + 1) == 0) {
      size_t from = at + name.size() + 1;
      while (from < request.size() && request[from] == ' ') ++from;
      return request.substr(from, request.find("\r\n", from) - from);
    }
  }
  return {};
}
}  // namespace

std::vector<std::string> FakeHub::requestLines() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return lines_;
}

std::vector<std::chrono::steady_clock::time_point> FakeHub::requests() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return requests_;
}

void FakeHub::serve() {
  while (!stop_) {
    pollfd p{listener_, POLLIN, 0};
    if (poll(&p, 1, 50) <= 0) continue;
    int client = accept(listener_, nullptr, nullptr);
    if (client >= 0) handle(client);
  }
}

// Reads one request (headers and a Content-Length body), then answers or keeps silent.
void FakeHub::handle(int client) {
  std::string data;
  char buffer[65536];
  size_t headerEnd = std::string::npos;
  size_t bodyLength = 0;
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(5);
  while (std::chrono::steady_clock::now() < deadline && !stop_) {
    pollfd p{client, POLLIN, 0};
    if (poll(&p, 1, 50) <= 0) continue;
    ssize_t n = recv(client, buffer, sizeof buffer, 0);
    if (n <= 0) break;
    data.append(buffer, static_cast<size_t>(n));
    if (headerEnd == std::string::npos) {
      headerEnd = data.find("\r\n\r\n");
      if (headerEnd != std::string::npos) {
        for (const char* name : {"Content-Length: ", "content-length: "}) {
          auto at = data.find(name);
          if (at != std::string::npos && at < headerEnd) bodyLength = std::strtoul(data.c_str() + at + 16, nullptr, 10);
        }
      }
    }
    if (headerEnd != std::string::npos && data.size() >= headerEnd + 4 + bodyLength) break;
  }
  const auto firstSpace = data.find(' ');
  const auto secondSpace = data.find(' ', firstSpace + 1);
  const std::string line = firstSpace == std::string::npos || secondSpace == std::string::npos
                               ? std::string()
                               : data.substr(0, secondSpace);
  Answer reply{500, R"({"Message":"Internal error"})", "application/json"};
  {
    std::lock_guard<std::mutex> lock(mutex_);
    requests_.push_back(std::chrono::steady_clock::now());
    lines_.push_back(line);
    if (behaviour_ == Behaviour::Scripted) {
      auto it = script_.find(line);
      reply = it != script_.end() ? it->second : Answer{404, R"({"error":"no such resource"})", "application/json"};
    }
  }
  std::optional<Ranged> ranged;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    ranges_.push_back(Header(data, "Range"));
    auto it = ranged_.find(line);
    if (it != ranged_.end()) {
      ranged = it->second;
      if (it->second.cuts > 0) --it->second.cuts;
    }
  }
  if (ranged) {
    const std::string range = Header(data, "Range");
    const std::string ifRange = Header(data, "If-Range");
    int64_t from = 0;
    if (range.rfind("bytes=", 0) == 0 && (ifRange.empty() || ifRange == ranged->etag)) {
      from = std::strtoll(range.c_str() + 6, nullptr, 10);
    }
    const std::string part = ranged->body.substr(static_cast<size_t>(std::min<int64_t>(from, ranged->body.size())));
    std::string head = from > 0 ? "HTTP/1.1 206 Partial\r\nContent-Range: bytes " + std::to_string(from) + "-" +
                                      std::to_string(ranged->body.size() - 1) + "/" +
                                      std::to_string(ranged->body.size()) + "\r\n"
                                : std::string("HTTP/1.1 200 OK\r\n");
    head += "Content-Type: application/pdf\r\nETag: " + ranged->etag + "\r\nContent-Length: " +
            std::to_string(part.size()) + "\r\nConnection: close\r\n\r\n";
    const bool cut = ranged->cuts > 0;
    const std::string out = head + (cut ? part.substr(0, static_cast<size_t>(ranged->cutAfter)) : part);
    send(client, out.data(), out.size(), MSG_NOSIGNAL);
    if (cut) {
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
      linger l{1, 0};
      setsockopt(client, SOL_SOCKET, SO_LINGER, &l, sizeof l);
    } else {
      shutdown(client, SHUT_WR);
    }
    close(client);
    return;
  }
  if (behaviour_ == Behaviour::NeverAnswer) {
    openClients_.push_back(client);  // keep the connection open and silent
    return;
  }
  const std::string answer = "HTTP/1.1 " + std::to_string(reply.status) + " X\r\nContent-Type: " + reply.contentType +
                             "\r\nContent-Length: " + std::to_string(reply.body.size()) +
                             "\r\nConnection: close\r\n\r\n" + reply.body;
  send(client, answer.data(), answer.size(), MSG_NOSIGNAL);
  shutdown(client, SHUT_WR);
  close(client);
}

}  // namespace relais::test
