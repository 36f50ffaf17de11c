#include "adapter/ReportRoutes.h"

#include <algorithm>
#include <set>

#include "adapter/StudyArchive.h"
#include "domain/AccessPolicy.h"
#include "domain/ByteRange.h"
#include "domain/HttpError.h"
#include "domain/report/EncapsulatedPdf.h"
#include "domain/report/FhirDiagnosticReport.h"
#include "domain/report/ObserverName.h"
#include "domain/report/ReportPdf.h"
#include "domain/report/ReportValues.h"
#include "domain/report/StructuredReport.h"

namespace relais::adapter {

namespace {

using nlohmann::json;
using report::ReportDocument;
using report::ReportTemplate;
using report::StoredReport;

const User& Caller(const HttpRequest& r) {
  if (!r.account) throw Unauthorized("sign in first");
  return *r.account;
}

int64_t NumberParam(const HttpRequest& r, const std::string& name) {
  const std::string& text = r.param(name);
  try {
    size_t used = 0;
    int64_t value = std::stoll(text, &used);
    if (used == text.size() && value > 0) return value;
  } catch (const std::exception&) {
  }
  throw BadRequest(name + " must be a positive number, not '" + text + "'");
}

Case VisibleCase(Hub& hub, const HttpRequest& r) {
  Case c = hub.cases->get(NumberParam(r, "id"));
  if (!CanSeeCase(Caller(r), c)) throw Forbidden("case " + std::to_string(c.id) + " is outside your scope");
  return c;
}

json Body(const HttpRequest& r) {
  if (r.body.empty()) throw BadRequest("a JSON body is required");
  json body = json::parse(r.body);
  if (!body.is_object()) throw BadRequest("the body must be a JSON object");
  return body;
}

HttpResponse Problems(const std::vector<report::ReportProblem>& problems) {
  json answer = {{"error", "the report is not valid: " + std::to_string(problems.size()) + " problem(s), nothing was stored"},
                 {"status", 422},
                 {"problems", report::ProblemsJson(problems)}};
  return HttpResponse::Json(answer.dump(), 422);
}

const ReportTemplate& TemplateFor(Reporting& reporting, const Case& c) {
  const ReportTemplate* t = reporting.templates.forSpecialty(c.queue);
  if (t == nullptr) throw Conflict("no report template serves queue '" + c.queue + "'");
  return *t;
}

std::string NowIso() { return IsoTime(NowSeconds()); }

// Values, language and evaluated images of a submission; every problem is collected.
struct Submission {
  json values;
  std::string language = "fr";
  std::string reason;
  std::vector<std::string> evaluated;  // SOP Instance UIDs; empty = all images of the study
  std::vector<report::ReportProblem> problems;
};

Submission ReadSubmission(const json& body, const ReportTemplate& t, bool amendment) {
  Submission s;
  for (const auto& item : body.items()) {
    if (item.key() != "values" && item.key() != "language" && item.key() != "evaluatedInstances" &&
        item.key() != "reason") {
      s.problems.push_back({item.key(), "unknown key (expected values, language, evaluatedInstances" +
                                            std::string(amendment ? ", reason)" : ")")});
    }
  }
  s.values = body.value("values", json());
  if (s.values.is_null()) s.problems.push_back({"values", "is required: an object {field id: value}"});
  else {
    auto problems = report::ValidateReport(t, s.values);
    s.problems.insert(s.problems.end(), problems.begin(), problems.end());
  }
  if (body.contains("language")) {
    if (body["language"] != "fr" && body["language"] != "en") s.problems.push_back({"language", "must be fr or en"});
    else s.language = body["language"].get<std::string>();
  }
  if (body.contains("evaluatedInstances")) {
    const json& list = body["evaluatedInstances"];
    if (!list.is_array()) s.problems.push_back({"evaluatedInstances", "must be an array of SOP Instance UIDs"});
    else {
      for (const auto& uid : list) {
        if (uid.is_string()) s.evaluated.push_back(uid.get<std::string>());
        else s.problems.push_back({"evaluatedInstances", "must be an array of SOP Instance UIDs"});
      }
    }
  }
  if (amendment) {
    if (body.contains("reason") && body["reason"].is_string()) s.reason = body["reason"].get<std::string>();
    if (s.reason.empty()) s.problems.push_back({"reason", "is required: why the report is amended"});
  } else if (body.contains("reason")) {
    s.problems.push_back({"reason", "only an amendment has a reason"});
  }
  return s;
}

ReportDocument Compose(Reporting& reporting, const Case& c, const ReportTemplate& t, const User& author,
                       Submission& s, int version) {
  const StudyForReport study = ReadStudyForReport(c.orthancStudyId);
  ReportDocument d;
  d.caseId = c.id;
  d.version = version;
  d.language = s.language;
  d.templateId = t.id;
  d.patient = study.patient;
  if (d.patient.issuer.empty()) d.patient.issuer = c.patient.issuer;
  d.study = study.study;
  d.request = {c.request.specialty.empty() ? c.queue : c.request.specialty, c.request.question, c.request.history,
               c.request.bodySite, c.priority, c.unit};
  d.author = {author.name, report::ObserverPersonName(author.displayName, author.name), reporting.config.hubName};
  d.signedAt = NowIso();
  d.values = s.values;
  d.hubName = reporting.config.hubName;
  d.amendmentReason = s.reason;
  std::set<std::string> wanted(s.evaluated.begin(), s.evaluated.end());
  for (const auto& image : study.instances) {
    if (wanted.empty() || wanted.count(image.sopInstanceUid)) d.evaluatedInstances.push_back(image);
  }
  for (const auto& uid : wanted) {
    bool known = std::any_of(study.instances.begin(), study.instances.end(),
                             [&](const report::InstanceReference& i) { return i.sopInstanceUid == uid; });
    if (!known) s.problems.push_back({"evaluatedInstances", uid + " is not an image of this case's study"});
  }
  return d;
}

std::vector<std::string> DestinationsOf(Hub& hub, const Case& c) {
  for (const auto& rule : hub.rules.rules()) {
    if (rule.name == c.rule) return rule.destinations;
  }
  return {};
}

// Builds, stores and records one version; moves the case; announces it to the unit; sends it
// to the rule's PACS destinations. Undoes what it stored if the case cannot move.
StoredReport Publish(Hub& hub, Reporting& reporting, const Case& c, const ReportTemplate& t, const ReportDocument& d,
                     CaseEvent event, const Actor& actor, bool holderOnly) {
  const report::DicomObject sr = report::BuildStructuredReport(d, t);
  const std::string pdf = report::RenderReportPdf(d, t);
  const report::DicomObject pdfObject = report::BuildEncapsulatedPdf(d, t, pdf, sr.reference);

  StoredReport stored;
  stored.caseId = c.id;
  stored.version = d.version;
  stored.author = d.author.login;
  stored.signedAt = d.signedAt;
  stored.document = report::ToJson(d);
  stored.sr = sr.reference;
  stored.pdf = pdfObject.reference;
  stored.srOrthancId = StoreInstance(sr.bytes);
  try {
    stored.pdfOrthancId = StoreInstance(pdfObject.bytes);
  } catch (...) {
    DeleteInstance(stored.srOrthancId);
    throw;
  }
  auto undoInstances = [&] {
    DeleteInstance(stored.srOrthancId);
    DeleteInstance(stored.pdfOrthancId);
  };
  try {
    stored.id = reporting.store->addReport(stored, pdf);
  } catch (const std::exception&) {
    undoInstances();
    throw Conflict("version " + std::to_string(d.version) + " of case " + std::to_string(c.id) +
                   " was signed by someone else at the same time");
  }
  try {
    TransitionOptions options;
    options.detail = "report version " + std::to_string(d.version);
    options.holderOnly = holderOnly;
    hub.cases->transition(c.id, event, actor, options);
  } catch (...) {
    reporting.store->removeReport(stored.id);
    undoInstances();
    throw;
  }

  // Earlier announcements of this case are superseded by the new version.
  for (const auto& item : reporting.store->inbox(c.unit)) {
    if (item.caseId == c.id && item.kind == "report") reporting.store->acknowledge(item.id, "superseded", d.signedAt);
  }
  report::InboxItem item;
  item.caseId = c.id;
  item.unit = c.unit;
  item.kind = "report";
  item.studyInstanceUid = c.studyInstanceUid;
  item.createdAt = d.signedAt;
  item.message = (d.isAmendment() ? "Amended report (version " + std::to_string(d.version) + ")" : std::string("Report")) +
                 " by " + d.author.name + ": " + t.title.in(d.language);
  item.reportId = stored.id;
  item.sourceKey = "report:" + std::to_string(stored.id);
  reporting.store->addInboxItem(item);

  const auto destinations = DestinationsOf(hub, c);
  if (!destinations.empty()) {
    // The first report sends the whole study (images + report); an amendment only its objects.
    std::vector<std::string> resources = d.isAmendment()
                                             ? std::vector<std::string>{stored.srOrthancId, stored.pdfOrthancId}
                                             : std::vector<std::string>{c.orthancStudyId};
    reporting.forwarder->enqueue(c.id, stored.id, destinations, resources);
  }
  return stored;
}

json ReportJson(Reporting& reporting, const StoredReport& r, const std::vector<StoredReport>& all) {
  const ReportDocument d = report::ReportDocumentFromJson(r.document);
  const std::string base = "/relais/v1/cases/" + std::to_string(r.caseId);
  json versions = json::array();
  for (const auto& v : all) {
    versions.push_back({{"version", v.version}, {"signedAt", v.signedAt}, {"author", v.author},
                        {"sr", v.sr.sopInstanceUid}, {"pdf", v.pdf.sopInstanceUid}});
  }
  json transfers = json::array();
  for (const auto& t : reporting.store->transfers(r.caseId)) transfers.push_back(t.toJson());
  json answer = {{"caseId", r.caseId},
                 {"version", r.version},
                 {"latest", all.empty() || all.back().version == r.version},
                 {"status", d.isAmendment() ? "amended" : "final"},
                 {"template", d.templateId},
                 {"language", d.language},
                 {"author", {{"login", d.author.login}, {"name", d.author.name}, {"organization", d.author.organization}}},
                 {"signedAt", d.signedAt},
                 {"values", d.values},
                 {"evaluatedInstances", json::array()},
                 {"sr", report::ToJson(r.sr)},
                 {"pdf", report::ToJson(r.pdf)},
                 {"versions", versions},
                 {"transfers", transfers},
                 {"links", {{"pdf", base + "/report.pdf?version=" + std::to_string(r.version)},
                            {"fhir", base + "/report/fhir?version=" + std::to_string(r.version)}}}};
  answer["sr"]["orthancId"] = r.srOrthancId;
  answer["pdf"]["orthancId"] = r.pdfOrthancId;
  for (const auto& i : d.evaluatedInstances) answer["evaluatedInstances"].push_back(i.sopInstanceUid);
  if (d.isAmendment()) {
    answer["amendmentReason"] = d.amendmentReason;
    answer["replaces"] = {{"version", r.version - 1}, {"sr", d.predecessorReports.empty() ? json() : report::ToJson(d.predecessorReports[0])}};
  }
  return answer;
}

StoredReport ChosenVersion(Reporting& reporting, const Case& c, const HttpRequest& r) {
  std::optional<StoredReport> chosen;
  if (auto v = r.queryValue("version")) {
    int version = 0;
    try {
      version = std::stoi(*v);
    } catch (const std::exception&) {
      throw BadRequest("version must be a number");
    }
    chosen = reporting.store->report(c.id, version);
    if (!chosen) throw NotFound("case " + std::to_string(c.id) + " has no report version " + *v);
  } else {
    chosen = reporting.store->latest(c.id);
    if (!chosen) throw NotFound("case " + std::to_string(c.id) + " has no report yet");
  }
  return *chosen;
}

std::string UnitOf(const User& user, const HttpRequest& r) {
  if (!user.unit.empty()) return user.unit;
  if (auto unit = r.queryValue("unit")) return *unit;  // admin reading a unit's inbox
  throw BadRequest("your account has no unit: name one with ?unit=");
}

// Information requests of the unit's cases become inbox items too (once each).
void CollectInformationRequests(Hub& hub, Reporting& reporting, const std::string& unit) {
  CaseFilter filter;
  filter.unit = unit;
  filter.states = {CaseState::InfoRequested};
  filter.limit = 500;
  for (const Case& c : hub.cases->list(filter).cases) {
    const auto trail = hub.cases->auditTrail(c.id);
    for (auto it = trail.rbegin(); it != trail.rend(); ++it) {
      // The entry that moved the case into info-requested carries the message; later entries in
      // that state (a read, a lease renewal) do not, and must not become requests of their own.
      if (it->toState != "info-requested" || it->fromState == it->toState) continue;
      report::InboxItem item;
      item.caseId = c.id;
      item.unit = unit;
      item.kind = "info-request";
      item.studyInstanceUid = c.studyInstanceUid;
      item.createdAt = IsoTime(it->at);
      item.message = it->detail;
      item.sourceKey = "info-request:" + std::to_string(it->id);
      reporting.store->addInboxItem(item);
      break;
    }
  }
}

}  // namespace

void RegisterReportRoutes(Router& router, Hub& hub, Reporting& reporting) {
  router.add("GET", "/relais/v1/templates", [&reporting](const HttpRequest&) {
    json list = json::array();
    for (const auto& t : reporting.templates.all()) list.push_back(t.toJson());
    return HttpResponse::Json(list.dump());
  });

  router.add("GET", "/relais/v1/templates/{specialty}", [&reporting](const HttpRequest& r) {
    const std::string& key = r.param("specialty");
    const ReportTemplate* t = reporting.templates.byId(key);
    if (t == nullptr) t = reporting.templates.forSpecialty(key);
    if (t == nullptr) throw NotFound("no report template for '" + key + "'");
    return HttpResponse::Json(t->toJson().dump());
  });

  router.add("POST", "/relais/v1/cases/{id}/report", [&hub, &reporting](const HttpRequest& r) {
    const User& user = Caller(r);
    const Case c = VisibleCase(hub, r);
    if (c.state != CaseState::Claimed) {
      throw Conflict("case " + std::to_string(c.id) + " is " + ToString(c.state) +
                     ": only a case you have claimed can be reported" +
                     (c.state == CaseState::Reported || c.state == CaseState::Delivered ? " (amend it instead)" : ""));
    }
    if (c.claimedBy != user.name) {
      throw Forbidden("case " + std::to_string(c.id) + " is claimed by " + c.claimedBy.value_or("nobody"));
    }
    const ReportTemplate& t = TemplateFor(reporting, c);
    Submission s = ReadSubmission(Body(r), t, false);
    if (!s.problems.empty()) return Problems(s.problems);
    if (reporting.store->latest(c.id)) throw Conflict("case " + std::to_string(c.id) + " already has a report");
    const ReportDocument d = Compose(reporting, c, t, user, s, 1);
    if (!s.problems.empty()) return Problems(s.problems);
    const StoredReport stored = Publish(hub, reporting, c, t, d, CaseEvent::Report, ActorOf(r), true);
    return HttpResponse::Json(ReportJson(reporting, stored, reporting.store->reports(c.id)).dump(), 201);
  });

  router.add("POST", "/relais/v1/cases/{id}/amendment", [&hub, &reporting](const HttpRequest& r) {
    const User& user = Caller(r);
    const Case c = VisibleCase(hub, r);
    if (c.state != CaseState::Reported && c.state != CaseState::Delivered && c.state != CaseState::Amended) {
      throw Conflict("case " + std::to_string(c.id) + " is " + ToString(c.state) + ": only a reported case can be amended");
    }
    const auto previous = reporting.store->latest(c.id);
    if (!previous) throw Conflict("case " + std::to_string(c.id) + " has no report to amend");
    const ReportTemplate& t = TemplateFor(reporting, c);
    Submission s = ReadSubmission(Body(r), t, true);
    if (!s.problems.empty()) return Problems(s.problems);
    ReportDocument d = Compose(reporting, c, t, user, s, previous->version + 1);
    if (!s.problems.empty()) return Problems(s.problems);
    d.predecessorReports = {previous->sr};
    d.predecessorPdfs = {previous->pdf};
    const StoredReport stored = Publish(hub, reporting, c, t, d, CaseEvent::Amend, ActorOf(r), false);
    return HttpResponse::Json(ReportJson(reporting, stored, reporting.store->reports(c.id)).dump(), 201);
  });

  router.add("GET", "/relais/v1/cases/{id}/report", [&hub, &reporting](const HttpRequest& r) {
    const Case c = VisibleCase(hub, r);
    const StoredReport chosen = ChosenVersion(reporting, c, r);
    return HttpResponse::Json(ReportJson(reporting, chosen, reporting.store->reports(c.id)).dump());
  });

  router.add("GET", "/relais/v1/cases/{id}/report.pdf", [&hub, &reporting](const HttpRequest& r) {
    const Case c = VisibleCase(hub, r);
    const StoredReport chosen = ChosenVersion(reporting, c, r);
    hub.cases->audit(c.id, ActorOf(r), "report-pdf-read", "version " + std::to_string(chosen.version));
    // A stored version's PDF never changes: its report id names it. Units on links that drop
    // continue a cut download with Range and If-Range.
    HttpResponse answer = RangedBody(r, reporting.store->pdf(chosen.id), "application/pdf",
                                     "\"relais-report-" + std::to_string(chosen.id) + "\"");
    answer.headers["Content-Disposition"] = "inline; filename=\"relais-case-" + std::to_string(c.id) + "-v" +
                                            std::to_string(chosen.version) + ".pdf\"";
    return answer;
  });

  router.add("GET", "/relais/v1/cases/{id}/report/fhir", [&hub, &reporting](const HttpRequest& r) {
    const Case c = VisibleCase(hub, r);
    const StoredReport chosen = ChosenVersion(reporting, c, r);
    const ReportDocument d = report::ReportDocumentFromJson(chosen.document);
    const ReportTemplate* t = reporting.templates.byId(d.templateId);
    if (t == nullptr) throw Conflict("template '" + d.templateId + "' of this report is no longer configured");
    const std::string pdf = "/relais/v1/cases/" + std::to_string(c.id) + "/report.pdf?version=" +
                            std::to_string(chosen.version);
    HttpResponse answer = HttpResponse::Json(report::BuildFhirDiagnosticReport(d, *t, chosen.sr, pdf).dump());
    answer.contentType = "application/fhir+json";
    return answer;
  });

  router.add("GET", "/relais/v1/inbox", [&hub, &reporting](const HttpRequest& r) {
    const std::string unit = UnitOf(Caller(r), r);
    CollectInformationRequests(hub, reporting, unit);
    json list = json::array();
    for (const auto& item : reporting.store->inbox(unit)) list.push_back(item.toJson());
    return HttpResponse::Json(list.dump());
  });

  router.add("POST", "/relais/v1/inbox/{id}/ack", [&hub, &reporting](const HttpRequest& r) {
    const User& user = Caller(r);
    const std::string unit = UnitOf(user, r);
    const auto item = reporting.store->inboxItem(NumberParam(r, "id"));
    if (!item || item->unit != unit) throw NotFound("no inbox item " + r.param("id") + " for unit " + unit);
    json answer = item->toJson();
    if (item->ackedAt) {
      answer["acknowledged"] = false;
      answer["reason"] = "already acknowledged";
      return HttpResponse::Json(answer.dump());
    }
    Case c = hub.cases->get(item->caseId);
    const auto latest = reporting.store->latest(c.id);
    const bool isLatestReport = item->kind == "report" && latest && item->reportId == latest->id;
    if (isLatestReport && (c.state == CaseState::Reported || c.state == CaseState::Amended)) {
      TransitionOptions options;
      options.detail = "report version " + std::to_string(latest->version) + " received by the unit";
      c = hub.cases->transition(c.id, CaseEvent::Deliver, ActorOf(r), options);
    }
    reporting.store->acknowledge(item->id, user.name, NowIso());
    answer["acknowledged"] = true;
    answer["caseState"] = ToString(c.state);
    return HttpResponse::Json(answer.dump());
  });
}

}  // namespace relais::adapter
