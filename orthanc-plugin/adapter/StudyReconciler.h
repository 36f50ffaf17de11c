#pragma once
// The reconciliation of domain/Reconciliation against the running hub: pages through Orthanc's
// list of studies (IDs only, read from its index, no DICOM file opened), takes the case store's
// set of Orthanc study IDs in one query, reads LastUpdate of the few studies without a case and
// hands the quiet ones to the StudyRouter. Runs on the routing worker's thread, at start and
// every Relais.ReconcileSeconds.
#include "adapter/Hub.h"
#include "adapter/StudyRouter.h"
#include "domain/Reconciliation.h"

namespace relais::adapter {

class StudyReconciler {
 public:
  StudyReconciler(Hub& hub, StudyRouter& router);

  // One pass; returns when the next one is due (unix seconds). Throws if Orthanc's list of
  // studies or the case store cannot be read; a study that fails to route is logged and
  // tried again next pass.
  int64_t reconcile();

 private:
  Hub& hub_;
  StudyRouter& router_;
  Reconciliation state_;
};

}  // namespace relais::adapter
