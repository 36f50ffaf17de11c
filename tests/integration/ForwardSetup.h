#pragma once
// Shared by the forwarding integration tests: a relais-forward configuration pointing at a
// test hub, the unit's relais-forward run as a separate process, and what the hub holds.
#include <filesystem>
#include <fstream>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include <nlohmann/json.hpp>

#include "harness/ChildProcess.h"
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

// Unit VAN-07's relais-forward (account unit07, HTTP, manifests) with its outbox in
// `folder`/outbox, run as the real executable:
//   UnitForwarder unit(hub, dir);
//   ASSERT_EQ(unit.run({"enqueue", capture}), 0) << unit.log();
//   ASSERT_EQ(unit.run({"--once"}), 0) << unit.log();
class UnitForwarder {
 public:
  UnitForwarder(const OrthancServer& hub, const std::filesystem::path& folder)
      : folder_(folder), outbox_(folder / "outbox") {
    std::filesystem::create_directories(folder);
    config_ = WriteConfig(folder / "forward.json", ForwardConfigFor(hub, outbox_));
  }

  // relais-forward -c CONFIG ARGS...; the exit code, or -1 (after kill -9) if it is still
  // running after `timeout`. Its output is log() until the next run.
  int run(const std::vector<std::string>& args, std::chrono::seconds timeout = std::chrono::seconds(30)) {
    std::vector<std::string> argv = {RELAIS_FORWARD_EXECUTABLE, "-c", config_.string()};
    argv.insert(argv.end(), args.begin(), args.end());
    const auto logFile = folder_ / ("relais-forward-" + std::to_string(++runs_) + ".log");
    ChildProcess child(argv, logFile);
    const auto code = child.wait(timeout);
    if (!code) child.kill9();
    log_ = child.log();
    return code.value_or(-1);
  }

  const std::string& log() const { return log_; }
  const std::filesystem::path& outbox() const { return outbox_; }
  const std::filesystem::path& config() const { return config_; }

 private:
  std::filesystem::path folder_;
  std::filesystem::path outbox_;
  std::filesystem::path config_;
  std::string log_;
  int runs_ = 0;
};

}  // namespace relais::test
