// A full disk on the unit, on a small tmpfs mounted for the test (the tests run as root here
// and in CI; where mounting is not allowed they are skipped, saying why). The disk is filled
// with a file until it holds less than the capture needs: relais-capture must say so plainly
// and leave no partial (.part) file and no folder it made behind.
#include <gtest/gtest.h>
#include <sys/mount.h>

#include <fstream>

#include "CaptureFixture.h"
#include "DicomInspection.h"
#include "TestImages.h"
#include "outbox/Outbox.h"

namespace relais::capture::test {
namespace {
namespace fs = std::filesystem;

class FullDisk : public ::testing::Test {
 protected:
  relais::test::TempDir dir{"relais-full-disk"};
  fs::path disk = dir / "disk";
  bool mounted = false;

  void SetUp() override {
    fs::create_directories(disk);
    if (::mount("tmpfs", disk.c_str(), "tmpfs", 0, "size=16m") != 0) {
      GTEST_SKIP() << "cannot mount a tmpfs here (" << std::strerror(errno) << "): needs root";
    }
    mounted = true;
  }
  void TearDown() override {
    if (mounted) ::umount2(disk.c_str(), MNT_DETACH);
  }

  // Writes a file of zeros until `leave` bytes remain free on the disk.
  void fillLeaving(std::uintmax_t leave) {
    const std::uintmax_t free = fs::space(disk).available;
    ASSERT_GT(free, leave);
    std::ofstream filler(disk / "filler", std::ios::binary | std::ios::app);
    const std::string block(64 * 1024, '\0');
    for (std::uintmax_t left = free - leave; left > 0;) {
      const std::uintmax_t n = std::min<std::uintmax_t>(left, block.size());
      filler.write(block.data(), static_cast<std::streamsize>(n));
      left -= n;
    }
  }

  fs::path photo() {
    const fs::path path = dir / "IMG_1.jpg";
    writeFile(path.string(), encodeJpeg(uprightPattern(1024, 768)));
    return path;
  }

  std::string command(const std::string& destination, const fs::path& input) const {
    return std::string(RELAIS_CAPTURE_TOOL) + " photo --patient-id PAT-1 --specialty dermatology --config " +
           quote((fs::path(RELAIS_SOURCE_DIR) / "config" / "capture").string()) + " " + destination + " " +
           quote(input.string());
  }

  // Every file and folder on the disk but the filler.
  std::vector<std::string> leftOnDisk() const {
    std::vector<std::string> left;
    for (const auto& entry : fs::recursive_directory_iterator(disk)) {
      const std::string name = fs::relative(entry.path(), disk).string();
      if (name != "filler") left.push_back(name);
    }
    std::sort(left.begin(), left.end());
    return left;
  }
};

TEST_F(FullDisk, CaptureIntoAFolderSaysHowMuchToFreeAndLeavesNothing) {
  const fs::path input = photo();
  fillLeaving(fs::file_size(input) / 2);
  const CommandOutput run = runCommand(command("--out " + quote((disk / "studies" / "today").string()), input));
  EXPECT_EQ(run.exitCode, 1) << run.output;
  EXPECT_NE(run.output.find("the disk of " + (disk / "studies" / "today").string() + " is full: free 1 MB needed"),
            std::string::npos)
      << run.output;
  EXPECT_EQ(leftOnDisk(), std::vector<std::string>{}) << "a partial file or a folder was left";
}

TEST_F(FullDisk, CaptureIntoTheOutboxSaysItsDiskIsFullAndLeavesItAsItWas) {
  const fs::path box = disk / "outbox";
  { outbox::Outbox created(box); }
  const std::vector<std::string> before = leftOnDisk();
  const fs::path input = photo();
  // Room for the staged study, not for the outbox's copy of it as well.
  fillLeaving(fs::file_size(input) * 3 / 2);
  const CommandOutput run = runCommand(command("--outbox " + quote(box.string()), input));
  EXPECT_EQ(run.exitCode, 1) << run.output;
  EXPECT_NE(run.output.find("the outbox's disk is full: free 1 MB needed"), std::string::npos) << run.output;
  std::vector<std::string> after = leftOnDisk();
  after.erase(std::remove_if(after.begin(), after.end(),
                             [](const std::string& name) { return name.rfind("outbox/outbox.db", 0) == 0; }),
              after.end());
  std::vector<std::string> expected = before;
  expected.erase(std::remove_if(expected.begin(), expected.end(),
                                [](const std::string& name) { return name.rfind("outbox/outbox.db", 0) == 0; }),
                 expected.end());
  EXPECT_EQ(after, expected) << "a partial file, a staged study or a folder was left";
  outbox::Outbox outbox(box);
  EXPECT_TRUE(outbox.studies().empty());
}

}  // namespace
}  // namespace relais::capture::test
