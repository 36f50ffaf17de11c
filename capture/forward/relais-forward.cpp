// relais-forward: sends the unit's outbox to the hub (or a DICOM storage SCP) and brings the
// hub's answers back. Runs as a service (default) or once (--once, for cron or a button).
//   relais-forward -c forward.json              service: send, retry, poll for answers
//   relais-forward -c forward.json --once       send what waits, exit 0 if all went
//   relais-forward -c forward.json status       what waits, what is sent, what failed and why
//   relais-forward -c forward.json enqueue DIR  put a folder of DICOM files in the outbox
//   relais-forward -c forward.json retry        give refused instances another chance
//   relais-forward -c forward.json pull         fetch the hub's answers now (reports, requests)
//   relais-forward -c forward.json inbox [ID]   list the answers, or open one
// Exit codes: 0 done, 1 something is left to send or was refused, 2 bad usage or configuration.
#include <signal.h>
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <dcmtk/oflog/oflog.h>
#include <spdlog/spdlog.h>

#include <atomic>
#include <cstdio>
#include <cstdlib>
#include <iostream>
#include <thread>

#include <nlohmann/json.hpp>

#include "outbox/AnswerPuller.h"
#include "outbox/DicomTransport.h"
#include "outbox/Forwarder.h"
#include "outbox/ForwarderConfig.h"
#include "outbox/HttpTransport.h"
#include "outbox/HubConnection.h"
#include "outbox/Inbox.h"
#include "outbox/InboxView.h"
#include "outbox/Outbox.h"
#include "outbox/OutboxError.h"
#include "relais/version.h"

using namespace relais::outbox;

