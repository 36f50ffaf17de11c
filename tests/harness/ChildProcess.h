#pragma once
// A program started by a test (the forwarder, storescp), with its output in a file, that the
// test can kill -9 at any moment, stop politely, or wait for with a deadline.
#include <sys/types.h>

#include <chrono>
#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace relais::test {

class ChildProcess {
 public:
  // argv[0] is the program path; `environment` adds to (or overrides) the test's environment.
  ChildProcess(std::vector<std::string> argv, std::filesystem::path logFile,
               std::map<std::string, std::string> environment = {});
  ~ChildProcess();  // kills it (SIGKILL) if still running
  ChildProcess(const ChildProcess&) = delete;
  ChildProcess& operator=(const ChildProcess&) = delete;

  pid_t pid() const { return pid_; }
  bool running();
  void kill9();
  // SIGTERM, then waits up to `grace`; returns the exit code (negative: killed by signal).
  int terminate(std::chrono::milliseconds grace = std::chrono::seconds(10));
  // The exit code once it ended by itself within `timeout`, nothing if it still runs.
  std::optional<int> wait(std::chrono::milliseconds timeout);
  std::string log() const;

 private:
  pid_t pid_ = -1;
  std::optional<int> exitCode_;
  std::filesystem::path logFile_;
};

}  // namespace relais::test
