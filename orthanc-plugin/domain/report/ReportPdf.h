#pragma once
// The printable report (PDF, A4) a nurse hands to the patient: hub and title, the patient
// header, the request, the findings section by section with the template's labels in the
// report's language, the author and the signing time, and for an amendment which version it
// replaces and why. Drawn with libharu's standard Helvetica (WinAnsi encoding: French text
// prints; characters outside Windows-1252 print as '?').
#include <string>

#include "domain/report/ReportDocument.h"
#include "domain/report/ReportTemplate.h"

namespace relais::report {

// The PDF file's bytes; throws std::runtime_error if libharu fails.
std::string RenderReportPdf(const ReportDocument& document, const ReportTemplate& reportTemplate);

// UTF-8 -> Windows-1252, unknown characters as '?' (exposed for tests).
std::string ToWindows1252(const std::string& utf8);

}  // namespace relais::report
