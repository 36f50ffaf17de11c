#include "domain/AccessPolicy.h"

#include <algorithm>
#include <vector>

#include "domain/HttpError.h"
#include "domain/Router.h"

namespace relais {

namespace {

struct RouteRule {
  const char* method;
  const char* pattern;  // {x} matches one segment, {x*} the rest
  std::vector<Role> roles;
};

constexpr Role kNurse = Role::Nurse, kUnit = Role::Unit, kSpecialist = Role::Specialist,
               kCoordinator = Role::Coordinator;

// The /relais/v1 route table by role (admin may do everything). [4] case routes, [6] reports
// and inbox, [7] rendering. Handlers narrow further to the cases in the caller's scope.
const std::vector<RouteRule>& RelaisRules() {
  static const std::vector<RouteRule> rules = {
      {"GET", "/relais/v1/me", {kNurse, kUnit, kSpecialist, kCoordinator, Role::Pacs}},
      {"GET", "/relais/v1/queues", {kSpecialist, kCoordinator}},
      {"POST", "/relais/v1/queues/{queue}/claim-next", {kSpecialist}},
      {"GET", "/relais/v1/cases", {kNurse, kUnit, kSpecialist, kCoordinator}},
      {"GET", "/relais/v1/cases/{id}", {kNurse, kUnit, kSpecialist, kCoordinator}},
      {"GET", "/relais/v1/cases/{id}/audit", {kSpecialist, kCoordinator}},
      {"POST", "/relais/v1/cases/{id}/claim", {kSpecialist}},
      {"POST", "/relais/v1/cases/{id}/release", {kSpecialist}},
      {"POST", "/relais/v1/cases/{id}/request-info", {kSpecialist}},
      {"POST", "/relais/v1/cases/{id}/info-answer", {kNurse, kUnit}},
      {"POST", "/relais/v1/cases/{id}/reassign", {kCoordinator}},
      {"GET", "/relais/v1/statistics", {kCoordinator}},
      {"POST", "/relais/v1/studies/{uid}/manifest", {kUnit, kNurse}},
      {"GET", "/relais/v1/studies/{uid}/manifest", {kUnit, kNurse, kCoordinator}},
      {"POST", "/relais/v1/routing/dry-run", {kCoordinator}},
      // [6] reports, templates, the units' inbox
      {"GET", "/relais/v1/templates", {kNurse, kUnit, kSpecialist, kCoordinator}},
      {"GET", "/relais/v1/templates/{specialty}", {kNurse, kUnit, kSpecialist, kCoordinator}},
      {"POST", "/relais/v1/cases/{id}/report", {kSpecialist}},
      {"POST", "/relais/v1/cases/{id}/amendment", {kSpecialist}},
      {"GET", "/relais/v1/cases/{id}/report", {kNurse, kUnit, kSpecialist, kCoordinator}},
      {"GET", "/relais/v1/cases/{id}/report.pdf", {kNurse, kUnit, kSpecialist, kCoordinator}},
      {"GET", "/relais/v1/cases/{id}/report/fhir", {kNurse, kUnit, kSpecialist, kCoordinator}},
      {"GET", "/relais/v1/inbox", {kNurse, kUnit}},
      {"POST", "/relais/v1/inbox/{id}/ack", {kNurse, kUnit}},
      // resumable uploads (issue #17): units' machine accounts only
      {"GET", "/relais/v1/uploads/{sop}", {kUnit}},
      {"PUT", "/relais/v1/uploads/{sop}", {kUnit}},
      {"DELETE", "/relais/v1/uploads/{sop}", {kUnit}},
      // [7] rendering for the viewer
      {"GET", "/relais/v1/instances/{rest*}", {kSpecialist, kCoordinator}},
  };
  return rules;
}

bool Matches(const std::string& pattern, const std::vector<std::string>& path) {
  const auto segments = SplitPath(pattern);
  for (size_t i = 0; i < segments.size(); ++i) {
    const std::string& seg = segments[i];
    const bool isParam = seg.size() > 2 && seg.front() == '{' && seg.back() == '}';
    if (isParam && seg[seg.size() - 2] == '*') return i < path.size();
    if (i >= path.size()) return false;
    if (!isParam && seg != path[i]) return false;
  }
  return segments.size() == path.size();
}

bool StartsWith(const std::string& text, const std::string& prefix) {
  return text.compare(0, prefix.size(), prefix) == 0;
}

bool IsPublic(const std::string& method, const std::string& path) {
  if (method != "GET") return false;
  return path == "/relais/version" || path == "/relais/app" || StartsWith(path, "/relais/app/");
}

bool Contains(const std::vector<std::string>& values, const std::string& v) {
  return std::find(values.begin(), values.end(), v) != values.end();
}

// Orthanc's own REST API (and DICOMweb): read-only for PACS accounts, upload for units.
Access DecideNative(const User& user, const std::string& method, const std::string& path) {
  if (user.role == Role::Pacs) {
    if (method == "GET") return Access::Allowed;
    if (method == "POST" && (path == "/tools/find" || path == "/tools/lookup")) return Access::Allowed;
    return Access::Forbidden;
  }
  if (user.role == Role::Unit && method == "POST" && path == "/instances") return Access::Allowed;
  return Access::Forbidden;
}

}  // namespace

Access Decide(const User* user, const std::string& method, const std::string& path) {
  if (IsPublic(method, path)) return Access::Public;
  const bool relais = path == "/relais" || StartsWith(path, "/relais/");
  if (user == nullptr) {
    // Orthanc's filter can only answer 403; /relais routes reach our handler, which says 401.
    return relais ? Access::Unauthenticated : Access::Forbidden;
  }
  if (user->role == Role::Admin) return Access::Allowed;
  if (!relais) return DecideNative(*user, method, path);
  const auto segments = SplitPath(path);
  for (const RouteRule& rule : RelaisRules()) {
    if (method != rule.method || !Matches(rule.pattern, segments)) continue;
    for (Role r : rule.roles) {
      if (r == user->role) return Access::Allowed;
    }
    return Access::Forbidden;
  }
  return Access::Forbidden;
}

bool CanSeeCase(const User& user, const Case& c) {
  switch (user.role) {
    case Role::Admin:
    case Role::Coordinator: return true;
    case Role::Specialist:
      return Contains(user.specialties, c.queue) || c.claimedBy == user.name || c.assignedTo == user.name;
    case Role::Nurse:
    case Role::Unit: return !user.unit.empty() && c.unit == user.unit;
    case Role::Pacs: return false;
  }
  return false;
}

void RestrictToScope(const User& user, CaseFilter& filter) {
  switch (user.role) {
    case Role::Admin:
    case Role::Coordinator: return;
    case Role::Specialist:
      if (filter.queue && !Contains(user.specialties, *filter.queue)) {
        throw Forbidden("queue " + *filter.queue + " is not one of your specialties");
      }
      filter.onlyQueues = user.specialties;
      return;
    case Role::Nurse:
    case Role::Unit:
      if (filter.unit && *filter.unit != user.unit) throw Forbidden("you may only see the cases of unit " + user.unit);
      filter.unit = user.unit;
      return;
    case Role::Pacs: throw Forbidden("PACS accounts have no access to cases");
  }
}

}  // namespace relais
