#pragma once
// Who may see an instance's frames through the viewer's routes: the route table already
// limits them to specialists and coordinators (AccessPolicy); here each request is narrowed to
// the studies of cases the caller may see (a dermatologist sees dermatology cases' images,
// not radiology's), exactly as the case routes narrow case reads.
#include "adapter/Hub.h"
#include "adapter/RenderedFrameRoute.h"

namespace relais::adapter {

RenderedFrameRoute::InstanceAccess CaseScopedAccess(const Hub& hub);

}  // namespace relais::adapter
