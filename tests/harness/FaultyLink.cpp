#include "harness/FaultyLink.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <deque>
#include <stdexcept>
#include <string>
#include <vector>

namespace relais::test {

namespace {

using Clock = std::chrono::steady_clock;
constexpr auto kTick = std::chrono::milliseconds(20);  // how soon a stop or a cut is noticed

void Prepare(int fd) {
  fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK);
  int yes = 1;
  setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &yes, sizeof yes);
}

// Closing with a zero linger sends RST: the peer sees "connection reset", as after a drop.
void Abort(int fd) {
  linger l{1, 0};
  setsockopt(fd, SOL_SOCKET, SO_LINGER, &l, sizeof l);
  close(fd);
}

int ConnectLoopback(uint16_t port) {
  int fd = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  addr.sin_port = htons(port);
  if (connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) {
    close(fd);
    return -1;
  }
  return fd;
}

int PollMs(Clock::duration d) {
  return static_cast<int>(std::max<int64_t>(
      0, std::chrono::duration_cast<std::chrono::milliseconds>(d + std::chrono::microseconds(999)).count()));
}

}  // namespace

// One direction's share of the link: each chunk takes its turn after the previous one, at
// the direction's rate, whatever connection it belongs to.
struct FaultyLink::Budget {
  explicit Budget(int64_t rate) : bytesPerSecond(rate) {}
  Clock::time_point readyAt() {
    std::lock_guard<std::mutex> lock(mutex);
    return next;
  }
  // When `bytes` read now have gone through the link.
  Clock::time_point reserve(int64_t bytes) {
    const auto now = Clock::now();
    if (bytesPerSecond <= 0) return now;
    std::lock_guard<std::mutex> lock(mutex);
    next = std::max(now, next) + std::chrono::duration_cast<Clock::duration>(
                                     std::chrono::duration<double>(static_cast<double>(bytes) / bytesPerSecond));
    return next;
  }
  int64_t bytesPerSecond;
  std::mutex mutex;
  Clock::time_point next{};
};

struct FaultyLink::Connection {
  int client = -1;
  int server = -1;
  std::atomic<bool> reset{false};
  std::atomic<int> directionsDone{0};
  std::atomic<int64_t> upCarried{0};
  std::thread up;
  std::thread down;
};

FaultyLink::FaultyLink(FaultyLinkOptions options)
    : options_(std::move(options)),
      upBudget_(std::make_unique<Budget>(options_.upBytesPerSecond)),
      downBudget_(std::make_unique<Budget>(options_.downBytesPerSecond)) {
  listener_ = socket(AF_INET, SOCK_STREAM, 0);
  int yes = 1;
  setsockopt(listener_, SOL_SOCKET, SO_REUSEADDR, &yes, sizeof yes);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  addr.sin_port = htons(options_.listenPort);
  socklen_t len = sizeof addr;
  if (bind(listener_, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0 || listen(listener_, 64) != 0 ||
      getsockname(listener_, reinterpret_cast<sockaddr*>(&addr), &len) != 0) {
    close(listener_);
    throw std::runtime_error("FaultyLink cannot listen on 127.0.0.1:" + std::to_string(options_.listenPort));
  }
  port_ = ntohs(addr.sin_port);
  acceptor_ = std::thread([this] { acceptLoop(); });
}

FaultyLink::~FaultyLink() { stop(); }

void FaultyLink::stop() {
  if (stop_.exchange(true)) return;
  acceptor_.join();
  close(listener_);
}

void FaultyLink::cutNow() { cutRequested_ = true; }

void FaultyLink::cutAfterUpBytes(int64_t bytes) { armedCutAt_ = bytesUp_ + bytes; }

int FaultyLink::openConnections() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return static_cast<int>(open_.size());
}

void FaultyLink::resetAll() {
  int n = 0;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    for (auto& c : open_) {
      if (!c->reset.exchange(true)) ++n;
    }
  }
  const int cut = ++cuts_;
  if (options_.onCut) options_.onCut(cut, n);
}

void FaultyLink::reap(bool all) {
  std::list<std::unique_ptr<Connection>> finished;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    for (auto it = open_.begin(); it != open_.end();) {
      if (all) (*it)->reset = true;
      if ((*it)->reset || (*it)->directionsDone == 2) {
        finished.push_back(std::move(*it));
        it = open_.erase(it);
      } else {
        ++it;
      }
    }
  }
  for (auto& c : finished) {
    c->up.join();
    c->down.join();
    if (c->reset) {
      Abort(c->client);
      Abort(c->server);
    } else {
      close(c->client);
      close(c->server);
    }
  }
}

