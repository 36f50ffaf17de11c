#pragma once
// Shared by the forwarding integration tests: a relais-forward configuration pointing at a
// test hub, the unit's relais-forward run as a separate process, and what the hub holds.
#include <filesystem>
#include <fstream>
#include <set>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include <nlohmann/json.hpp>

#include "harness/ChildProcess.h"
#include "harness/HttpClient.h"
#include "harness/OrthancServer.h"
#include "harness/SyntheticStudy.h"

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
// `folder`/outbox and its configuration in `folder`/forward.json, run as the real executable:
//   UnitForwarder unit(hub, dir);
//   ASSERT_EQ(unit.run({"enqueue", capture}), 0) << unit.log();
//   ASSERT_EQ(unit.run({"--once"}), 0) << unit.log();
// `overrides` is merged into that configuration (JSON merge patch): {{"bandwidthKBps", 1000}}.
class UnitForwarder {
 public:
  UnitForwarder(const OrthancServer& hub, const std::filesystem::path& folder,
                const nlohmann::json& overrides = nlohmann::json::object())
      : folder_(folder), outbox_(folder / "outbox") {
    std::filesystem::create_directories(folder);
    nlohmann::json config = ForwardConfigFor(hub, outbox_);
    config.merge_patch(overrides);
    config_ = WriteConfig(folder / "forward.json", config);
  }

  // relais-forward -c CONFIG ARGS..., for a run the test drives itself (a service it stops,
  // a run it kills).
  std::vector<std::string> command(const std::vector<std::string>& args) const {
    std::vector<std::string> argv = {RELAIS_FORWARD_EXECUTABLE, "-c", config_.string()};
    argv.insert(argv.end(), args.begin(), args.end());
    return argv;
  }

  // relais-forward -c CONFIG ARGS...; the exit code, or -1 (after kill -9) if it is still
  // running after `timeout`. Its output is log() until the next run.
  int run(const std::vector<std::string>& args, std::chrono::seconds timeout = std::chrono::seconds(30)) {
    const auto logFile = folder_ / ("relais-forward-" + std::to_string(++runs_) + ".log");
    ChildProcess child(command(args), logFile);
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

// A transfer slow enough to interrupt in the middle (kill -9 of relais-forward, the hub going
// away): 4 MB (200 instances of 20 kB) captured in `folder`/capture and enqueued by a unit
// forwarder that sends at 1 MB/s, so about four seconds of sending.
struct SlowTransfer {
  SlowTransfer(const OrthancServer& hub, const std::filesystem::path& folder)
      : unit(hub, folder, {{"bandwidthKBps", 1000}}), study(WriteSyntheticStudy(folder / "capture", Options())) {
    if (unit.run({"enqueue", (folder / "capture").string()}, std::chrono::seconds(60)) != 0) {
      throw std::runtime_error("relais-forward enqueue failed: " + unit.log());
    }
  }

  UnitForwarder unit;
  SyntheticStudy study;

 private:
  static SyntheticStudyOptions Options() {
    SyntheticStudyOptions options;
    options.instances = 200;
    options.bytesPerInstance = 20000;
    return options;
  }
};

}  // namespace relais::test
