#pragma once
// One HTTP Basic sign-in attempt against the users file, guarded twice:
// - the SignInThrottle refuses an account or address that failed too often, before Argon2;
// - at most policy.passwordChecksAtOnce Argon2id checks run at once (each holds 64 MiB with
//   the interactive parameters: 40 parallel guessers once took Orthanc from 78 MB to 2 GB).
//   A check that finds no slot within policy.passwordCheckWaitMs is answered Busy (503).
// A pair verified in the last minutes (UserDirectory's cache) needs no slot.
// Every failure is reported to `log` with the account, the address and the counts, never the
// password.
#include <condition_variable>
#include <functional>
#include <mutex>
#include <optional>
#include <string>

#include "domain/SignInThrottle.h"
#include "domain/User.h"
#include "infra/UserDirectory.h"

namespace relais {

class SignIn {
 public:
  using Log = std::function<void(const std::string&)>;
  SignIn(SignInPolicy policy, Log log, SignInThrottle::Clock clock = std::chrono::steady_clock::now);

  struct Outcome {
    enum class Kind { NoCredentials, Accepted, Refused, Throttled, Busy };
    Kind kind = Kind::NoCredentials;
    std::optional<User> user;
    std::string message;        // for the client: why it was refused
    int retryAfterSeconds = 0;  // Throttled and Busy
  };
  Outcome attempt(UserDirectory& users, const std::string& authorizationHeader, const std::string& address);

  // Argon2 checks running now (for tests and the log).
  int checksRunning() const;

 private:
  bool takeSlot();
  void giveSlot();

  SignInThrottle throttle_;
  Log log_;
  mutable std::mutex slotsMutex_;
  std::condition_variable slotFreed_;
  int running_ = 0;
};

}  // namespace relais
