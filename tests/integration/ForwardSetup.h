#pragma once
// Shared by the forwarding integration tests: a relais-forward configuration pointing at a
// test hub, and what the hub holds.
#include <filesystem>
#include <fstream>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include <nlohmann/json.hpp>

#include "harness/HttpClient.h"
#include "harness/OrthancServer.h"

namespace relais::test {

inline nlohmann::json ForwardConfigFor(const OrthancServer& hub, const std::filesystem::path& outbox) {
  return {{"outbox", outbox.string()},
          {"transport", "http"},
          {"hub", {{"url", hub.baseUrl()}, {"user", "unit07"}, {"password", "unit07-pass"}, {"manifest", true}}},
          {"concurrency", 4},
          {"retry", {{"initialSeconds", 0.1}, {"maxSeconds", 1.0}, {"multiplier", 2}, {"jitter", 0.5}, {"giveUpAfter", 5}}},
          {"pollSeconds", 1}};
}

inline std::filesystem::path WriteConfig(const std::filesystem::path& file, const nlohmann::json& config) {
  std::ofstream(file) << config.dump(2);
  return file;
}

inline HttpClient AdminClient(const OrthancServer& hub) {
  HttpClient http = hub.client();
  http.setCredentials("admin", "admin-pass");
  return http;
}

// SOP Instance UIDs of every instance the hub holds (one entry per stored instance).
inline std::multiset<std::string> HubSopInstanceUids(const OrthancServer& hub) {
  auto answer = AdminClient(hub).get("/instances?expand");
  std::multiset<std::string> uids;
  for (const auto& instance : answer.json()) uids.insert(instance["MainDicomTags"]["SOPInstanceUID"].get<std::string>());
  return uids;
}

}  // namespace relais::test
