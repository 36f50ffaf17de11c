#include "harness/OrthancServer.h"

#include <fcntl.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <array>
#include <chrono>
#include <cstdio>
#include <fstream>
#include <stdexcept>
#include <thread>

#include "harness/Files.h"
#include "harness/FreePort.h"

namespace relais::test {

namespace {

void MergeInto(nlohmann::json& target, const nlohmann::json& patch) {
  for (auto it = patch.begin(); it != patch.end(); ++it) {
    if (it->is_object() && target.contains(it.key()) && target[it.key()].is_object()) {
      MergeInto(target[it.key()], *it);
    } else {
      target[it.key()] = *it;
    }
  }
}

}  // namespace

OrthancServer::OrthancServer(OrthancServerOptions options) : dir_("relais-orthanc"), verbose_(options.verbose) {
  httpPort_ = FreeLoopbackPort();
  dicomPort_ = FreeLoopbackPort();
  std::filesystem::create_directories(storage());

  config_ = {
      {"Name", "relais-test"},
      {"StorageDirectory", storage().string()},
      {"IndexDirectory", storage().string()},
      {"HttpPort", httpPort_},
      {"DicomPort", dicomPort_},
      {"DicomAet", aet_},
      {"RemoteAccessAllowed", false},
      // The Relais plugin authenticates every request itself (roles Orthanc does not know).
      {"AuthenticationEnabled", false},
      {"StableAge", options.stableAgeSeconds},
      // Only declared senders may store (the plugin refuses to start otherwise).
      {"DicomAlwaysAllowStore", false},
      {"DicomModalities", {{"test-modality", {kTestModalityAet, "127.0.0.1", 104}}}},
      {"DicomAlwaysAllowEcho", true},
      {"DicomCheckModalityHost", false},
      {"TcpNoDelay", true},
      {"SaveJobs", false},
      {"Plugins", nlohmann::json::array()},
  };
  if (options.loadPlugin) config_["Plugins"].push_back(RELAIS_PLUGIN_PATH);
  MergeInto(config_, options.config);

  std::ofstream(dir_ / "orthanc.json") << config_.dump(2);
  start();
}

OrthancServer::~OrthancServer() {
  if (running()) stop(10);
}

std::string OrthancServer::log() const { return ReadFile(dir_ / "orthanc.log"); }

void OrthancServer::start() {
  if (running()) throw std::logic_error("Orthanc is already running");
  const std::string logPath = (dir_ / "orthanc.log").string();
  const std::string configPath = (dir_ / "orthanc.json").string();
  pid_ = fork();
  if (pid_ < 0) throw std::runtime_error("fork failed");
  if (pid_ == 0) {
    int fd = open(logPath.c_str(), O_WRONLY | O_CREAT | O_APPEND, 0644);
    if (fd >= 0) {
      dup2(fd, STDOUT_FILENO);
      dup2(fd, STDERR_FILENO);
      close(fd);
    }
    // Debian's DCMTK leaves Nagle on unless told: 11 instances/s instead of 500 over C-STORE.
    setenv("TCP_NODELAY", "1", 1);
    if (verbose_) {
      execl(RELAIS_ORTHANC_EXECUTABLE, "Orthanc", "--verbose", configPath.c_str(), static_cast<char*>(nullptr));
    } else {
      execl(RELAIS_ORTHANC_EXECUTABLE, "Orthanc", configPath.c_str(), static_cast<char*>(nullptr));
    }
    _exit(127);
  }
  waitUntilAnswering();
}

void OrthancServer::waitUntilAnswering() {
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(60);
  HttpClient http(baseUrl());
  while (std::chrono::steady_clock::now() < deadline) {
    int status = 0;
    if (waitpid(pid_, &status, WNOHANG) == pid_) {
      pid_ = -1;
      throw std::runtime_error("Orthanc exited during start-up; its log:\n" + log());
    }
    try {
      // /system is Orthanc's own route; any HTTP answer (even 401 from the plugin's
      // authorization) proves the server and its plugins are up.
      if (http.get("/system").status > 0) return;
    } catch (const std::exception&) {
      // not listening yet
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  stop(1);
  throw std::runtime_error("Orthanc did not answer within 60 s; its log:\n" + log());
}

int OrthancServer::stop(int graceSeconds) {
  if (!running()) return 0;
  ::kill(pid_, SIGTERM);
  int status = 0;
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(graceSeconds);
  while (std::chrono::steady_clock::now() < deadline) {
    if (waitpid(pid_, &status, WNOHANG) == pid_) {
      pid_ = -1;
      return WIFEXITED(status) ? WEXITSTATUS(status) : -WTERMSIG(status);
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  ::kill(pid_, SIGKILL);
  waitpid(pid_, &status, 0);
  pid_ = -1;
  return -SIGKILL;
}

void OrthancServer::kill9() {
  if (!running()) return;
  ::kill(pid_, SIGKILL);
  int status = 0;
  waitpid(pid_, &status, 0);
  pid_ = -1;
}

int RunCommand(const std::string& commandLine, std::string* output) {
  std::string full = commandLine + " 2>&1";
  FILE* pipe = popen(full.c_str(), "r");
  if (pipe == nullptr) throw std::runtime_error("cannot run: " + commandLine);
  std::array<char, 4096> buffer{};
  std::string text;
  size_t n;
  while ((n = fread(buffer.data(), 1, buffer.size(), pipe)) > 0) text.append(buffer.data(), n);
  int status = pclose(pipe);
  if (output != nullptr) *output = std::move(text);
  return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

}  // namespace relais::test
