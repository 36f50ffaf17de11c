#pragma once
// Who may call what: the route-level decision taken for every HTTP request (Orthanc's own
// routes included) and the case-level scope the handlers apply. Pure: the adapter feeds it
// the caller's account (or none) and the request line.
//
// Deny by default: a /relais/v1 route missing from the table is refused to everyone but
// admin, so a new route must be added here on purpose (see AccessPolicy.cpp).
#include <string>

#include "domain/Case.h"
#include "domain/CaseStore.h"
#include "domain/User.h"

namespace relais {

enum class Access {
  Public,           // no account needed (/relais/version, the viewer's assets)
  Allowed,
  Unauthenticated,  // an account is needed and none (or a wrong password) was given: 401
  Forbidden,        // the account's role may not do this: 403
};

// `user` is null when the request carries no valid credentials. `path` has no query string.
Access Decide(const User* user, const std::string& method, const std::string& path);

// Whether the caller may see (read) this case at all.
bool CanSeeCase(const User& user, const Case& c);

// Narrows a case listing to what the caller may see (a nurse's unit, a specialist's queues).
// Throws HttpError 403 if the caller asks for a queue or unit outside that scope.
void RestrictToScope(const User& user, CaseFilter& filter);

}  // namespace relais
