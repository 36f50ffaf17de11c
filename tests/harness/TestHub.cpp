#include "harness/TestHub.h"

#include <fstream>
#include <mutex>

#include "harness/TempDir.h"
#include "infra/UserDirectory.h"

namespace relais::test {

std::string TestUsersFile() {
  static TempDir dir("relais-users");
  static std::once_flag once;
  const std::string path = (dir / "users.json").string();
  std::call_once(once, [&] {
    nlohmann::json users = nlohmann::json::array();
    for (const auto& a : TestAccounts()) {
      nlohmann::json u = {{"name", a.name},
                          {"passwordHash", relais::HashPasswordForTests(PasswordOf(a.name))},
                          {"role", a.role},
                          {"displayName", a.displayName.empty() ? "Test " + a.name : a.displayName}};
      if (!a.unit.empty()) u["unit"] = a.unit;
      if (!a.specialties.empty()) u["specialties"] = a.specialties;
      users.push_back(u);
    }
    std::ofstream(path) << nlohmann::json{{"users", users}}.dump(2);
  });
  return path;
}

OrthancServerOptions HubOptions(const nlohmann::json& relais) {
  OrthancServerOptions options;
  nlohmann::json section = {
      {"UsersFile", TestUsersFile()},
      {"RulesFile", std::string(RELAIS_SOURCE_DIR) + "/config/rules.example.json"},
      {"TemplatesDirectory", std::string(RELAIS_SOURCE_DIR) + "/config/templates"},
      // Tests wait for routing: sweep often.
      {"SweepSeconds", 1},
  };
  section.merge_patch(relais);
  options.config["Relais"] = section;
  return options;
}

}  // namespace relais::test
