// relais-passwd: prints the Argon2id hash to put in a users file's "passwordHash".
//   relais-passwd                 asks for the password twice without echo on a terminal;
//                                 reads one line from standard input otherwise (scripts)
//   relais-passwd --moderate      slower, stronger hash (for admin accounts)
//   relais-passwd --user derm1 --role specialist --specialty dermatology [--rules rules.json]
//                                 prints a whole users-file entry, its attributes checked
// Exit: 0 done, 2 refused (the message says why), 1 hashing failed.
#include <termios.h>
#include <unistd.h>

#include <algorithm>
#include <iostream>
#include <set>
#include <string>

#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>

#include "domain/ConfigError.h"
#include "domain/RoutingRules.h"
#include "domain/User.h"
#include "infra/UserDirectory.h"

namespace {

constexpr size_t kMinimumLength = 10;

struct Refusal {
  std::string message;
};

// Echo off for the life of the object, restored even when reading fails.
class EchoOff {
 public:
  EchoOff() {
    if (tcgetattr(STDIN_FILENO, &saved_) != 0) return;
    termios quiet = saved_;
    quiet.c_lflag &= ~static_cast<tcflag_t>(ECHO);
    active_ = tcsetattr(STDIN_FILENO, TCSAFLUSH, &quiet) == 0;
  }
  ~EchoOff() {
    if (active_) tcsetattr(STDIN_FILENO, TCSAFLUSH, &saved_);
  }
  EchoOff(const EchoOff&) = delete;
  EchoOff& operator=(const EchoOff&) = delete;

 private:
  termios saved_{};
  bool active_ = false;
};

std::string ReadLine() {
  std::string line;
  if (!std::getline(std::cin, line)) throw Refusal{"no password on standard input"};
  if (!line.empty() && line.back() == '\r') line.pop_back();
  return line;
}

std::string Prompt(const char* question) {
  std::cerr << question << std::flush;
  EchoOff quiet;
  std::string line = ReadLine();
  std::cerr << "\n";
  return line;
}

std::string ReadPassword() {
  if (!isatty(STDIN_FILENO)) return ReadLine();
  std::string password = Prompt("Password: ");
  if (password.size() >= kMinimumLength && Prompt("Same password again: ") != password) {
    throw Refusal{"the two passwords differ"};
  }
  return password;
}

void CheckPassword(const std::string& password) {
  if (password.size() < kMinimumLength) {
    throw Refusal{"the password has " + std::to_string(password.size()) + " characters; it needs at least " +
                  std::to_string(kMinimumLength)};
  }
}

std::string Joined(const std::set<std::string>& names) {
  std::string out;
  for (const auto& n : names) out += (out.empty() ? "" : ", ") + n;
  return out;
}

// The attributes a role needs, as the hub checks them when it loads the users file, and the
// specialties against the queues of the routing rules when they are given.
void CheckAttributes(const std::string& user, const std::string& role, const std::string& unit,
                     const std::vector<std::string>& specialties, const std::string& rulesFile) {
  if (role.empty() && user.empty()) return;
  if (user.empty()) throw Refusal{"--role needs --user (the account's name)"};
  const auto parsed = relais::ParseRole(role);
  if (!parsed) {
    throw Refusal{(role.empty() ? std::string("--user needs --role") : "unknown role '" + role + "'") +
                  ": one of nurse, unit, specialist, coordinator, admin, pacs"};
  }
  if ((*parsed == relais::Role::Nurse || *parsed == relais::Role::Unit) && unit.empty()) {
    throw Refusal{"a " + role + " account needs --unit (the unit's Station Name, e.g. VAN-07)"};
  }
  if (*parsed != relais::Role::Specialist) {
    if (!specialties.empty()) throw Refusal{"--specialty is only for a specialist account"};
    return;
  }
  if (specialties.empty()) throw Refusal{"a specialist account needs at least one --specialty (a queue)"};
  std::set<std::string> queues;
  if (rulesFile.empty()) {
    queues.insert(relais::KnownQueues().begin(), relais::KnownQueues().end());
  } else {
    // The hub accepts only the queues it knows; the rules say which of them are in use.
    const auto rules = relais::RoutingRules::Load(rulesFile);
    for (const auto& rule : rules.rules()) {
      if (relais::IsKnownQueue(rule.queue)) queues.insert(rule.queue);
    }
    queues.insert("triage");
  }
  for (const auto& s : specialties) {
    if (!queues.count(s)) {
      throw Refusal{"specialty '" + s + "' is not a queue of " + (rulesFile.empty() ? "the hub" : rulesFile) +
                    " (queues: " + Joined(queues) + ")"};
    }
  }
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"Hash a password for the Relais users file (Argon2id, libsodium)"};
  bool moderate = false;
  std::string user, role, unit, displayName, rulesFile;
  std::vector<std::string> specialties;
  app.add_flag("--moderate", moderate, "stronger parameters (about 1 s and 256 MiB per check)");
  app.add_option("--user", user, "print a whole users-file entry for this account name");
  app.add_option("--role", role, "nurse, unit, specialist, coordinator, admin or pacs");
  app.add_option("--unit", unit, "unit (Station Name) of a nurse or unit account");
  app.add_option("--specialty", specialties, "specialty queue of a specialist (repeatable)");
  app.add_option("--rules", rulesFile, "the hub's routing rules: a specialty must be one of their queues");
  app.add_option("--display-name", displayName, "name shown in the viewer");
  CLI11_PARSE(app, argc, argv);

  try {
    CheckAttributes(user, role, unit, specialties, rulesFile);
    const std::string password = ReadPassword();
    CheckPassword(password);
    const std::string hash = relais::HashPassword(password, moderate);
    if (user.empty()) {
      std::cout << hash << "\n";
      return 0;
    }
    nlohmann::json entry = {{"name", user}, {"passwordHash", hash}, {"role", role}};
    if (!unit.empty()) entry["unit"] = unit;
    if (!specialties.empty()) entry["specialties"] = specialties;
    if (!displayName.empty()) entry["displayName"] = displayName;
    std::cout << entry.dump(2) << "\n";
    return 0;
  } catch (const Refusal& r) {
    std::cerr << "relais-passwd: " << r.message << "\n";
    return 2;
  } catch (const relais::ConfigError& e) {  // a rules file that does not load: file, key, expectation
    std::cerr << "relais-passwd: " << e.what() << "\n";
    return 2;
  } catch (const std::exception& e) {
    std::cerr << "relais-passwd: " << e.what() << "\n";
    return 1;
  }
}