namespace {

std::atomic<bool> g_stop{false};

void OnSignal(int) { g_stop = true; }

Forwarder::TransportFactory MakeTransportFactory(const ForwarderConfig& config) {
  if (config.transport == "dicom") {
    return [peer = config.dicom] { return std::make_unique<DicomTransport>(peer); };
  }
  return [hub = config.hub, manifest = config.postManifest, file = config.file.string()] {
    return std::make_unique<HttpTransport>(hub, manifest, file);
  };
}

std::unique_ptr<ForwardProgress> MakeProgress() {
  if (isatty(STDERR_FILENO)) return std::make_unique<TerminalProgress>(stderr, 100);
  return std::make_unique<LogProgress>();
}

ForwarderOptions Options(const ForwarderConfig& config, bool once) {
  ForwarderOptions o;
  o.concurrency = config.transport == "dicom" ? 1 : config.concurrency;
  o.retry = config.retry;
  o.bytesPerSecond = config.bandwidthBytesPerSecond;
  o.giveUp = once;
  return o;
}

// Fetches the hub's answers into the inbox; false when something went wrong (logged).
bool Pull(const ForwarderConfig& config, Inbox& inbox) {
  if (config.hub.url.empty()) return true;  // a DICOM-only destination has no answers to give
  HubConnection hub(config.hub);
  PullResult r = PullAnswers(hub, inbox);
  if (r.received > 0 || r.acknowledged > 0) {
    spdlog::info("{} new answers from the hub in the inbox, {} acknowledged", r.received, r.acknowledged);
  }
  if (!r.problem.empty()) spdlog::warn("answers from the hub: {}", r.problem);
  return r.problem.empty();
}

// hub.manifest=false is meant for plain Orthanc receivers. Sent to a Relais hub, the studies
// would look delivered here while the hub waits ManifestWaitSeconds (an hour by default) for
// a manifest before routing them: say so before anything is sent.
void WarnIfRelaisHubWithoutManifest(const ForwarderConfig& config) {
  if (config.transport == "dicom" || config.postManifest || config.hub.url.empty()) return;
  try {
    HubSettings quick = config.hub;
    quick.timeout = std::chrono::seconds(10);
    HubConnection hub(quick);
    if (hub.get("/relais/version").status == 200) {
      spdlog::warn("{} is a Relais hub but hub.manifest is false: it will wait for each study's manifest "
                   "(Relais.ManifestWaitSeconds) before routing it; set hub.manifest to true",
                   config.hub.url);
    }
  } catch (const std::exception&) {
    // Unreachable now: the forwarder's own retries report that.
  }
}

// The account this configuration uses, as the outbox remembers a refusal of it.
std::string AccountOf(const ForwarderConfig& config) {
  return config.transport == "dicom" ? std::string() : HttpTransport::AccountFingerprint(config.hub);
}

int Run(ForwarderConfig config, bool once) {
  WarnIfRelaisHubWithoutManifest(config);
  Outbox outbox(config.outbox);
  Inbox inbox(config.outbox);
  auto progress = MakeProgress();
  auto forwarder = std::make_unique<Forwarder>(outbox, MakeTransportFactory(config), Options(config, once), progress.get());
  if (once) {
    DrainResult r = forwarder->drain(g_stop);
    spdlog::info("sent {} instances, {} studies acknowledged, {} refused", r.sent, r.manifests, r.refused);
    if (r.accountRefused) {
      spdlog::error("{}; nothing is sent until the configuration changes", r.lastError);
      return 1;
    }
    if (r.empty) Pull(config, inbox);
    if (!r.empty || r.refused > 0) {
      spdlog::error("not everything went: {} instances wait{}", outbox.pendingCount(),
                    r.lastError.empty() ? "" : "; last problem: " + r.lastError);
      return 1;
    }
    return 0;
  }
  spdlog::info("relais-forward {} sending {} to {}", relais::kVersion, config.outbox.string(),
               config.transport == "dicom" ? config.dicom.host : config.hub.url);
  while (!g_stop) {
    const DrainResult r = forwarder->drain(g_stop);
    if (r.accountRefused) {
      // Said once per poll; the configuration is read again, and a changed account (user,
      // password, address) is tried at once.
      spdlog::error("{}; nothing is sent until the configuration changes", r.lastError);
      try {
        ForwarderConfig fresh = ForwarderConfig::Load(config.file);
        if (AccountOf(fresh) != AccountOf(config) && fresh.outbox == config.outbox) {
          spdlog::info("the configuration {} changed: sending again", config.file.string());
          config = std::move(fresh);
          forwarder = std::make_unique<Forwarder>(outbox, MakeTransportFactory(config), Options(config, once),
                                                  progress.get());
          continue;
        }
      } catch (const OutboxError& e) {
        spdlog::error("{}", e.what());
      }
    }
    if (!g_stop && !r.accountRefused) Pull(config, inbox);
    // Wait for new work (a nurse enqueues from another process) or the next poll.
    const auto next = std::chrono::steady_clock::now() + config.pollInterval;
    while (!g_stop && std::chrono::steady_clock::now() < next) {
      if (!r.accountRefused && (outbox.pendingCount() > 0 || !outbox.manifestsDue().empty())) break;
      std::this_thread::sleep_for(std::chrono::milliseconds(500));
    }
  }
  spdlog::info("relais-forward stopping");
  return 0;
}

int Status(const ForwarderConfig& config, bool asJson) {
  Outbox outbox(config.outbox);
  const auto studies = outbox.studies();
  if (asJson) {
    nlohmann::json out = nlohmann::json::array();
    for (const auto& s : studies) {
      out.push_back({{"studyInstanceUid", s.studyInstanceUid}, {"priority", PriorityName(s.priority)},
                     {"state", s.state()}, {"pending", s.pending}, {"sent", s.sent}, {"refused", s.refused},
                     {"bytesTotal", s.bytesTotal}, {"bytesSent", s.bytesSent}, {"failedAttempts", s.attempts},
                     {"manifestAck", s.manifestAck ? nlohmann::json::parse(*s.manifestAck, nullptr, false) : nullptr},
                     {"lastError", s.lastError ? nlohmann::json(*s.lastError) : nullptr}});
    }
    std::cout << out.dump(2) << "\n";
    return 0;
  }
  if (const auto refusal = outbox.accountRefusal()) {
    if (refusal->fingerprint == AccountOf(config)) {
      std::cout << "Not sending: " << refusal->message << ".\n";
    } else {
      std::cout << "The hub refused the previous account (" << refusal->message
                << "); the configuration changed since: the next run tries again.\n";
    }
  }
  if (studies.empty()) {
    std::cout << "The outbox " << config.outbox.string() << " is empty.\n";
    return 0;
  }
  std::printf("%-64s %-8s %-13s %-13s %-21s %-8s %s\n", "STUDY", "PRIORITY", "STATE", "INSTANCES", "BYTES",
              "FAILURES", "LAST PROBLEM");
  for (const auto& s : studies) {
    const std::string instances = std::to_string(s.sent) + "/" + std::to_string(s.pending + s.sent + s.refused) +
                                  (s.refused ? " (" + std::to_string(s.refused) + " refused)" : "");
    const std::string bytes = FormatBytes(s.bytesSent) + "/" + FormatBytes(s.bytesTotal);
    std::printf("%-64s %-8s %-13s %-13s %-21s %-8d %s\n", s.studyInstanceUid.c_str(), PriorityName(s.priority),
                s.state().c_str(), instances.c_str(), bytes.c_str(), s.attempts,
                s.state() == "sent" ? "" : s.lastError.value_or("").c_str());
  }
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  // DCMTK's own warnings about odd files would drown the nurse's view; our errors say it all.
  OFLog::configure(OFLogger::ERROR_LOG_LEVEL);
  CLI::App app{"relais-forward: sends the unit's outbox to the Relais hub and brings its answers back"};
  const char* envConfig = std::getenv("RELAIS_FORWARD_CONFIG");
  std::string configPath = envConfig != nullptr ? envConfig : "/etc/relais/forward.json";
  bool once = false;
  app.add_option("-c,--config", configPath, "configuration file (JSON; see config/relais-forward.json)");
  app.add_flag("--once", once, "send what waits and exit (0: everything went)");
  app.add_flag_callback("--version", [] {
    std::cout << "relais-forward " << relais::kVersion << "\n";
    std::exit(0);
  }, "print the version");
  auto* status = app.add_subcommand("status", "what waits, what is sent, what failed and why");
  bool statusJson = false;
  status->add_flag("--json", statusJson, "machine-readable");
  auto* enqueue = app.add_subcommand("enqueue", "put a folder of DICOM files (one or more studies) in the outbox");
  std::string folder;
  bool urgent = false;
  enqueue->add_option("folder", folder, "folder of DICOM files")->required();
  enqueue->add_flag("--urgent", urgent, "send these studies before routine ones");
  auto* retry = app.add_subcommand("retry", "put refused instances back in the queue");
  auto* pull = app.add_subcommand("pull", "fetch the hub's answers (reports, information requests) now");
  auto* inboxCommand = app.add_subcommand("inbox", "list the hub's answers, or open one");
  std::string answerId;
  inboxCommand->add_option("id", answerId, "the answer to open");
  app.require_subcommand(0, 1);
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    return app.exit(e) == 0 ? 0 : 2;
  }

