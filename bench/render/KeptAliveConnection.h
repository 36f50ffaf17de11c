#pragma once
// One kept-alive HTTP/1.1 connection over a plain socket, for timing a server's answers.
// The tests' HttpClient (cpprestsdk) spends about a third of a millisecond of its own on every
// request (its task scheduling and stream layers), as much as Orthanc takes to answer a bare
// GET /system; that time, the same on both sides of a ratio, would hide the servers'
// difference. This connection does what a browser's does: write the request, read the answer.
#include <cstdint>
#include <map>
#include <string>

namespace relais::bench {

struct Answer {
  int status = 0;
  std::string body;
};

class KeptAliveConnection {
 public:
  // `authorization`: the Authorization header's value sent with every request ("" for none).
  KeptAliveConnection(uint16_t port, std::string authorization);
  ~KeptAliveConnection();
  KeptAliveConnection(const KeptAliveConnection&) = delete;
  KeptAliveConnection& operator=(const KeptAliveConnection&) = delete;

  // Throws std::runtime_error when the server cannot be reached or answers what is not HTTP.
  // A request on a connection the server has closed meanwhile is sent again on a new one.
  Answer get(const std::string& path, const std::map<std::string, std::string>& headers = {});

 private:
  void connect();
  void close();
  bool send(const std::string& request);
  // Reads one whole answer; false when the connection turns out closed before its first byte.
  bool receive(Answer& answer, bool& serverCloses);
  bool fill();  // more bytes into buffer_; false at end of stream

  uint16_t port_;
  std::string authorization_;
  int socket_ = -1;
  std::string buffer_;
};

}  // namespace relais::bench
