#pragma once
// The hub's accounts, read from the users file (Relais.UsersFile), and HTTP Basic credential
// checks against their Argon2id hashes (libsodium's crypto_pwhash_str format, "$argon2id$...").
//
// Argon2 is slow on purpose (tens of milliseconds); paying it on every request of a viewer
// that loads 50 thumbnails is not an option. A verified name+password pair is remembered in
// memory as a keyed BLAKE2b digest (never the password itself) for a few minutes, so only the
// first request of a session pays. Failures are never cached.
//
// File format:
// {"users": [{"name": "derm1", "passwordHash": "$argon2id$...", "role": "specialist",
//             "specialties": ["dermatology"], "displayName": "Dr Salma Bennani"},
//            {"name": "nurse07", "passwordHash": "...", "role": "nurse", "unit": "VAN-07"}]}
// displayName is shown in the viewer as written; a report's author goes into the SR as the DICOM
// Person Name made from it (domain/report/ObserverName.h says how, "BENNANI^Salma^^Dr" is kept).
#include <chrono>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "domain/User.h"

namespace relais {

class UserDirectory {
 public:
  UserDirectory();  // no accounts: only public routes answer
  // Throws ConfigError naming the file, the key (e.g. "users[2].role") and what was expected.
  static UserDirectory Load(const std::string& path);
  static UserDirectory Parse(const nlohmann::json& document, const std::string& file);

  // The account for an "Authorization: Basic ..." header value, or nullopt.
  std::optional<User> authenticate(const std::string& authorizationHeader);
  std::optional<User> verify(const std::string& name, const std::string& password);
  // The account if this name+password pair was verified in the last minutes (no Argon2).
  std::optional<User> remembered(const std::string& name, const std::string& password);
  // Whether checking this name's password would run Argon2 (the name has an account).
  bool hasAccount(const std::string& name) const { return hashes_.count(name) != 0; }
  std::optional<User> find(const std::string& name) const;
  const std::vector<User>& users() const { return users_; }
  // Units that have an account (their studies wait for a manifest before routing).
  bool isKnownUnit(const std::string& unit) const;

  UserDirectory(UserDirectory&& other) noexcept;
  UserDirectory& operator=(UserDirectory&& other) noexcept;

 private:
  std::vector<User> users_;
  std::map<std::string, std::string> hashes_;  // name -> Argon2id hash
  std::string cacheKey_;                       // random per process
  std::mutex cacheMutex_;
  std::map<std::string, std::chrono::steady_clock::time_point> verified_;  // digest -> expiry
  std::string digestOf(const std::string& name, const std::string& password) const;
};

// Hashes a password with Argon2id for the users file. `moderate` costs about a second and
// 256 MiB (for admins); otherwise libsodium's interactive limits (the default).
std::string HashPassword(const std::string& password, bool moderate = false);
// Cheapest Argon2id parameters libsodium allows: only for test fixtures.
std::string HashPasswordForTests(const std::string& password);

std::optional<std::pair<std::string, std::string>> ParseBasicAuthorization(const std::string& header);

}  // namespace relais
