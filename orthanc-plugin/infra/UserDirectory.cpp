#include "infra/UserDirectory.h"

#include <sodium.h>

#include <fstream>
#include <set>
#include <sstream>
#include <stdexcept>

#include "domain/ConfigError.h"
#include "domain/ConfigFile.h"

namespace relais {

namespace {

constexpr auto kCacheLifetime = std::chrono::minutes(5);
constexpr size_t kCacheLimit = 10000;

void InitSodium() {
  if (sodium_init() < 0) throw std::runtime_error("libsodium cannot be initialised");
}

std::string Hash(const std::string& password, unsigned long long ops, size_t mem) {
  InitSodium();
  char out[crypto_pwhash_STRBYTES];
  if (crypto_pwhash_str(out, password.c_str(), password.size(), ops, mem) != 0) {
    throw std::runtime_error("out of memory while hashing a password");
  }
  return out;
}

std::string DecodeBase64(const std::string& text) {
  std::string out(text.size(), '\0');
  size_t length = 0;
  if (sodium_base642bin(reinterpret_cast<unsigned char*>(out.data()), out.size(), text.c_str(), text.size(), nullptr,
                        &length, nullptr, sodium_base64_VARIANT_ORIGINAL) != 0) {
    return "";
  }
  out.resize(length);
  return out;
}

}  // namespace

std::string HashPassword(const std::string& password, bool moderate) {
  return moderate ? Hash(password, crypto_pwhash_OPSLIMIT_MODERATE, crypto_pwhash_MEMLIMIT_MODERATE)
                  : Hash(password, crypto_pwhash_OPSLIMIT_INTERACTIVE, crypto_pwhash_MEMLIMIT_INTERACTIVE);
}

std::string HashPasswordForTests(const std::string& password) {
  return Hash(password, crypto_pwhash_OPSLIMIT_MIN, crypto_pwhash_MEMLIMIT_MIN);
}

std::optional<std::pair<std::string, std::string>> ParseBasicAuthorization(const std::string& header) {
  const std::string prefix = "Basic ";
  if (header.size() <= prefix.size() || header.compare(0, prefix.size(), prefix) != 0) return std::nullopt;
  InitSodium();
  std::string decoded = DecodeBase64(header.substr(prefix.size()));
  size_t colon = decoded.find(':');
  if (colon == std::string::npos) return std::nullopt;
  return std::make_pair(decoded.substr(0, colon), decoded.substr(colon + 1));
}

UserDirectory::UserDirectory() {
  InitSodium();
  cacheKey_.resize(crypto_generichash_KEYBYTES);
  randombytes_buf(cacheKey_.data(), cacheKey_.size());
}

UserDirectory::UserDirectory(UserDirectory&& other) noexcept
    : users_(std::move(other.users_)), hashes_(std::move(other.hashes_)), cacheKey_(std::move(other.cacheKey_)) {}

UserDirectory& UserDirectory::operator=(UserDirectory&& other) noexcept {
  users_ = std::move(other.users_);
  hashes_ = std::move(other.hashes_);
  cacheKey_ = std::move(other.cacheKey_);
  std::lock_guard<std::mutex> lock(cacheMutex_);
  verified_.clear();
  return *this;
}

UserDirectory UserDirectory::Parse(const nlohmann::json& document, const std::string& file) {
  if (!document.is_object() || !document.contains("users") || !document["users"].is_array()) {
    throw ConfigError(file, "users", "an array of accounts");
  }
  UserDirectory d;
  std::set<std::string> names;
  const auto& users = document["users"];
  for (size_t i = 0; i < users.size(); ++i) {
    const std::string at = "users[" + std::to_string(i) + "]";
    const auto& u = users[i];
    auto text = [&](const char* key, bool required) -> std::string {
      if (!u.contains(key)) {
        if (required) throw ConfigError(file, at + "." + key, "a non-empty string");
        return "";
      }
      if (!u[key].is_string() || (required && u[key].get<std::string>().empty())) {
        throw ConfigError(file, at + "." + key, "a non-empty string");
      }
      return u[key];
    };
    if (!u.is_object()) throw ConfigError(file, at, "an object");
    User user;
    user.name = text("name", true);
    if (!names.insert(user.name).second) throw ConfigError(file, at + ".name", "a unique name, '" + user.name + "' is used twice");
    const std::string hash = text("passwordHash", true);
    if (hash.rfind("$argon2id$", 0) != 0) {
      throw ConfigError(file, at + ".passwordHash", "an Argon2id hash starting with $argon2id$ (make one with relais-passwd)");
    }
    auto role = ParseRole(text("role", true));
    if (!role) throw ConfigError(file, at + ".role", "one of nurse, unit, specialist, coordinator, admin, pacs");
    user.role = *role;
    user.displayName = text("displayName", false);
    user.unit = text("unit", false);
    if ((user.role == Role::Nurse || user.role == Role::Unit) && user.unit.empty()) {
      throw ConfigError(file, at + ".unit", "the unit's Station Name (e.g. \"VAN-07\") for a " + ToString(user.role) + " account");
    }
    if (user.role == Role::Specialist) {
      if (!u.contains("specialties") || !u["specialties"].is_array() || u["specialties"].empty()) {
        throw ConfigError(file, at + ".specialties", "a non-empty array of specialty queues for a specialist");
      }
      for (const auto& s : u["specialties"]) {
        if (!s.is_string() || !IsKnownQueue(s)) {
          std::string known;
          for (const auto& q : KnownQueues()) known += (known.empty() ? "" : ", ") + q;
          throw ConfigError(file, at + ".specialties", "queue names among " + known);
        }
        user.specialties.push_back(s);
      }
    }
    d.hashes_[user.name] = hash;
    d.users_.push_back(std::move(user));
  }
  return d;
}

UserDirectory UserDirectory::Load(const std::string& path) { return Parse(ReadJsonConfigFile(path), path); }

std::optional<User> UserDirectory::find(const std::string& name) const {
  for (const auto& u : users_) {
    if (u.name == name) return u;
  }
  return std::nullopt;
}

bool UserDirectory::isKnownUnit(const std::string& unit) const {
  for (const auto& u : users_) {
    if (u.role == Role::Unit && u.unit == unit) return true;
  }
  return false;
}

std::string UserDirectory::digestOf(const std::string& name, const std::string& password) const {
  const std::string material = name + '\0' + password;
  unsigned char digest[crypto_generichash_BYTES];
  crypto_generichash(digest, sizeof digest, reinterpret_cast<const unsigned char*>(material.data()), material.size(),
                     reinterpret_cast<const unsigned char*>(cacheKey_.data()), cacheKey_.size());
  return std::string(reinterpret_cast<const char*>(digest), sizeof digest);
}

std::optional<User> UserDirectory::remembered(const std::string& name, const std::string& password) {
  if (!hasAccount(name)) return std::nullopt;
  const std::string key = digestOf(name, password);
  std::lock_guard<std::mutex> lock(cacheMutex_);
  auto it = verified_.find(key);
  if (it != verified_.end() && it->second > std::chrono::steady_clock::now()) return find(name);
  return std::nullopt;
}

std::optional<User> UserDirectory::verify(const std::string& name, const std::string& password) {
  auto hash = hashes_.find(name);
  if (hash == hashes_.end()) return std::nullopt;
  if (auto user = remembered(name, password)) return user;
  if (crypto_pwhash_str_verify(hash->second.c_str(), password.c_str(), password.size()) != 0) return std::nullopt;
  std::lock_guard<std::mutex> lock(cacheMutex_);
  if (verified_.size() >= kCacheLimit) verified_.clear();
  verified_[digestOf(name, password)] = std::chrono::steady_clock::now() + kCacheLifetime;
  return find(name);
}

std::optional<User> UserDirectory::authenticate(const std::string& authorizationHeader) {
  auto credentials = ParseBasicAuthorization(authorizationHeader);
  if (!credentials) return std::nullopt;
  return verify(credentials->first, credentials->second);
}

}  // namespace relais
