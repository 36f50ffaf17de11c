#include "adapter/ViewerAccess.h"

#include "domain/AccessPolicy.h"
#include "domain/HttpError.h"

namespace relais::adapter {

RenderedFrameRoute::InstanceAccess CaseScopedAccess(const Hub& hub) {
  return [&hub](const HttpRequest& request, const std::string& studyInstanceUid) {
    if (!request.account) throw Unauthorized("sign in with a Relais account (HTTP Basic)");
    const User& user = *request.account;
    if (user.role == Role::Admin || user.role == Role::Coordinator) return;
    const auto c = hub.cases ? hub.cases->findByStudy(studyInstanceUid) : std::nullopt;
    if (!c || !CanSeeCase(user, *c)) {
      throw Forbidden("these images belong to no case that " + user.name + " may see");
    }
  };
}

}  // namespace relais::adapter