  try {
    const ForwarderConfig config = ForwarderConfig::Load(configPath);
    if (status->parsed()) return Status(config, statusJson);
    if (enqueue->parsed()) {
      Outbox outbox(config.outbox);
      auto results = outbox.enqueueFolder(folder, urgent ? std::optional<Priority>(Priority::Urgent) : std::nullopt);
      int added = 0;
      for (const auto& r : results) added += r.added ? 1 : 0;
      std::cout << "enqueued " << added << " instances (" << results.size() - added << " were already in the outbox)\n";
      return 0;
    }
    if (retry->parsed()) {
      Outbox outbox(config.outbox);
      std::cout << outbox.retryRefused() << " refused instances will be sent again\n";
      return 0;
    }
    if (pull->parsed()) {
      Inbox inbox(config.outbox);
      return Pull(config, inbox) ? 0 : 1;
    }
    if (inboxCommand->parsed()) {
      Inbox inbox(config.outbox);
      if (answerId.empty()) {
        Outbox outbox(config.outbox);
        PrintInbox(inbox, outbox, std::cout);
        return 0;
      }
      return OpenAnswer(inbox, answerId, std::cout, isatty(STDOUT_FILENO) != 0) ? 0 : 1;
    }
    struct sigaction action {};
    action.sa_handler = OnSignal;
    sigaction(SIGINT, &action, nullptr);
    sigaction(SIGTERM, &action, nullptr);
    return Run(config, once);
  } catch (const OutboxError& e) {
    std::cerr << "relais-forward: " << e.what() << "\n";
    return 2;
  } catch (const std::exception& e) {
    std::cerr << "relais-forward: unexpected error: " << e.what() << "\n";
    return 2;
  }
}
