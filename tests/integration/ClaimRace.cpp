#include "ClaimRace.h"

#include <fstream>

#include <nlohmann/json.hpp>

#include "infra/UserDirectory.h"

namespace relais::test {

std::string WriteDermatologists(const std::filesystem::path& dir, int count) {
  nlohmann::json list = nlohmann::json::array();
  for (int i = 1; i <= count; ++i) {
    list.push_back({{"name", "spec" + std::to_string(i)},
                    {"passwordHash", relais::HashPasswordForTests("spec-pass")},
                    {"role", "specialist"},
                    {"specialties", {"dermatology"}}});
  }
  const std::string path = (dir / "users.json").string();
  std::ofstream(path) << nlohmann::json{{"users", list}}.dump();
  return path;
}

void SeedDermatologyQueue(CaseStore& store, int count, const std::string& uidRoot) {
  for (int i = 0; i < count; ++i) {
    NewCase c;
    c.studyInstanceUid = uidRoot + "." + std::to_string(i);
    c.orthancStudyId = "study-" + std::to_string(i);
    c.queue = "dermatology";
    c.unit = "VAN-07";
    c.priority = i % 10 == 0 ? "urgent" : "routine";
    store.createCase(c, Actor{"test", ""});
  }
}

}  // namespace relais::test
