#include "KeptAliveConnection.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <stdexcept>

namespace relais::bench {

namespace {

std::string Lower(std::string text) {
  std::transform(text.begin(), text.end(), text.begin(), [](unsigned char c) { return std::tolower(c); });
  return text;
}

}  // namespace

KeptAliveConnection::KeptAliveConnection(uint16_t port, std::string authorization)
    : port_(port), authorization_(std::move(authorization)) {}

KeptAliveConnection::~KeptAliveConnection() { close(); }

void KeptAliveConnection::connect() {
  socket_ = ::socket(AF_INET, SOCK_STREAM, 0);
  if (socket_ < 0) throw std::runtime_error(std::string("socket: ") + std::strerror(errno));
  // Small requests go out at once, as a browser's do.
  const int one = 1;
  ::setsockopt(socket_, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_port = htons(port_);
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (::connect(socket_, reinterpret_cast<const sockaddr*>(&address), sizeof address) != 0) {
    const std::string reason = std::strerror(errno);
    close();
    throw std::runtime_error("cannot connect to 127.0.0.1:" + std::to_string(port_) + ": " + reason);
  }
}

void KeptAliveConnection::close() {
  if (socket_ >= 0) ::close(socket_);
  socket_ = -1;
  buffer_.clear();
}

bool KeptAliveConnection::send(const std::string& request) {
  size_t sent = 0;
  while (sent < request.size()) {
    const ssize_t n = ::send(socket_, request.data() + sent, request.size() - sent, MSG_NOSIGNAL);
    if (n <= 0) return false;
    sent += static_cast<size_t>(n);
  }
  return true;
}

bool KeptAliveConnection::fill() {
  char chunk[65536];
  const ssize_t n = ::recv(socket_, chunk, sizeof chunk, 0);
  if (n <= 0) return false;
  buffer_.append(chunk, static_cast<size_t>(n));
  return true;
}

bool KeptAliveConnection::receive(Answer& answer, bool& serverCloses) {
  size_t headerEnd;
  while ((headerEnd = buffer_.find("\r\n\r\n")) == std::string::npos) {
    if (!fill()) {
      if (buffer_.empty()) return false;
      throw std::runtime_error("the server closed the connection inside an answer's headers");
    }
  }
  const std::string head = buffer_.substr(0, headerEnd);
  buffer_.erase(0, headerEnd + 4);
  if (head.rfind("HTTP/1.", 0) != 0 || head.size() < 12) throw std::runtime_error("not an HTTP answer: " + head);
  answer.status = std::stoi(head.substr(9, 3));
  std::map<std::string, std::string> headers;
  for (size_t line = head.find("\r\n"); line != std::string::npos;) {
    const size_t next = head.find("\r\n", line + 2);
    const std::string field = head.substr(line + 2, next == std::string::npos ? std::string::npos : next - line - 2);
    const size_t colon = field.find(':');
    if (colon != std::string::npos) {
      const size_t value = field.find_first_not_of(' ', colon + 1);
      headers[Lower(field.substr(0, colon))] = value == std::string::npos ? "" : field.substr(value);
    }
    line = next;
  }
  serverCloses = Lower(headers["connection"]) == "close";
  answer.body.clear();
  if (Lower(headers["transfer-encoding"]).find("chunked") != std::string::npos) {
    for (;;) {
      size_t lineEnd;
      while ((lineEnd = buffer_.find("\r\n")) == std::string::npos) {
        if (!fill()) throw std::runtime_error("the server closed the connection inside a chunked answer");
      }
      const size_t size = std::stoul(buffer_.substr(0, lineEnd), nullptr, 16);
      while (buffer_.size() < lineEnd + 2 + size + 2) {
        if (!fill()) throw std::runtime_error("the server closed the connection inside a chunk");
      }
      answer.body.append(buffer_, lineEnd + 2, size);
      buffer_.erase(0, lineEnd + 2 + size + 2);
      if (size == 0) return true;  // no trailers from the servers measured here
    }
  }
  if (headers.count("content-length")) {
    const size_t length = std::stoul(headers["content-length"]);
    while (buffer_.size() < length) {
      if (!fill()) throw std::runtime_error("the server closed the connection inside an answer's body");
    }
    answer.body = buffer_.substr(0, length);
    buffer_.erase(0, length);
    return true;
  }
  if (answer.status == 204 || answer.status == 304 || answer.status / 100 == 1) return true;
  while (fill()) {
  }
  answer.body = std::move(buffer_);
  serverCloses = true;
  return true;
}

Answer KeptAliveConnection::get(const std::string& path, const std::map<std::string, std::string>& headers) {
  std::string request = "GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1:" + std::to_string(port_) + "\r\n";
  if (!authorization_.empty()) request += "Authorization: " + authorization_ + "\r\n";
  for (const auto& [name, value] : headers) request += name + ": " + value + "\r\n";
  request += "\r\n";
  // A kept-alive connection the server closed meanwhile shows only when it is used: once the
  // request cannot be written or the answer never starts, it goes again on a new connection.
  for (int attempt = 0; attempt < 2; ++attempt) {
    const bool reused = socket_ >= 0;
    if (!reused) connect();
    Answer answer;
    bool serverCloses = false;
    if (send(request) && receive(answer, serverCloses)) {
      if (serverCloses) close();
      return answer;
    }
    close();
    if (!reused) break;
  }
  throw std::runtime_error("no answer from 127.0.0.1:" + std::to_string(port_) + " to GET " + path);
}

}  // namespace relais::bench
