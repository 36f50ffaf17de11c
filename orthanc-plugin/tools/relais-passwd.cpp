// relais-passwd: prints the Argon2id hash to put in a users file's "passwordHash".
//   relais-passwd                 reads the password from standard input (one line)
//   relais-passwd --moderate      slower, stronger hash (for admin accounts)
//   relais-passwd --user derm1 --role specialist --specialty dermatology
//                                 prints a whole users-file entry
#include <iostream>
#include <string>

#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>

#include "domain/User.h"
#include "infra/UserDirectory.h"

int main(int argc, char** argv) {
  CLI::App app{"Hash a password for the Relais users file (Argon2id, libsodium)"};
  bool moderate = false;
  std::string user, role, unit, displayName;
  std::vector<std::string> specialties;
  app.add_flag("--moderate", moderate, "stronger parameters (about 1 s and 256 MiB per check)");
  app.add_option("--user", user, "print a whole users-file entry for this account name");
  app.add_option("--role", role, "nurse, unit, specialist, coordinator, admin or pacs");
  app.add_option("--unit", unit, "unit (Station Name) of a nurse or unit account");
  app.add_option("--specialty", specialties, "specialty queue of a specialist (repeatable)");
  app.add_option("--display-name", displayName, "name shown in the viewer");
  CLI11_PARSE(app, argc, argv);

  if (!role.empty() && !relais::ParseRole(role)) {
    std::cerr << "relais-passwd: --role must be one of nurse, unit, specialist, coordinator, admin, pacs\n";
    return 2;
  }
  std::string password;
  if (!std::getline(std::cin, password) || password.empty()) {
    std::cerr << "relais-passwd: give the password on standard input (one line, not empty)\n";
    return 2;
  }
  try {
    const std::string hash = relais::HashPassword(password, moderate);
    if (user.empty()) {
      std::cout << hash << "\n";
      return 0;
    }
    nlohmann::json entry = {{"name", user}, {"passwordHash", hash}, {"role", role.empty() ? "nurse" : role}};
    if (!unit.empty()) entry["unit"] = unit;
    if (!specialties.empty()) entry["specialties"] = specialties;
    if (!displayName.empty()) entry["displayName"] = displayName;
    std::cout << entry.dump(2) << "\n";
    return 0;
  } catch (const std::exception& e) {
    std::cerr << "relais-passwd: " << e.what() << "\n";
    return 1;
  }
}
