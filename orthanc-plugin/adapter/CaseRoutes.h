#pragma once
// The [4] REST API: queues, cases, their lifecycle, audit, statistics, unit manifests and the
// routing dry run (docs/openapi.yaml). Role checks per route happen in the router's guard;
// the handlers narrow to the cases in the caller's scope and validate every input (400 with
// the reason, 404 for unknown ids) before anything is written.
#include "adapter/Hub.h"
#include "adapter/StudyRouter.h"
#include "domain/Router.h"

namespace relais::adapter {

void RegisterCaseRoutes(Router& router, Hub& hub, StudyRouter& studies);

}  // namespace relais::adapter
