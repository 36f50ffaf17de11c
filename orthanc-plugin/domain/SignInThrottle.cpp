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
  Verdict v;
  if (Record* r = current(accounts_, KeyOf(account), now); r && now < r->notBefore) {
    v.allowed = false;
    v.retryAfterSeconds = SecondsUntil(r->notBefore, now);
    v.reason = r->locked ? "account " + KeyOf(account) + " is locked after " + std::to_string(r->failures) +
                               " failed sign-ins; try again in " + std::to_string(v.retryAfterSeconds) + " s"
                         : "too many failed sign-ins for account " + KeyOf(account) + "; wait " +
                               std::to_string(v.retryAfterSeconds) + " s before the next attempt";
    return v;
  }
  if (address.empty()) return v;
  if (Record* r = current(addresses_, KeyOf(address), now); r && now < r->notBefore) {
    v.allowed = false;
    v.retryAfterSeconds = SecondsUntil(r->notBefore, now);
    v.reason = r->locked ? "sign-ins from " + KeyOf(address) + " are locked after " + std::to_string(r->failures) +
                               " failures; try again in " + std::to_string(v.retryAfterSeconds) + " s"
                         : "too many failed sign-ins from " + KeyOf(address) + "; wait " +
                               std::to_string(v.retryAfterSeconds) + " s before the next attempt";
  }
  return v;
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
