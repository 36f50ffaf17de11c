#pragma once
// Everything the plugin holds while Orthanc runs, built once at start-up from the
// configuration and handed by reference to whoever registers routes or runs workers (no
// global reached from everywhere). Other components (reports, viewer) take what they need
// from here: cases.transition(...) moves a case to reported / amended / delivered.
#include <memory>

#include "domain/CaseStore.h"
#include "domain/Router.h"
#include "domain/RoutingRules.h"
#include "domain/UploadStore.h"
#include "infra/HubConfiguration.h"
#include "infra/SignIn.h"
#include "infra/LiveUserDirectory.h"

namespace relais::adapter {

struct Hub {
  HubConfiguration config;
  LiveUserDirectory users;  // the users file, reloaded when it changes
  std::unique_ptr<SignIn> signIn;  // throttled, bounded password checks (built from config.signIn)
  RoutingRules rules;
  std::unique_ptr<CaseStore> cases;
  std::unique_ptr<UploadStore> uploads;  // resumable uploads of the units' instances
};

// The actor for audit entries: who calls, from which address.
inline Actor ActorOf(const HttpRequest& r) { return Actor{r.user, r.remoteIp}; }

}  // namespace relais::adapter
