#pragma once
// A real Orthanc process for integration tests: generated configuration, free loopback HTTP
// and DICOM ports, a temporary storage folder, the Relais plugin loaded. The constructor
// returns once Orthanc answers HTTP; the destructor stops it by its PID. The log is kept in
// the storage folder and printed by the test when it fails (see log()).
#include <sys/types.h>

#include <cstdint>
#include <filesystem>
#include <string>

#include <nlohmann/json.hpp>

#include "harness/HttpClient.h"
#include "harness/TempDir.h"

namespace relais::test {

// The calling AET of every test's DICOM sender (storescu): declared in the generated
// configuration's DicomModalities, the only way a sender may store in a Relais hub.
inline constexpr const char* kTestModalityAet = "TESTMODALITY";

struct OrthancServerOptions {
  bool loadPlugin = true;
  // Merged over the generated configuration (objects merged key by key); a "Relais" object
  // here is the plugin's own section.
  nlohmann::json config = nlohmann::json::object();
  int stableAgeSeconds = 2;
  // Tests want Orthanc's --verbose log when they fail; benchmarks run it as a hub runs, since
  // verbose logging of every plugin REST call costs CPU the reference does not pay.
  bool verbose = true;
};

class OrthancServer {
 public:
  explicit OrthancServer(OrthancServerOptions options = {});
  ~OrthancServer();
  OrthancServer(const OrthancServer&) = delete;
  OrthancServer& operator=(const OrthancServer&) = delete;

  uint16_t httpPort() const { return httpPort_; }
  uint16_t dicomPort() const { return dicomPort_; }
  const std::string& aet() const { return aet_; }
  std::string baseUrl() const { return "http://127.0.0.1:" + std::to_string(httpPort_); }
  HttpClient client() const { return HttpClient(baseUrl()); }
  const std::filesystem::path& directory() const { return dir_.path(); }
  std::filesystem::path storage() const { return dir_.path() / "storage"; }
  const nlohmann::json& configuration() const { return config_; }
  pid_t pid() const { return pid_; }

  // Everything Orthanc wrote to stdout and stderr so far.
  std::string log() const;

  // Starts Orthanc (again, with the same storage and ports) and waits until it answers.
  void start();
  // SIGTERM, then SIGKILL if it has not exited within the grace period; returns the exit code
  // (negative: the signal that ended it).
  int stop(int graceSeconds = 15);
  // Simulates a crash or power cut.
  void kill9();
  bool running() const { return pid_ > 0; }

 private:
  void waitUntilAnswering();

  TempDir dir_;
  nlohmann::json config_;
  uint16_t httpPort_ = 0;
  uint16_t dicomPort_ = 0;
  std::string aet_ = "RELAISHUB";
  pid_t pid_ = -1;
  bool verbose_ = true;
};

// Runs a command, returns its exit code; stdout and stderr go to `output` if given.
int RunCommand(const std::string& commandLine, std::string* output = nullptr);

}  // namespace relais::test