void FaultyLink::acceptLoop() {
  auto nextCut = Clock::now() + options_.cutEvery;
  while (!stop_) {
    pollfd p{listener_, POLLIN, 0};
    if (poll(&p, 1, PollMs(kTick)) > 0) {
      const int client = accept(listener_, nullptr, nullptr);
      if (client >= 0) {
        const int server = ConnectLoopback(options_.targetPort);
        if (server < 0) {
          Abort(client);
        } else {
          Prepare(client);
          Prepare(server);
          auto c = std::make_unique<Connection>();
          c->client = client;
          c->server = server;
          Connection& ref = *c;
          ++connections_;
          std::lock_guard<std::mutex> lock(mutex_);
          open_.push_back(std::move(c));
          ref.up = std::thread([this, &ref] { pump(ref, true); });
          ref.down = std::thread([this, &ref] { pump(ref, false); });
        }
      }
    }
    if (cutRequested_.exchange(false)) resetAll();
    if (options_.cutEvery.count() > 0 && Clock::now() >= nextCut) {
      nextCut += options_.cutEvery;
      resetAll();
    }
    reap(false);
  }
  reap(true);
}

void FaultyLink::pump(Connection& c, bool up) {
  const int src = up ? c.client : c.server;
  const int dst = up ? c.server : c.client;
  Budget& budget = up ? *upBudget_ : *downBudget_;
  std::atomic<int64_t>& carried = up ? bytesUp_ : bytesDown_;
  const auto halfRtt = std::chrono::duration_cast<Clock::duration>(options_.rtt) / 2;
  const int64_t rate = budget.bytesPerSecond;
  // Read in small chunks on a slow link so connections interleave fairly; hold no more than
  // what is in flight for half an RTT plus a little, so the sender feels the link's pace.
  const size_t chunk = rate > 0 ? static_cast<size_t>(std::clamp<int64_t>(rate / 50, 1024, 65536)) : 65536;
  const int64_t cap = rate > 0 ? 65536 + rate * options_.rtt.count() / 2000 : (1 << 20);

  struct Piece {
    Clock::time_point due;
    std::string bytes;
    size_t sent = 0;
  };
  std::deque<Piece> queue;
  int64_t queued = 0;
  bool srcEof = false;
  std::vector<char> buffer(chunk);

  while (!stop_ && !c.reset) {
    auto now = Clock::now();
    bool blockedOnWrite = false;
    while (!queue.empty() && queue.front().due <= now && !c.reset) {
      Piece& head = queue.front();
      int64_t allowed = static_cast<int64_t>(head.bytes.size() - head.sent);
      if (up && options_.resetAfterUpBytes > 0) allowed = std::min(allowed, options_.resetAfterUpBytes - c.upCarried);
      const int64_t armed = armedCutAt_;
      if (up && armed >= 0) allowed = std::min(allowed, armed - bytesUp_);
      if (allowed <= 0) {
        if (up && armed >= 0 && bytesUp_ >= armed) {
          armedCutAt_ = -1;
          resetAll();
        } else {
          c.reset = true;
        }
        break;
      }
      const ssize_t w = send(dst, head.bytes.data() + head.sent, static_cast<size_t>(allowed), MSG_NOSIGNAL | MSG_DONTWAIT);
      if (w < 0) {
        if (errno == EAGAIN || errno == EWOULDBLOCK) {
          blockedOnWrite = true;
        } else {
          c.reset = true;
        }
        break;
      }
      head.sent += static_cast<size_t>(w);
      carried += w;
      if (up) c.upCarried += w;
      queued -= w;
      if (head.sent == head.bytes.size()) queue.pop_front();
    }
    if (c.reset) break;
    if (srcEof && queue.empty()) {
      shutdown(dst, SHUT_WR);  // the sender finished: pass its half-close on
      break;
    }

    now = Clock::now();
    Clock::duration wait = kTick;
    const bool budgetReady = budget.readyAt() <= now;
    const bool wantRead = !srcEof && queued < cap && budgetReady;
    if (!srcEof && queued < cap && !budgetReady) wait = std::min(wait, budget.readyAt() - now);
    if (!queue.empty() && !blockedOnWrite) wait = std::min(wait, std::max(Clock::duration::zero(), queue.front().due - now));
    pollfd fds[2];
    nfds_t n = 0;
    if (wantRead) fds[n++] = {src, POLLIN, 0};
    if (blockedOnWrite) fds[n++] = {dst, POLLOUT, 0};
    if (poll(fds, n, PollMs(wait)) <= 0 || !wantRead || (fds[0].revents & (POLLIN | POLLHUP | POLLERR)) == 0) continue;
    const ssize_t r = recv(src, buffer.data(), buffer.size(), MSG_DONTWAIT);
    if (r == 0) {
      srcEof = true;
    } else if (r < 0) {
      if (errno != EAGAIN && errno != EWOULDBLOCK) c.reset = true;
    } else {
      const auto through = budget.reserve(r);
      queue.push_back({through + halfRtt, std::string(buffer.data(), static_cast<size_t>(r))});
      queued += r;
    }
  }
  ++c.directionsDone;
}

}  // namespace relais::test
