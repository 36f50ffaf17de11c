// relais-passwd run as a program, its password given through a pipe as a script would.
#include <gtest/gtest.h>
#include <sys/wait.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "infra/UserDirectory.h"

using nlohmann::json;

namespace {

struct Run {
  int exitCode = -1;
  std::string out, err;
};

Run Passwd(const std::string& password, const std::string& arguments) {
  const auto errFile = std::filesystem::temp_directory_path() / ("relais-passwd-" + std::to_string(::getpid()) + ".err");
  const std::string command = "printf '%s\\n' '" + password + "' | " + RELAIS_PASSWD_EXECUTABLE + " " + arguments +
                              " 2>" + errFile.string();
  Run run;
  FILE* pipe = ::popen(command.c_str(), "r");
  if (pipe == nullptr) return run;
  char buffer[4096];
  size_t n;
  while ((n = fread(buffer, 1, sizeof buffer, pipe)) > 0) run.out.append(buffer, n);
  const int status = ::pclose(pipe);
  run.exitCode = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  std::stringstream err;
  err << std::ifstream(errFile).rdbuf();
  run.err = err.str();
  std::filesystem::remove(errFile);
  return run;
}

}  // namespace

TEST(RelaisPasswd, PrintsAnEntryTheHubAcceptsAndThatVerifies) {
  auto run = Passwd("Correct-Horse-7", "--user derm9 --role specialist --specialty dermatology --display-name 'Dr X'");
  ASSERT_EQ(run.exitCode, 0) << run.err;
  const auto entry = json::parse(run.out);
  auto users = relais::UserDirectory::Parse(json{{"users", {entry}}}, "users.json");
  EXPECT_TRUE(users.verify("derm9", "Correct-Horse-7"));
  EXPECT_FALSE(users.verify("derm9", "Correct-Horse-8"));
  EXPECT_EQ(users.find("derm9")->specialties, std::vector<std::string>{"dermatology"});
}

TEST(RelaisPasswd, RefusesAShortPassword) {
  auto run = Passwd("short-9", "");
  EXPECT_EQ(run.exitCode, 2);
  EXPECT_EQ(run.err, "relais-passwd: the password has 7 characters; it needs at least 10\n");
  EXPECT_EQ(run.out, "");
}

TEST(RelaisPasswd, RefusesAnUnknownRoleAndMissingAttributes) {
  auto surgeon = Passwd("Correct-Horse-7", "--user a --role surgeon");
  EXPECT_EQ(surgeon.exitCode, 2);
  EXPECT_EQ(surgeon.err, "relais-passwd: unknown role 'surgeon': one of nurse, unit, specialist, coordinator, admin, pacs\n");
  auto nurse = Passwd("Correct-Horse-7", "--user nurse9 --role nurse");
  EXPECT_EQ(nurse.exitCode, 2);
  EXPECT_EQ(nurse.err, "relais-passwd: a nurse account needs --unit (the unit's Station Name, e.g. VAN-07)\n");
  auto unit = Passwd("Correct-Horse-7", "--user unit9 --role unit");
  EXPECT_EQ(unit.exitCode, 2);
  auto specialist = Passwd("Correct-Horse-7", "--user s --role specialist");
  EXPECT_EQ(specialist.exitCode, 2);
  EXPECT_EQ(specialist.err, "relais-passwd: a specialist account needs at least one --specialty (a queue)\n");
  auto noRole = Passwd("Correct-Horse-7", "--user s");
  EXPECT_EQ(noRole.exitCode, 2);
  EXPECT_EQ(noRole.out, "");
}

TEST(RelaisPasswd, ASpecialtyMustBeAQueueOfTheRules) {
  const auto rules = std::filesystem::temp_directory_path() / ("relais-passwd-rules-" + std::to_string(::getpid()) + ".json");
  std::ofstream(rules) << R"({"rules": [{"name": "derm", "when": [{"tag": "Modality", "equals": "XC"}], "queue": "dermatology"}]})";
  auto refused = Passwd("Correct-Horse-7", "--user s --role specialist --specialty radiology --rules " + rules.string());
  EXPECT_EQ(refused.exitCode, 2);
  EXPECT_EQ(refused.err, "relais-passwd: specialty 'radiology' is not a queue of " + rules.string() +
                             " (queues: dermatology, triage)\n");
  auto accepted = Passwd("Correct-Horse-7", "--user s --role specialist --specialty dermatology --rules " + rules.string());
  EXPECT_EQ(accepted.exitCode, 0) << accepted.err;
  auto missing = Passwd("Correct-Horse-7", "--user s --role specialist --specialty dermatology --rules /nonexistent.json");
  EXPECT_EQ(missing.exitCode, 2);
  EXPECT_NE(missing.err.find("/nonexistent.json"), std::string::npos) << missing.err;
  std::filesystem::remove(rules);
}

TEST(RelaisPasswd, WithoutRulesASpecialtyMustBeAQueueTheHubKnows) {
  auto run = Passwd("Correct-Horse-7", "--user s --role specialist --specialty cardiology");
  EXPECT_EQ(run.exitCode, 2);
  EXPECT_NE(run.err.find("specialty 'cardiology' is not a queue of the hub"), std::string::npos) << run.err;
}
