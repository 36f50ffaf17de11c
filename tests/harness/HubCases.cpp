#include "harness/HubCases.h"

#include <stdexcept>
#include <thread>

#include "harness/TestAccounts.h"

namespace relais::test {

using nlohmann::json;

json AllCases(const OrthancServer& hub, const std::string& account) {
  const HttpClient client = ClientAs(hub, account);
  json found = json::array();
  const int limit = 500;  // the route's maximum
  for (int offset = 0;; offset += limit) {
    const auto answer = client.get("/relais/v1/cases?limit=" + std::to_string(limit) + "&offset=" + std::to_string(offset));
    if (answer.status != 200) {
      throw std::runtime_error("GET /relais/v1/cases as " + account + ": " + std::to_string(answer.status) + " " +
                               answer.body);
    }
    const json page = answer.json();
    for (const auto& c : page.at("cases")) found.push_back(c);
    if (page.at("cases").empty() || offset + limit >= page.at("total").get<int64_t>()) return found;
  }
}

json CasesOfStudy(const OrthancServer& hub, const std::string& studyUid, const std::string& account) {
  json found = json::array();
  for (const auto& c : AllCases(hub, account)) {
    if (c["studyInstanceUid"] == studyUid) found.push_back(c);
  }
  return found;
}

json WaitForCases(const OrthancServer& hub, const std::string& studyUid, const std::function<bool(const json&)>& done,
                  std::chrono::milliseconds timeout, const std::string& account) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  json cases = CasesOfStudy(hub, studyUid, account);
  while (!done(cases) && std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
    cases = CasesOfStudy(hub, studyUid, account);
  }
  return cases;
}

json WaitForCase(const OrthancServer& hub, const std::string& studyUid, std::chrono::milliseconds timeout,
                 const std::string& account) {
  return WaitForCases(hub, studyUid, [](const json& cases) { return !cases.empty(); }, timeout, account);
}

}  // namespace relais::test
