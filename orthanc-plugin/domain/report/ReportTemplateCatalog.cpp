#include "domain/report/ReportTemplateCatalog.h"

#include <algorithm>
#include <filesystem>
#include <map>

namespace relais::report {

ReportTemplateCatalog::ReportTemplateCatalog(std::vector<ReportTemplate> templates) : templates_(std::move(templates)) {
  std::map<std::string, std::string> owner;
  for (const auto& t : templates_) {
    for (const auto& s : t.specialties) {
      auto [it, inserted] = owner.emplace(s, t.source);
      if (!inserted) {
        throw TemplateError(t.source + ": specialty '" + s + "' is already served by " + it->second);
      }
    }
  }
}

ReportTemplateCatalog ReportTemplateCatalog::LoadDirectory(const std::string& directory) {
  namespace fs = std::filesystem;
  std::error_code ec;
  if (!fs::is_directory(directory, ec)) throw TemplateError(directory + ": not a directory of report templates");
  std::vector<std::string> files;
  for (const auto& entry : fs::directory_iterator(directory)) {
    if (entry.is_regular_file() && entry.path().extension() == ".json") files.push_back(entry.path().string());
  }
  std::sort(files.begin(), files.end());
  if (files.empty()) throw TemplateError(directory + ": no report template (*.json) in this directory");
  std::vector<ReportTemplate> templates;
  for (const auto& f : files) templates.push_back(LoadReportTemplate(f));
  return ReportTemplateCatalog(std::move(templates));
}

const ReportTemplate* ReportTemplateCatalog::forSpecialty(const std::string& specialty) const {
  const ReportTemplate* fallback = nullptr;
  for (const auto& t : templates_) {
    if (t.serves(specialty)) return &t;
    if (t.serves("*")) fallback = &t;
  }
  return fallback;
}

const ReportTemplate* ReportTemplateCatalog::byId(const std::string& id) const {
  for (const auto& t : templates_) {
    if (t.id == id) return &t;
  }
  return nullptr;
}

}  // namespace relais::report
