#pragma once
// relais-forward's configuration file (JSON; an example is config/relais-forward.json): where
// the outbox lives, where to send (the hub over HTTP(S), or a DICOM storage SCP), the unit
// account, the hub's certificate authority, the bandwidth cap and the retry policy. Every
// error names the file, the key and what was expected.
#include <cstdint>
#include <filesystem>
#include <string>

#include "outbox/HubConnection.h"
#include "outbox/RetryPolicy.h"

namespace relais::outbox {

struct DicomPeer {
  std::string host;
  uint16_t port = 104;
  std::string calledAet;
  std::string callingAet = "RELAIS";
};

struct ForwarderConfig {
  std::filesystem::path file;  // where it was read from (messages asking a person to fix it name it)
  std::filesystem::path outbox;
  std::string transport = "http";  // "http" | "dicom"
  HubSettings hub;
  bool postManifest = true;
  DicomPeer dicom;
  int concurrency = 4;
  int64_t bandwidthBytesPerSecond = 0;
  RetryPolicy retry;
  std::chrono::seconds pollInterval{30};  // service: how often to look for work and answers

  // Throws OutboxError("<file>: key \"hub.url\": expected ...") on any problem.
  static ForwarderConfig Load(const std::filesystem::path& file);
  // Only the outbox folder (relative to the file, like Load): what a nurse's tool needs, without
  // reading the hub's password file.
  static std::filesystem::path OutboxOf(const std::filesystem::path& file);
};

}  // namespace relais::outbox
