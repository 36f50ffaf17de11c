#include "infra/SignIn.h"

#include <utility>

namespace relais {

namespace {

std::string From(const std::string& address) { return address.empty() ? "an unknown address" : address; }

}  // namespace

SignIn::SignIn(SignInPolicy policy, Log log, SignInThrottle::Clock clock)
    : throttle_(policy, std::move(clock)), log_(std::move(log)) {}

bool SignIn::takeSlot() {
  std::unique_lock<std::mutex> lock(slotsMutex_);
  const auto& p = throttle_.policy();
  if (!slotFreed_.wait_for(lock, std::chrono::milliseconds(p.passwordCheckWaitMs),
                           [&] { return running_ < p.passwordChecksAtOnce; })) {
    return false;
  }
  ++running_;
  return true;
}

void SignIn::giveSlot() {
  {
    std::lock_guard<std::mutex> lock(slotsMutex_);
    --running_;
  }
  slotFreed_.notify_one();
}

int SignIn::checksRunning() const {
  std::lock_guard<std::mutex> lock(slotsMutex_);
  return running_;
}

SignIn::Outcome SignIn::attempt(UserDirectory& users, const std::string& authorizationHeader,
                                const std::string& address) {
  Outcome out;
  auto credentials = ParseBasicAuthorization(authorizationHeader);
  if (!credentials) return out;
  const auto& [name, password] = *credentials;

  const auto verdict = throttle_.check(name, address);
  if (!verdict.allowed) {
    log_("Relais: sign-in refused without a password check for account '" + name + "' from " + From(address) + ": " +
         verdict.reason);
    out.kind = Outcome::Kind::Throttled;
    out.message = verdict.reason;
    out.retryAfterSeconds = verdict.retryAfterSeconds;
    return out;
  }

  out.user = users.remembered(name, password);
  if (!out.user && users.hasAccount(name)) {
    if (!takeSlot()) {
      log_("Relais: sign-in of account '" + name + "' from " + From(address) +
           " answered busy: every Argon2 password check slot stayed taken");
      out.kind = Outcome::Kind::Busy;
      out.message = "the hub is busy checking other passwords; try again in a moment";
      out.retryAfterSeconds = 1;
      return out;
    }
    try {
      out.user = users.verify(name, password);
    } catch (...) {
      giveSlot();
      throw;
    }
    giveSlot();
  }
  if (out.user) {
    throttle_.recordSuccess(name);
    out.kind = Outcome::Kind::Accepted;
    return out;
  }

  const auto f = throttle_.recordFailure(name, address);
  std::string next = f.locked ? "now locked for " + std::to_string(f.retryAfterSeconds) + " s"
                     : f.retryAfterSeconds > 0 ? "next attempt in " + std::to_string(f.retryAfterSeconds) + " s"
                                               : "next attempt free";
  log_("Relais: failed sign-in for account '" + name + "' from " + From(address) + " (failure " +
       std::to_string(f.accountFailures) + " for the account" +
       (address.empty() ? std::string() : ", " + std::to_string(f.addressFailures) + " from the address") + "; " +
       next + ")");
  out.kind = Outcome::Kind::Refused;
  out.message = "wrong account name or password";
  if (f.retryAfterSeconds > 0) {
    out.message += f.locked ? "; sign-ins are now locked for " + std::to_string(f.retryAfterSeconds) + " s"
                            : "; wait " + std::to_string(f.retryAfterSeconds) + " s before the next attempt";
  }
  return out;
}

}  // namespace relais
