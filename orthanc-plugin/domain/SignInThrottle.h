#pragma once
// Slows password guessing over HTTP Basic, per account and per client address, without ever
// holding a server thread: a refused attempt is answered at once (with the seconds to wait)
// and never reaches Argon2.
//
// A unit that mistypes once is not punished: the first `freeFailures` failures cost nothing;
// each further one makes the next attempt wait (firstDelaySeconds, doubled each time, at most
// maxDelaySeconds); at `lockAfterFailures` the account is locked for lockSeconds. A client
// address is only locked, at its own, higher, threshold, never delayed (a health centre's NAT
// carries several accounts: one nurse's typos must not slow her colleagues).
// A success forgets the account's failures; failures are also forgotten after lockSeconds
// without one, and a lock that has run out starts the count afresh.
//
// Pure logic with an injected clock; thread-safe; memory bounded (at most kMaxTracked
// accounts and addresses each, expired records dropped first).
#include <chrono>
#include <functional>
#include <map>
#include <mutex>
#include <string>

namespace relais {

struct SignInPolicy {
  int freeFailures = 3;
  int firstDelaySeconds = 1;
  int maxDelaySeconds = 60;
  int lockAfterFailures = 10;
  int addressLockAfterFailures = 30;
  int lockSeconds = 900;
  // Argon2id checks running at once (each holds 64 MiB with the interactive parameters);
  // a check that finds none free waits at most passwordCheckWaitMs, then is answered 503.
  int passwordChecksAtOnce = 2;
  int passwordCheckWaitMs = 3000;
};

class SignInThrottle {
 public:
  using Clock = std::function<std::chrono::steady_clock::time_point()>;
  static constexpr size_t kMaxTracked = 50000;

  explicit SignInThrottle(SignInPolicy policy, Clock clock = std::chrono::steady_clock::now);

  struct Verdict {
    bool allowed = true;
    int retryAfterSeconds = 0;
    std::string reason;  // for the client, e.g. "account derm1 is locked after 10 failed sign-ins"
  };
  // May this account try a password from this address now? An empty address is not tracked.
  Verdict check(const std::string& account, const std::string& address);

  struct Failure {
    int accountFailures = 0;
    int addressFailures = 0;
    int retryAfterSeconds = 0;  // 0: the next attempt is free
    bool locked = false;        // the account or the address is now locked
  };
  Failure recordFailure(const std::string& account, const std::string& address);
  void recordSuccess(const std::string& account);

  const SignInPolicy& policy() const { return policy_; }

 private:
  using TimePoint = std::chrono::steady_clock::time_point;
  struct Record {
    int failures = 0;
    bool locked = false;
    TimePoint notBefore{};
    TimePoint lastFailure{};
  };
  Record* current(std::map<std::string, Record>& records, const std::string& key, TimePoint now);
  Record& fail(std::map<std::string, Record>& records, const std::string& key, int lockAfter, bool delays, TimePoint now);
  void prune(std::map<std::string, Record>& records, TimePoint now);

  SignInPolicy policy_;
  Clock clock_;
  std::mutex mutex_;
  std::map<std::string, Record> accounts_;
  std::map<std::string, Record> addresses_;
};

}  // namespace relais
