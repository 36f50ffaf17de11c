#pragma once
// Sending test studies to a hub the way a third-party modality does: DCMTK's storescu, one
// association, TCP_NODELAY=1 (Debian's DCMTK leaves Nagle on otherwise: 11 instances/s).
#include <gtest/gtest.h>

#include <filesystem>
#include <string>
#include <vector>

#include "harness/OrthancServer.h"
#include "harness/TempDir.h"
#include "harness/TestStudies.h"

namespace relais::test {

// storescu's argument list (for ChildProcess, which needs the program's path).
inline std::vector<std::string> StoreScuArgv(const OrthancServer& hub, const std::vector<std::filesystem::path>& files,
                                             const std::string& callingAet = kTestModalityAet) {
  std::vector<std::string> argv = {"/usr/bin/storescu", "-aet", callingAet, "-aec", hub.aet(), "127.0.0.1",
                                   std::to_string(hub.dicomPort())};
  for (const auto& f : files) argv.push_back(f.string());
  return argv;
}

// Runs storescu to the end; its exit code (0: every instance stored), its output in `output`.
inline int RunStoreScu(const OrthancServer& hub, const std::vector<std::filesystem::path>& files,
                       const std::string& callingAet = kTestModalityAet, std::string* output = nullptr) {
  std::string command = "TCP_NODELAY=1";
  for (const auto& arg : StoreScuArgv(hub, files, callingAet)) command += " '" + arg + "'";
  return RunCommand(command, output);
}

inline void StoreScu(const OrthancServer& hub, const std::vector<std::filesystem::path>& files) {
  std::string output;
  ASSERT_EQ(RunStoreScu(hub, files, kTestModalityAet, &output), 0) << output;
}

// `count` instances of one study (new SOP Instance UIDs, numbered from 1) written into `dir`
// with `prefix`; their SOP Instance UIDs go to `sopUids` if given.
inline std::vector<std::filesystem::path> WriteStudy(const std::filesystem::path& dir, TestInstance spec, int count,
                                                     std::vector<std::string>* sopUids = nullptr,
                                                     const std::string& prefix = "instance-") {
  std::vector<std::filesystem::path> files;
  for (int i = 0; i < count; ++i) {
    spec.sopUid.clear();
    spec.instanceNumber = i + 1;
    auto path = dir / (prefix + std::to_string(i) + ".dcm");
    const std::string uid = WriteTestInstance(path, spec);
    if (sopUids) sopUids->push_back(uid);
    files.push_back(path);
  }
  return files;
}

}  // namespace relais::test
