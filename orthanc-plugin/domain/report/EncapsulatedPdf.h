#pragma once
// The printable report as a DICOM Encapsulated PDF (new series, Modality DOC) in the case's
// study, so any PACS keeps it beside the images. It names the SR it was rendered from (and,
// for an amendment, the PDF it replaces) in the Source Instance Sequence.
#include <string>

#include "domain/report/ReportDocument.h"
#include "domain/report/ReportTemplate.h"

namespace relais::report {

inline const std::string kEncapsulatedPdfClass = "1.2.840.10008.5.1.4.1.1.104.1";

DicomObject BuildEncapsulatedPdf(const ReportDocument& document, const ReportTemplate& reportTemplate,
                                 const std::string& pdfBytes, const InstanceReference& structuredReport);

}  // namespace relais::report
