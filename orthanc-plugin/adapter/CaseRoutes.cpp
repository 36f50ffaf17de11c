#include "adapter/CaseRoutes.h"

#include <algorithm>
#include <chrono>
#include <limits>
#include <map>
#include <utility>
#include <vector>

#include "adapter/OrthancApi.h"
#include "domain/AccessPolicy.h"
#include "domain/HttpError.h"
#include "domain/Statistics.h"

namespace relais::adapter {

namespace {

using nlohmann::json;

HttpResponse Json(const json& j, int status = 200) { return HttpResponse::Json(j.dump(), status); }

const User& Caller(const HttpRequest& r) {
  if (!r.account) throw Unauthorized("sign in with a Relais account (HTTP Basic)");
  return *r.account;
}

int64_t ParseId(const std::string& text, const char* what = "case id") {
  try {
    size_t used = 0;
    long long v = std::stoll(text, &used);
    if (used == text.size() && v > 0) return v;
  } catch (const std::exception&) {
  }
  throw BadRequest(std::string(what) + " must be a positive whole number, not '" + text + "'");
}

int ParseInt(const std::optional<std::string>& text, int fallback, int min, int max, const char* name) {
  if (!text) return fallback;
  try {
    size_t used = 0;
    long v = std::stol(*text, &used);
    if (used == text->size() && v >= min && v <= max) return static_cast<int>(v);
  } catch (const std::exception&) {
  }
  throw BadRequest(std::string(name) + " must be a whole number from " + std::to_string(min) + " to " +
                   std::to_string(max));
}

json Body(const HttpRequest& r) {
  if (r.body.empty()) return json::object();
  json body;
  try {
    body = json::parse(r.body);
  } catch (const json::parse_error& e) {
    throw BadRequest(std::string("the body is not valid JSON: ") + e.what());
  }
  if (!body.is_object()) throw BadRequest("the body must be a JSON object");
  return body;
}

std::optional<std::string> OptionalString(const json& body, const char* key) {
  if (!body.contains(key) || body[key].is_null()) return std::nullopt;
  if (!body[key].is_string()) throw BadRequest(std::string("\"") + key + "\" must be a string");
  return body[key].get<std::string>();
}

std::string RequiredMessage(const json& body) {
  auto m = OptionalString(body, "message");
  if (!m || m->empty()) throw BadRequest("\"message\" (a non-empty string) is required");
  return *m;
}

Case Visible(Hub& hub, const HttpRequest& r) {
  Case c = hub.cases->get(ParseId(r.param("id")));
  if (!CanSeeCase(Caller(r), c)) throw Forbidden("case " + std::to_string(c.id) + " is outside your scope");
  return c;
}

// Orthanc indexes Number of Frames with the instance, so the viewer can mark a clip among the
// thumbnails before opening it. Absent or unreadable: one frame, as for any single image.
int FramesOf(const json& instanceTags) {
  const std::string text = instanceTags.value("NumberOfFrames", "");
  try {
    return std::max(1, std::stoi(text));
  } catch (const std::exception&) {
    return 1;
  }
}

// An IS value (Series/Instance Number) as a sort key; absent or unreadable ones sort last.
long long NumberKey(const json& tags, const char* key) {
  try {
    return std::stoll(tags.value(key, ""));
  } catch (const std::exception&) {
    return std::numeric_limits<long long>::max();
  }
}

// Orthanc lists series and instances in the order it stored them, which is not the order they
// were taken (a batch is uploaded in parallel): the viewer shows them as given, first one first.
// `late`: when the instances that came after routing were attached (CaseStore::lateInstances).
json SeriesOf(const Case& c, const std::map<std::string, int64_t>& late) {
  json out = json::array();
  auto series = TryGetJson("/studies/" + c.orthancStudyId + "/series");
  if (!series || !series->is_array()) return out;
  std::vector<std::pair<long long, json>> ordered;
  for (const auto& s : *series) {
    const std::string id = s.value("ID", "");
    std::vector<std::pair<long long, json>> instances;
    if (auto list = TryGetJson("/series/" + id + "/instances"); list && list->is_array()) {
      for (const auto& i : *list) {
        const auto& tags = i.contains("MainDicomTags") ? i["MainDicomTags"] : json::object();
        const std::string uid = tags.value("SOPInstanceUID", "");
        const auto added = late.find(uid);
        instances.emplace_back(NumberKey(tags, "InstanceNumber"),
                               json{{"id", i.value("ID", "")},
                                    {"sopInstanceUid", uid},
                                    {"number", tags.value("InstanceNumber", "")},
                                    {"frames", FramesOf(tags)},
                                    {"addedAt", added == late.end() ? json(nullptr) : json(IsoTime(added->second))}});
      }
    }
    std::stable_sort(instances.begin(), instances.end(),
                     [](const auto& a, const auto& b) { return a.first < b.first; });
    json sortedInstances = json::array();
    for (auto& i : instances) sortedInstances.push_back(std::move(i.second));
    const auto& tags = s.contains("MainDicomTags") ? s["MainDicomTags"] : json::object();
    ordered.emplace_back(NumberKey(tags, "SeriesNumber"),
                         json{{"id", id},
                              {"seriesInstanceUid", tags.value("SeriesInstanceUID", "")},
                              {"modality", tags.value("Modality", "")},
                              {"description", tags.value("SeriesDescription", "")},
                              {"instances", std::move(sortedInstances)}});
  }
  std::stable_sort(ordered.begin(), ordered.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
  for (auto& s : ordered) out.push_back(std::move(s.second));
  return out;
}

// What the study is, as the modality or the unit wrote it: the viewer's case header shows it.
// Empty strings when Orthanc no longer has the study.
json StudyOf(const Case& c) {
  json tags = json::object();
  if (auto study = TryGetJson("/studies/" + c.orthancStudyId); study && study->contains("MainDicomTags")) {
    tags = (*study)["MainDicomTags"];
  }
  return json{{"date", tags.value("StudyDate", "")},
              {"time", tags.value("StudyTime", "")},
              {"description", tags.value("StudyDescription", "")}};
}

// The specialist's latest question to the unit, if any, and the unit's written answer to it:
// the viewer shows them beside the images that answer it. An answer made by sending images
// (the router's) is those images, marked by their addedAt.
json LastInformationRequest(const std::vector<AuditEntry>& trail) {
  const std::string requestInfo = ToString(CaseEvent::RequestInfo);
  const std::string answerInfo = ToString(CaseEvent::AnswerInfo);
  json request = nullptr;
  for (const auto& e : trail) {
    if (e.action == requestInfo) {
      request = {{"at", IsoTime(e.at)}, {"by", e.user}, {"message", e.detail}, {"answer", nullptr}};
    } else if (e.action == answerInfo && request.is_object() && e.user != kRouterUser) {
      request["answer"] = {{"at", IsoTime(e.at)}, {"by", e.user}, {"message", e.detail}};
    }
  }
  return request;
}

}  // namespace

void RegisterCaseRoutes(Router& router, Hub& hub, StudyRouter& studies) {
  const auto lease = [&hub] { return std::chrono::seconds(hub.config.claimLeaseSeconds); };

  router.add("GET", "/relais/v1/queues", [&hub](const HttpRequest& r) {
    const User& u = Caller(r);
    const int64_t now = NowSeconds();
    json out = json::array();
    for (const auto& q : hub.cases->queues()) {
      if (u.role == Role::Specialist &&
          std::find(u.specialties.begin(), u.specialties.end(), q.queue) == u.specialties.end()) {
        continue;
      }
      out.push_back({{"queue", q.queue},
                     {"waiting", q.waiting},
                     {"urgent", q.urgent},
                     {"byState", q.byState},
                     {"oldestWaitingSince", q.oldestWaitingSince ? json(IsoTime(*q.oldestWaitingSince)) : json(nullptr)},
                     {"oldestWaitingSeconds", q.oldestWaitingSince ? json(now - *q.oldestWaitingSince) : json(nullptr)}});
    }
    return Json(out);
  });

  router.add("POST", "/relais/v1/queues/{queue}/claim-next", [&hub, lease](const HttpRequest& r) {
    const User& u = Caller(r);
    const std::string queue = r.param("queue");
    if (!IsKnownQueue(queue)) throw NotFound("no queue " + queue);
    if (u.role == Role::Specialist &&
        std::find(u.specialties.begin(), u.specialties.end(), queue) == u.specialties.end()) {
      throw Forbidden("queue " + queue + " is not one of your specialties");
    }
    auto c = hub.cases->claimNext(queue, ActorOf(r), lease());
    if (!c) throw NotFound("no case is waiting in queue " + queue);
    return Json(ToJson(*c));
  });

  router.add("GET", "/relais/v1/cases", [&hub](const HttpRequest& r) {
    CaseFilter f;
    f.queue = r.queryValue("queue");
    if (f.queue && !IsKnownQueue(*f.queue)) throw BadRequest("unknown queue '" + *f.queue + "'");
    // One state, or several separated by commas ("queued,claimed,info-requested"): the
    // viewer's queue page asks for every open state in one request.
    if (auto list = r.queryValue("state")) {
      size_t start = 0;
      while (true) {
        const size_t comma = list->find(',', start);
        const std::string s = list->substr(start, comma == std::string::npos ? std::string::npos : comma - start);
        auto state = ParseCaseState(s);
        if (!state) {
          throw BadRequest("unknown state '" + s + "' (queued, claimed, info-requested, reported, delivered, " +
                           "amended; several: comma-separated)");
        }
        f.states.push_back(*state);
        if (comma == std::string::npos) break;
        start = comma + 1;
      }
    }
    f.unit = r.queryValue("unit");
    f.patientId = r.queryValue("patient");
    f.limit = ParseInt(r.queryValue("limit"), 50, 1, 500, "limit");
    f.offset = ParseInt(r.queryValue("offset"), 0, 0, 100000000, "offset");
    RestrictToScope(Caller(r), f);
    const CasePage page = hub.cases->list(f);
    json cases = json::array();
    for (const auto& c : page.cases) cases.push_back(ToJson(c));
    return Json({{"cases", cases}, {"total", page.total}, {"limit", f.limit}, {"offset", f.offset}});
  });

  router.add("GET", "/relais/v1/cases/{id}", [&hub](const HttpRequest& r) {
    const User& u = Caller(r);
    Case c = Visible(hub, r);
    json detail = ToJson(c);
    detail["series"] = SeriesOf(c, hub.cases->lateInstances(c.id));
    detail["study"] = StudyOf(c);
    detail["infoRequest"] = LastInformationRequest(hub.cases->auditTrail(c.id));
    // Cases of the same patient created before this one, latest first: the viewer compares with
    // the first. createdAt is in seconds, so the id (creation order) decides within a second:
    // studies of one visit arrive together and must not be each other's prior.
    std::vector<Case> earlier;
    if (!c.patient.id.empty()) {
      CaseFilter f;
      f.patientId = c.patient.id;
      f.limit = 50;
      for (const auto& p : hub.cases->list(f).cases) {
        const bool before = p.createdAt < c.createdAt || (p.createdAt == c.createdAt && p.id < c.id);
        if (!before || !CanSeeCase(u, p) || p.patient.issuer != c.patient.issuer) continue;
        earlier.push_back(p);
      }
    }
    std::sort(earlier.begin(), earlier.end(), [](const Case& a, const Case& b) {
      return a.createdAt != b.createdAt ? a.createdAt > b.createdAt : a.id > b.id;
    });
    json priors = json::array();
    for (const auto& p : earlier) priors.push_back(ToJson(p));
    detail["priors"] = priors;
    hub.cases->audit(c.id, ActorOf(r), "read");
    // The holder has now seen the images that arrived late.
    if (c.newImages && c.claimedBy == u.name) hub.cases->clearNewImages(c.id);
    return Json(detail);
  });

  router.add("POST", "/relais/v1/cases/{id}/claim", [&hub, lease](const HttpRequest& r) {
    Case c = Visible(hub, r);
    return Json(ToJson(hub.cases->claim(c.id, ActorOf(r), lease())));
  });

  router.add("POST", "/relais/v1/cases/{id}/release", [&hub](const HttpRequest& r) {
    Case c = Visible(hub, r);
    TransitionOptions o;
    o.holderOnly = true;
    o.detail = OptionalString(Body(r), "message").value_or("");
    return Json(ToJson(hub.cases->transition(c.id, CaseEvent::Release, ActorOf(r), o)));
  });

  router.add("POST", "/relais/v1/cases/{id}/request-info", [&hub](const HttpRequest& r) {
    const json body = Body(r);
    Case c = Visible(hub, r);
    TransitionOptions o;
    o.holderOnly = true;
    o.detail = RequiredMessage(body);
    return Json(ToJson(hub.cases->transition(c.id, CaseEvent::RequestInfo, ActorOf(r), o)));
  });

  router.add("POST", "/relais/v1/cases/{id}/info-answer", [&hub](const HttpRequest& r) {
    const json body = Body(r);
    Case c = Visible(hub, r);
    TransitionOptions o;
    o.detail = RequiredMessage(body);
    return Json(ToJson(hub.cases->transition(c.id, CaseEvent::AnswerInfo, ActorOf(r), o)));
  });

  router.add("POST", "/relais/v1/cases/{id}/reassign", [&hub](const HttpRequest& r) {
    const json body = Body(r);
    Case c = Visible(hub, r);
    TransitionOptions o;
    o.newQueue = OptionalString(body, "queue");
    o.newAssignee = OptionalString(body, "specialist");
    o.detail = OptionalString(body, "message").value_or("");
    if (!o.newQueue && !o.newAssignee) throw BadRequest("give \"queue\" or \"specialist\"");
    if (o.newQueue && !IsKnownQueue(*o.newQueue)) throw BadRequest("unknown queue '" + *o.newQueue + "'");
    if (o.newAssignee) {
      auto s = hub.users.find(*o.newAssignee);
      if (!s || s->role != Role::Specialist) throw BadRequest("'" + *o.newAssignee + "' is not a specialist account");
      const std::string queue = o.newQueue.value_or(c.queue);
      if (std::find(s->specialties.begin(), s->specialties.end(), queue) == s->specialties.end()) {
        if (o.newQueue) throw BadRequest(*o.newAssignee + " does not answer queue " + queue);
        o.newQueue = s->specialties.front();
      }
    }
    return Json(ToJson(hub.cases->transition(c.id, CaseEvent::Reassign, ActorOf(r), o)));
  });

  router.add("GET", "/relais/v1/cases/{id}/audit", [&hub](const HttpRequest& r) {
    Case c = Visible(hub, r);
    json out = json::array();
    for (const auto& e : hub.cases->auditTrail(c.id)) out.push_back(ToJson(e));
    return Json(out);
  });

  router.add("GET", "/relais/v1/statistics", [&hub](const HttpRequest&) {
    const StoreStatistics s = hub.cases->statistics();
    auto seconds = [](const std::optional<int64_t>& v) { return v ? json(*v) : json(nullptr); };
    return Json({{"byQueue", s.byQueue},
                 {"byUnit", s.byUnit},
                 {"byState", s.byState},
                 {"turnaround",
                  {{"reported", s.turnaroundSeconds.size()},
                   {"medianSeconds", seconds(Percentile(s.turnaroundSeconds, 50))},
                   {"p90Seconds", seconds(Percentile(s.turnaroundSeconds, 90))}}}});
  });

  router.add("POST", "/relais/v1/studies/{uid}/manifest", [&studies](const HttpRequest& r) {
    const User& u = Caller(r);
    const json body = Body(r);
    if (!body.contains("instances") || !body["instances"].is_array() || body["instances"].empty()) {
      throw BadRequest("\"instances\" must be a non-empty array of SOP Instance UIDs");
    }
    std::vector<std::string> uids;
    for (const auto& v : body["instances"]) {
      if (!v.is_string() || v.get<std::string>().empty()) throw BadRequest("\"instances\" must hold SOP Instance UIDs (strings)");
      uids.push_back(v);
    }
    const std::string priority = OptionalString(body, "priority").value_or("");
    if (!priority.empty() && priority != "urgent" && priority != "routine") {
      throw BadRequest("\"priority\" must be \"urgent\" or \"routine\"");
    }
    // A unit's manifest is bound to its unit; only an admin may name another.
    std::string unit = u.unit;
    if (u.role == Role::Admin) unit = OptionalString(body, "unit").value_or("");
    const auto status = studies.postManifest(r.param("uid"), uids, priority, unit, ActorOf(r));
    return Json(status.toJson());
  });

  router.add("GET", "/relais/v1/studies/{uid}/manifest", [&hub, &studies](const HttpRequest& r) {
    const User& u = Caller(r);
    auto m = hub.cases->manifest(r.param("uid"));
    if (!m) throw NotFound("no manifest for study " + r.param("uid"));
    if ((u.role == Role::Unit || u.role == Role::Nurse) && m->unit != u.unit) {
      throw Forbidden("this manifest belongs to unit " + m->unit);
    }
    return Json(studies.manifestStatus(r.param("uid")).toJson());
  });

  router.add("POST", "/relais/v1/routing/dry-run", [&hub, &studies](const HttpRequest& r) {
    const json body = Body(r);
    if (body.contains("tags")) return Json(hub.rules.route(StudyAttributes::FromSimpleMap(body["tags"])).toJson());
    auto id = OptionalString(body, "orthancStudyId");
    if (!id) throw BadRequest("give {\"orthancStudyId\": ...} or {\"tags\": {...}}");
    // Orthanc's identifiers have 44 characters; the answer never echoes a longer one.
    if (id->size() > 64) throw BadRequest("\"orthancStudyId\" may have at most 64 characters");
    if (!TryGetJson("/studies/" + *id)) throw NotFound("no study " + *id + " in Orthanc");
    return Json(studies.dryRun(*id));
  });
}

}  // namespace relais::adapter
