#pragma once
// Report documents for tests: a plausible case for each shipped template, and the checkers
// (dciodvfy, dsrdump, pdftotext) run on files written to a temporary folder.
#include <filesystem>
#include <string>

#include "domain/report/ReportDocument.h"
#include "domain/report/ReportTemplateCatalog.h"

namespace relais::report::test {

const ReportTemplateCatalog& ShippedTemplates();

// A case with patient "DIALLO^AMINATA", two evaluated images, signed by "NDIAYE^AWA^^DR".
ReportDocument SampleDocument(const std::string& templateId);

// Values that fill every field of the shipped template (valid).
nlohmann::json SampleValues(const std::string& templateId);

void WriteFile(const std::filesystem::path& path, const std::string& bytes);

// Number of lines dciodvfy reports as "Error", with its whole output in `output`.
int DciodvfyErrors(const std::filesystem::path& file, std::string& output);

}  // namespace relais::report::test
