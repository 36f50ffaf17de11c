#pragma once
// What the hub made of a study, read the way a person would: through the case API
// (GET /relais/v1/cases), as a given account, every page of the list. Routing, forwarding and
// report tests wait for routing with these instead of opening the case store.
#include <chrono>
#include <functional>
#include <string>

#include <nlohmann/json.hpp>

#include "harness/OrthancServer.h"

namespace relais::test {

// Every case visible to `account`, every page of the list. Throws std::runtime_error naming
// the status and body if the hub does not answer 200.
nlohmann::json AllCases(const OrthancServer& hub, const std::string& account = "coord");

// Every case of the study visible to `account`. The list is paged (default limit 50), so all
// pages are read: a case beyond the first page is still found. Throws std::runtime_error
// naming the status and body if the hub does not answer 200.
nlohmann::json CasesOfStudy(const OrthancServer& hub, const std::string& studyUid,
                            const std::string& account = "coord");

// Polls CasesOfStudy until `done(cases)` holds or `timeout` passes; returns the last cases
// read (the caller asserts on them, so a timeout shows what the hub had).
nlohmann::json WaitForCases(const OrthancServer& hub, const std::string& studyUid,
                            const std::function<bool(const nlohmann::json&)>& done, std::chrono::milliseconds timeout,
                            const std::string& account = "coord");

// Polls until the study has at least one case; returns the cases (empty after the timeout).
nlohmann::json WaitForCase(const OrthancServer& hub, const std::string& studyUid, std::chrono::milliseconds timeout,
                           const std::string& account = "coord");

}  // namespace relais::test
