// The project's bad link measured: its rate (each way, shared by connections), its round trip,
// its periodic cuts and its cut at a chosen upstream byte. Tolerances are wide enough for a
// loaded 2-core machine, narrow enough to catch a link twice too fast or too slow.
#include "harness/FaultyLink.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include <atomic>
#include <thread>
#include <vector>

using relais::test::FaultyLink;
using relais::test::FaultyLinkOptions;
using Clock = std::chrono::steady_clock;

namespace {

// A loopback server for one kind of work on every connection: swallow (counting), echo, or
// send `sendBytes` then close.
class Target {
 public:
  enum class Mode { Sink, Echo, Source };
  explicit Target(Mode mode, int64_t sendBytes = 0) : mode_(mode), sendBytes_(sendBytes) {
    fd_ = socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t len = sizeof addr;
    bind(fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr);
    listen(fd_, 16);
    getsockname(fd_, reinterpret_cast<sockaddr*>(&addr), &len);
    port_ = ntohs(addr.sin_port);
    thread_ = std::thread([this] { serve(); });
  }
  ~Target() {
    stop_ = true;
    thread_.join();
    for (auto& t : workers_) t.join();
    close(fd_);
  }
  uint16_t port() const { return port_; }
  int64_t received() const { return received_; }

 private:
  void serve() {
    while (!stop_) {
      pollfd p{fd_, POLLIN, 0};
      if (poll(&p, 1, 20) <= 0) continue;
      int c = accept(fd_, nullptr, nullptr);
      if (c >= 0) workers_.emplace_back([this, c] { work(c); });
    }
  }
  void work(int c) {
    std::vector<char> buffer(65536);
    if (mode_ == Mode::Source) {
      int64_t left = sendBytes_;
      while (left > 0) {
        ssize_t w = send(c, buffer.data(), static_cast<size_t>(std::min<int64_t>(left, 65536)), MSG_NOSIGNAL);
        if (w <= 0) break;
        left -= w;
      }
      shutdown(c, SHUT_WR);
    }
    while (!stop_) {
      pollfd p{c, POLLIN, 0};
      if (poll(&p, 1, 20) <= 0) continue;
      ssize_t r = recv(c, buffer.data(), buffer.size(), 0);
      if (r <= 0) break;
      received_ += r;
      if (mode_ == Mode::Echo) send(c, buffer.data(), static_cast<size_t>(r), MSG_NOSIGNAL);
    }
    close(c);
  }
  Mode mode_;
  int64_t sendBytes_;
  int fd_ = -1;
  uint16_t port_ = 0;
  std::atomic<bool> stop_{false};
  std::atomic<int64_t> received_{0};
  std::thread thread_;
  std::vector<std::thread> workers_;
};

int Connect(uint16_t port) {
  int fd = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  addr.sin_port = htons(port);
  if (connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) throw std::runtime_error("connect");
  return fd;
}

// Writes `bytes` (stops early if the connection breaks); returns how many went.
int64_t SendAll(int fd, int64_t bytes) {
  std::vector<char> buffer(16384, 'x');
  int64_t sent = 0;
  while (sent < bytes) {
    ssize_t w = send(fd, buffer.data(), static_cast<size_t>(std::min<int64_t>(bytes - sent, 16384)), MSG_NOSIGNAL);
    if (w <= 0) break;
    sent += w;
  }
  return sent;
}

int64_t ReceiveAll(int fd) {
  std::vector<char> buffer(65536);
  int64_t total = 0;
  for (;;) {
    ssize_t r = recv(fd, buffer.data(), buffer.size(), 0);
    if (r <= 0) return total;
    total += r;
  }
}

double Since(Clock::time_point t) { return std::chrono::duration<double>(Clock::now() - t).count(); }

template <typename Predicate>
bool WaitFor(Predicate done, std::chrono::milliseconds limit) {
  const auto until = Clock::now() + limit;
  while (!done()) {
    if (Clock::now() > until) return false;
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  return true;
}

}  // namespace

TEST(FaultyLink, UpstreamRateIsTheConfiguredRate) {
  Target sink(Target::Mode::Sink);
  FaultyLinkOptions o;
  o.targetPort = sink.port();
  o.upBytesPerSecond = 2'000'000;
  FaultyLink link(o);
  const int fd = Connect(link.port());
  const auto started = Clock::now();
  ASSERT_EQ(SendAll(fd, 2'000'000), 2'000'000);
  ASSERT_TRUE(WaitFor([&] { return sink.received() == 2'000'000; }, std::chrono::seconds(5)));
  const double seconds = Since(started);
  close(fd);
  EXPECT_GT(seconds, 0.85);
  EXPECT_LT(seconds, 1.6);  // room for a loaded machine; twice too slow still fails
  EXPECT_EQ(link.bytesUp(), 2'000'000);
}

TEST(FaultyLink, TheRateIsSharedByEveryConnectionInOneDirection) {
  Target source(Target::Mode::Source, 1'000'000);
  FaultyLinkOptions o;
  o.targetPort = source.port();
  o.downBytesPerSecond = 4'000'000;
  FaultyLink link(o);
  const auto started = Clock::now();
  std::vector<std::thread> readers;
  std::atomic<int64_t> total{0};
  for (int i = 0; i < 4; ++i) {
    readers.emplace_back([&] {
      const int fd = Connect(link.port());
      total += ReceiveAll(fd);
      close(fd);
    });
  }
  for (auto& t : readers) t.join();
  const double seconds = Since(started);
  EXPECT_EQ(total, 4'000'000);
  EXPECT_EQ(link.bytesDown(), 4'000'000);
  EXPECT_GT(seconds, 0.85);  // 4 MB at 4 MB/s, not 4 MB at 4 × 4 MB/s
  EXPECT_LT(seconds, 1.7);
}

TEST(FaultyLink, RoundTripIsADelayInThePipeNotAPauseBetweenChunks) {
  Target echo(Target::Mode::Echo);
  FaultyLinkOptions o;
  o.targetPort = echo.port();
  o.rtt = std::chrono::milliseconds(200);
  FaultyLink link(o);
  const int fd = Connect(link.port());
  char byte = 'p';
  const auto started = Clock::now();
  ASSERT_EQ(send(fd, &byte, 1, 0), 1);
  ASSERT_EQ(recv(fd, &byte, 1, 0), 1);
  const double rtt = Since(started);
  EXPECT_GT(rtt, 0.19);
  EXPECT_LT(rtt, 0.35);
  // 50 chunks sent back to back arrive one RTT later, not 50 RTTs later.
  const auto burst = Clock::now();
  std::thread writer([&] { SendAll(fd, 50 * 16384); });
  std::vector<char> buffer(65536);
  int64_t back = 0;
  while (back < 50 * 16384) {
    ssize_t r = recv(fd, buffer.data(), buffer.size(), 0);
    ASSERT_GT(r, 0);
    back += r;
  }
  writer.join();
  EXPECT_LT(Since(burst), 0.8);
  close(fd);
}

TEST(FaultyLink, EveryOpenConnectionIsResetAtEachCut) {
  Target sink(Target::Mode::Sink);
  FaultyLinkOptions o;
  o.targetPort = sink.port();
  o.cutEvery = std::chrono::milliseconds(300);
  std::atomic<int> reported{0};
  o.onCut = [&](int, int reset) { reported += reset; };
  FaultyLink link(o);
  const int a = Connect(link.port());
  const int b = Connect(link.port());
  ASSERT_TRUE(WaitFor([&] { return link.openConnections() == 2; }, std::chrono::seconds(1)));
  const auto started = Clock::now();
  char byte = 0;
  EXPECT_LE(recv(a, &byte, 1, 0), 0);  // reset (or closed) by the cut, not by us
  EXPECT_LE(recv(b, &byte, 1, 0), 0);
  EXPECT_LT(Since(started), 0.6);
  EXPECT_GE(link.cuts(), 1);
  EXPECT_EQ(reported, 2);
  close(a);
  close(b);
  // A new connection may open at once after a cut, and is cut at the next one.
  const int c = Connect(link.port());
  EXPECT_LE(recv(c, &byte, 1, 0), 0);
  EXPECT_GE(link.cuts(), 2);
  close(c);
}

TEST(FaultyLink, ResetInTheMiddleOfARequestAfterTheChosenByte) {
  Target sink(Target::Mode::Sink);
  FaultyLinkOptions o;
  o.targetPort = sink.port();
  o.upBytesPerSecond = 5'000'000;
  FaultyLink link(o);
  const int fd = Connect(link.port());
  ASSERT_TRUE(WaitFor([&] { return link.openConnections() == 1; }, std::chrono::seconds(1)));
  link.cutAfterUpBytes(123'456);
  SendAll(fd, 1'000'000);  // may all fit in the socket buffers
  char byte = 0;
  EXPECT_LE(recv(fd, &byte, 1, 0), 0);  // the sender sees the link break
  ASSERT_TRUE(WaitFor([&] { return sink.received() >= 123'456; }, std::chrono::seconds(2)));
  std::this_thread::sleep_for(std::chrono::milliseconds(100));
  EXPECT_EQ(sink.received(), 123'456);
  EXPECT_EQ(link.bytesUp(), 123'456);
  EXPECT_EQ(link.cuts(), 1);
  close(fd);
}

TEST(FaultyLink, PerConnectionResetAfterUpstreamBytes) {
  Target sink(Target::Mode::Sink);
  FaultyLinkOptions o;
  o.targetPort = sink.port();
  o.resetAfterUpBytes = 10'000;
  FaultyLink link(o);
  for (int i = 0; i < 2; ++i) {
    const int fd = Connect(link.port());
    SendAll(fd, 500'000);
    char byte = 0;
    EXPECT_LE(recv(fd, &byte, 1, 0), 0);
    close(fd);
  }
  ASSERT_TRUE(WaitFor([&] { return sink.received() >= 20'000; }, std::chrono::seconds(2)));
  std::this_thread::sleep_for(std::chrono::milliseconds(100));
  EXPECT_EQ(sink.received(), 20'000);
}

TEST(FaultyLink, StopsCleanlyWithConnectionsOpen) {
  Target sink(Target::Mode::Sink);
  FaultyLinkOptions o;
  o.targetPort = sink.port();
  o.upBytesPerSecond = 100'000;
  auto link = std::make_unique<FaultyLink>(o);
  const int fd = Connect(link->port());
  std::thread writer([&] { SendAll(fd, 10'000'000); });
  std::this_thread::sleep_for(std::chrono::milliseconds(200));
  const auto started = Clock::now();
  link.reset();
  EXPECT_LT(Since(started), 1.0);
  writer.join();  // the writer sees the reset instead of hanging
  close(fd);
}
