#pragma once
// The report as a DICOM Comprehensive SR in the case's study (new series): the content tree
// follows the template's sections and fields (TEXT, CODE, NUM with its UCUM unit, DATE), the
// request as clinical information, the evaluated images as IMAGE items and as Current
// Requested Procedure Evidence, the author as Person Observer and Verifying Observer; the
// document is COMPLETE and VERIFIED. An amendment lists the SR it replaces in the Predecessor
// Documents Sequence.
#include "domain/report/ReportDocument.h"
#include "domain/report/ReportTemplate.h"

namespace relais::report {

inline const std::string kComprehensiveSrClass = "1.2.840.10008.5.1.4.1.1.88.33";

// Throws std::runtime_error when DCMTK refuses a value (the message names the field).
DicomObject BuildStructuredReport(const ReportDocument& document, const ReportTemplate& reportTemplate);

}  // namespace relais::report
