#pragma once
// The [6] routes: templates, report submission and amendment, the report as JSON, PDF and
// FHIR, and the units' inbox with its acknowledgement. A report is published in this order:
// checked (case claimed by the caller, values valid: otherwise 4xx and nothing stored), built
// in memory (SR, PDF, Encapsulated PDF), stored in Orthanc, recorded, and only then the case
// moves; if the case cannot move, the stored objects are removed again.
#include "adapter/Hub.h"
#include "adapter/Reporting.h"
#include "domain/Router.h"

namespace relais::adapter {

void RegisterReportRoutes(Router& router, Hub& hub, Reporting& reporting);

}  // namespace relais::adapter
