#include "infra/LiveUserDirectory.h"

#include <gtest/gtest.h>

#include <fstream>
#include <thread>
#include <vector>

#include "domain/ConfigError.h"

using namespace relais;
using nlohmann::json;

namespace {

struct UsersFile {
  std::filesystem::path path = std::filesystem::temp_directory_path() /
                               ("relais-live-users-" + std::to_string(::getpid()) + "-" +
                                ::testing::UnitTest::GetInstance()->current_test_info()->name() + ".json");
  ~UsersFile() { std::filesystem::remove(path); }
  void write(const std::vector<std::string>& names) const {
    json users = json::array();
    for (const auto& n : names) {
      users.push_back({{"name", n}, {"passwordHash", HashPasswordForTests(n + "-pass")}, {"role", "coordinator"}});
    }
    writeText(json{{"users", users}}.dump());
  }
  void writeText(const std::string& text) const {
    // Another size or a later time: the change is seen even within one clock tick.
    std::ofstream(path) << text;
    std::filesystem::last_write_time(path, std::filesystem::last_write_time(path) + std::chrono::seconds(1));
  }
};

}  // namespace

TEST(LiveUserDirectory, SeesAnAddedAndARemovedAccountWithoutARestart) {
  UsersFile file;
  file.write({"coord"});
  std::vector<std::string> log;
  LiveUserDirectory users;
  users.watch(file.path.string(), [&](const std::string& line) { log.push_back(line); }, std::chrono::milliseconds(0));
  EXPECT_TRUE(users.find("coord"));
  EXPECT_FALSE(users.find("coord2"));
  auto before = users.current();

  file.write({"coord", "coord2"});
  EXPECT_TRUE(users.find("coord2"));
  ASSERT_EQ(log.size(), 1u);
  EXPECT_EQ(log[0], "Relais: users file " + file.path.string() + " reloaded: 2 accounts");
  // A request that took the directory before the reload finishes with it.
  EXPECT_FALSE(before->find("coord2"));

  file.write({"coord2"});
  EXPECT_FALSE(users.find("coord"));
  EXPECT_TRUE(users.current()->verify("coord2", "coord2-pass"));
}

TEST(LiveUserDirectory, ABrokenFileKeepsTheAccountsLoadedBeforeAndSaysWhy) {
  UsersFile file;
  file.write({"coord"});
  std::vector<std::string> log;
  LiveUserDirectory users;
  users.watch(file.path.string(), [&](const std::string& line) { log.push_back(line); }, std::chrono::milliseconds(0));
  file.writeText(R"({"users": [{"name": "coord", "role": "coordinator"}]})");
  EXPECT_TRUE(users.find("coord"));
  ASSERT_EQ(log.size(), 1u);
  EXPECT_EQ(log[0], "Relais: users file not reloaded: " + file.path.string() +
                        ": users[0].passwordHash: expected a non-empty string; keeping the 1 accounts loaded before");
  EXPECT_TRUE(users.find("coord"));
  EXPECT_EQ(log.size(), 1u) << "an unchanged broken file is reported once";

  std::filesystem::remove(file.path);
  EXPECT_TRUE(users.find("coord"));
  EXPECT_NE(log.back().find("cannot be read; keeping the 1 accounts"), std::string::npos) << log.back();
}

TEST(LiveUserDirectory, LooksAtTheFileAtMostEveryInterval) {
  UsersFile file;
  file.write({"coord"});
  LiveUserDirectory users;
  users.watch(file.path.string(), [](const std::string&) {}, std::chrono::hours(1));
  file.write({"coord", "coord2"});
  EXPECT_FALSE(users.find("coord2"));
}

TEST(LiveUserDirectory, ABrokenFileAtStartIsAConfigError) {
  UsersFile file;
  file.writeText("{");
  LiveUserDirectory users;
  EXPECT_THROW(users.watch(file.path.string(), [](const std::string&) {}), ConfigError);
}
