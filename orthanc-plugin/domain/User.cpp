#include "domain/User.h"

#include <algorithm>

namespace relais {

std::string ToString(Role role) {
  switch (role) {
    case Role::Nurse: return "nurse";
    case Role::Unit: return "unit";
    case Role::Specialist: return "specialist";
    case Role::Coordinator: return "coordinator";
    case Role::Admin: return "admin";
    case Role::Pacs: return "pacs";
  }
  return "unknown";
}

std::optional<Role> ParseRole(const std::string& text) {
  for (Role r : {Role::Nurse, Role::Unit, Role::Specialist, Role::Coordinator, Role::Admin, Role::Pacs}) {
    if (ToString(r) == text) return r;
  }
  return std::nullopt;
}

const std::vector<std::string>& KnownQueues() {
  static const std::vector<std::string> queues = {"dermatology", "obstetrics-gynaecology", "paediatrics",
                                                  "radiology",   "pneumology",             "internal-medicine",
                                                  "triage"};
  return queues;
}

bool IsKnownQueue(const std::string& queue) {
  const auto& q = KnownQueues();
  return std::find(q.begin(), q.end(), queue) != q.end();
}

}  // namespace relais
