#include "domain/SignInThrottle.h"

#include <algorithm>
#include <utility>

namespace relais {

namespace {

using std::chrono::seconds;

int SecondsUntil(std::chrono::steady_clock::time_point then, std::chrono::steady_clock::time_point now) {
  const auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(then - now).count();
  return static_cast<int>(std::max<int64_t>(1, (ms + 999) / 1000));
}

// Names longer than any account are cut, so a guesser cannot grow the map with huge keys.
std::string KeyOf(const std::string& name) { return name.substr(0, 128); }

}  // namespace

SignInThrottle::SignInThrottle(SignInPolicy policy, Clock clock) : policy_(policy), clock_(std::move(clock)) {}

SignInThrottle::Record* SignInThrottle::current(std::map<std::string, Record>& records, const std::string& key,
                                                TimePoint now) {
  auto it = records.find(key);
  if (it == records.end()) return nullptr;
  Record& r = it->second;
  const bool lockOver = r.locked && now >= r.notBefore;
  const bool quietLongEnough = !r.locked && now >= r.notBefore && now - r.lastFailure >= seconds(policy_.lockSeconds);
  if (lockOver || quietLongEnough) {
    records.erase(it);
    return nullptr;
  }
  return &r;
}

SignInThrottle::Verdict SignInThrottle::check(const std::string& account, const std::string& address) {
  std::lock_guard<std::mutex> lock(mutex_);
  const auto now = clock_();
  // Refused while the record's delay or lock runs; the reason says whose it is:
  // "<locked> <n> <failures>; try again in 3 s" or "too many failed sign-ins <whose>; wait ...".
  auto refusal = [&](const Record* r, const std::string& locked, const char* failures, const std::string& whose) {
    Verdict v;
    if (r == nullptr || now >= r->notBefore) return v;
    v.allowed = false;
    v.retryAfterSeconds = SecondsUntil(r->notBefore, now);
    const std::string wait = std::to_string(v.retryAfterSeconds) + " s";
    v.reason = r->locked ? locked + " " + std::to_string(r->failures) + " " + failures + "; try again in " + wait
                         : "too many failed sign-ins " + whose + "; wait " + wait + " before the next attempt";
    return v;
  };
  const std::string name = KeyOf(account);
  Verdict v = refusal(current(accounts_, name, now), "account " + name + " is locked after", "failed sign-ins",
                      "for account " + name);
  if (!v.allowed || address.empty()) return v;
  const std::string from = KeyOf(address);
  return refusal(current(addresses_, from, now), "sign-ins from " + from + " are locked after", "failures",
                 "from " + from);
}

SignInThrottle::Record& SignInThrottle::fail(std::map<std::string, Record>& records, const std::string& key,
                                             int lockAfter, bool delays, TimePoint now) {
  if (records.size() >= kMaxTracked) prune(records, now);
  current(records, key, now);  // forgets a record that ran out
  Record& r = records[key];
  r.failures += 1;
  r.lastFailure = now;
  if (r.failures >= lockAfter) {
    r.locked = true;
    r.notBefore = now + seconds(policy_.lockSeconds);
  } else if (delays && r.failures > policy_.freeFailures) {
    const int doublings = std::min(r.failures - policy_.freeFailures - 1, 20);
    const int64_t delay = std::min<int64_t>(int64_t{policy_.firstDelaySeconds} << doublings, policy_.maxDelaySeconds);
    r.notBefore = now + seconds(delay);
  }
  return r;
}

SignInThrottle::Failure SignInThrottle::recordFailure(const std::string& account, const std::string& address) {
  std::lock_guard<std::mutex> lock(mutex_);
  const auto now = clock_();
  Failure f;
  const Record& a = fail(accounts_, KeyOf(account), policy_.lockAfterFailures, true, now);
  f.accountFailures = a.failures;
  f.locked = a.locked;
  TimePoint notBefore = a.notBefore;
  if (!address.empty()) {
    const Record& b = fail(addresses_, KeyOf(address), policy_.addressLockAfterFailures, false, now);
    f.addressFailures = b.failures;
    f.locked = f.locked || b.locked;
    notBefore = std::max(notBefore, b.notBefore);
  }
  f.retryAfterSeconds = notBefore > now ? SecondsUntil(notBefore, now) : 0;
  return f;
}

void SignInThrottle::recordSuccess(const std::string& account) {
  std::lock_guard<std::mutex> lock(mutex_);
  accounts_.erase(KeyOf(account));
}

void SignInThrottle::prune(std::map<std::string, Record>& records, TimePoint now) {
  for (auto it = records.begin(); it != records.end();) {
    const bool stale = now >= it->second.notBefore;
    it = stale ? records.erase(it) : std::next(it);
  }
  // Still full: every record is in its delay or lock. Forget the oldest failures first.
  while (records.size() >= kMaxTracked) {
    auto oldest = std::min_element(records.begin(), records.end(), [](const auto& x, const auto& y) {
      return x.second.lastFailure < y.second.lastFailure;
    });
    records.erase(oldest);
  }
}

}  // namespace relais
