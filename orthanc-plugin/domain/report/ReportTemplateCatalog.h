#pragma once
// Every report template of the hub, loaded from one directory (Relais.TemplatesDirectory),
// and the choice of template for a case's specialty: the template that lists the specialty,
// else the one that lists "*" (the generic template).
#include <string>
#include <vector>

#include "domain/report/ReportTemplate.h"

namespace relais::report {

class ReportTemplateCatalog {
 public:
  ReportTemplateCatalog() = default;
  explicit ReportTemplateCatalog(std::vector<ReportTemplate> templates);

  // Loads every *.json of `directory`; throws TemplateError naming the file at the first bad
  // template, when two templates claim the same specialty, or when there is none at all.
  static ReportTemplateCatalog LoadDirectory(const std::string& directory);

  const std::vector<ReportTemplate>& all() const { return templates_; }
  // nullptr when no template serves the specialty and there is no "*" template.
  const ReportTemplate* forSpecialty(const std::string& specialty) const;
  const ReportTemplate* byId(const std::string& id) const;

 private:
  std::vector<ReportTemplate> templates_;
};

}  // namespace relais::report
