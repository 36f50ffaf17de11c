#pragma once
// An account of the hub and its role. Accounts come from the users file (see
// infra/UserDirectory); nothing here knows about passwords.
#include <optional>
#include <string>
#include <vector>

namespace relais {

enum class Role { Nurse, Unit, Specialist, Coordinator, Admin, Pacs };

std::string ToString(Role role);
std::optional<Role> ParseRole(const std::string& text);

struct User {
  std::string name;
  Role role = Role::Nurse;
  std::vector<std::string> specialties;  // specialist: the queues they answer
  std::string unit;                      // nurse and unit accounts: e.g. "VAN-07"
  std::string displayName;
};

// The specialty queues a study can be routed to, plus "triage" for unmatched studies.
const std::vector<std::string>& KnownQueues();
bool IsKnownQueue(const std::string& queue);

}  // namespace relais
