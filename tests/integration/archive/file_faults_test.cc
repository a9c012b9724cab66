// SPDX-License-Identifier: Apache-2.0
// core::FileSystem::WriteFileAtomic and its real callers (the log signer key, the log head) under
// the faults of testing::FaultFileSystem: a failed write, fsync, rename or directory fsync is
// reported naming the path, and the previous file is left intact; a power loss before the directory
// fsync leaves the old file or the new one, never a mixture.
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>

#include <gtest/gtest.h>
#include <sys/stat.h>

#include "archive/log_head.h"
#include "archive/log_signer.h"
#include "core/fs.h"
#include "testing/fault_file_system.h"
#include "testing/temp_dir.h"

namespace custos {
namespace {

using Op = testing::FaultFileSystem::Op;

std::string Slurp(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
}

// The names in `dir`, so that a test can see no temporary file was left behind.
std::size_t EntryCount(const std::string& dir) {
  std::size_t n = 0;
  for ([[maybe_unused]] const auto& e : std::filesystem::directory_iterator(dir)) {
    ++n;
  }
  return n;
}

TEST(WriteFileAtomic, ReplacesTheFileWithTheGivenModeAndLeavesNoTemporaryFile) {
  testing::TempDir dir;
  core::FileSystem& fs = core::LocalFileSystem();
  ASSERT_TRUE(fs.WriteFileAtomic(dir.File("f"), "one", {.mode = 0600}).ok());
  ASSERT_TRUE(fs.WriteFileAtomic(dir.File("f"), "two", {.mode = 0600}).ok());
  EXPECT_EQ(Slurp(dir.File("f")), "two");

  struct stat st {};

  ASSERT_EQ(::stat(dir.File("f").c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600u);
  EXPECT_EQ(EntryCount(dir.Path()), 1u);
}

TEST(WriteFileAtomic, ExclusiveCreateRefusesAnExistingFileAndKeepsIt) {
  testing::TempDir dir;
  core::FileSystem& fs = core::LocalFileSystem();
  ASSERT_TRUE(fs.WriteFileAtomic(dir.File("f"), "first", {.exclusive = true}).ok());
  const core::Status again = fs.WriteFileAtomic(dir.File("f"), "second", {.exclusive = true});
  EXPECT_EQ(again.code(), core::StatusCode::kAlreadyExists);
  EXPECT_EQ(Slurp(dir.File("f")), "first");
  EXPECT_EQ(EntryCount(dir.Path()), 1u);
}

TEST(WriteFileAtomic, ReportsAMissingDirectoryWithThePath) {
  testing::TempDir dir;
  const core::Status s = core::LocalFileSystem().WriteFileAtomic(dir.File("no/such/f"), "x");
  EXPECT_EQ(s.code(), core::StatusCode::kInternal);
  EXPECT_NE(s.message().find(dir.File("no/such/f")), std::string::npos) << s.message();
}

TEST(ReadFile, EnforcesTheSizeLimitAndTellsAMissingFileApart) {
  testing::TempDir dir;
  core::FileSystem& fs = core::LocalFileSystem();
  ASSERT_TRUE(fs.WriteFileAtomic(dir.File("f"), std::string(100, 'a')).ok());
  EXPECT_EQ(fs.ReadFile(dir.File("f"), 100).value(), std::string(100, 'a'));
  EXPECT_EQ(fs.ReadFile(dir.File("f"), 99).error().code(), core::StatusCode::kInvalidArgument);
  EXPECT_EQ(fs.ReadFile(dir.File("g"), 99).error().code(), core::StatusCode::kNotFound);
}

TEST(MakePrivateDir, CreatesParentsWithMode0700) {
  testing::TempDir dir;
  ASSERT_TRUE(core::LocalFileSystem().MakePrivateDir(dir.File("a/b")).ok());

  struct stat st {};

  ASSERT_EQ(::stat(dir.File("a/b").c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0700u);
}

// Each single fault of an atomic replace fails it and leaves the old content, no temp file.
TEST(WriteFileAtomic, EveryInjectedFaultLeavesTheOldFileIntact) {
  for (const Op op : {Op::kCreate, Op::kAppend, Op::kSync, Op::kRename}) {
    testing::TempDir dir;
    testing::FaultFileSystem fs;
    ASSERT_TRUE(fs.WriteFileAtomic(dir.File("f"), "old content").ok());
    fs.Fail(op);
    const core::Status s = fs.WriteFileAtomic(dir.File("f"), "new content that is longer");
    EXPECT_EQ(s.code(), core::StatusCode::kInternal) << static_cast<int>(op);
    EXPECT_EQ(Slurp(dir.File("f")), "old content") << static_cast<int>(op);
    EXPECT_EQ(EntryCount(dir.Path()), 1u) << static_cast<int>(op);
  }
}

TEST(WriteFileAtomic, APowerLossBeforeTheDirectorySyncLeavesTheOldFile) {
  testing::TempDir dir;
  testing::FaultFileSystem fs;
  ASSERT_TRUE(fs.WriteFileAtomic(dir.File("f"), "old").ok());
  fs.Fail(Op::kSyncDir);  // the rename happened, but was never made durable
  EXPECT_EQ(fs.WriteFileAtomic(dir.File("f"), "new").code(), core::StatusCode::kInternal);
  EXPECT_EQ(Slurp(dir.File("f")), "new");  // visible before the power loss...
  fs.PowerCut();
  fs.DropUnsynced();
  EXPECT_EQ(Slurp(dir.File("f")), "old");  // ...but not after it
}

TEST(WriteFileAtomic, AWriteThatReturnedOkSurvivesAPowerLoss) {
  testing::TempDir dir;
  testing::FaultFileSystem fs;
  ASSERT_TRUE(fs.WriteFileAtomic(dir.File("f"), "old").ok());
  ASSERT_TRUE(fs.WriteFileAtomic(dir.File("f"), "new").ok());
  fs.PowerCut();
  fs.DropUnsynced();
  EXPECT_EQ(Slurp(dir.File("f")), "new");
}

TEST(LogHeadFaults, AFailedRenameReportsThePathAndKeepsTheOldHead) {
  testing::TempDir dir;
  testing::FaultFileSystem fs;
  ASSERT_TRUE(archive::WriteLogHead(dir.File("latest-checkpoint"), "head 1\n", fs).ok());
  fs.Fail(Op::kRename);
  const core::Status s = archive::WriteLogHead(dir.File("latest-checkpoint"), "head 2\n", fs);
  EXPECT_EQ(s.code(), core::StatusCode::kInternal);
  EXPECT_NE(s.message().find("latest-checkpoint"), std::string::npos) << s.message();
  EXPECT_EQ(Slurp(dir.File("latest-checkpoint")), "head 1\n");
  EXPECT_EQ(EntryCount(dir.Path()), 1u);
}

TEST(LogSignerFaults, APowerLossBeforeTheDirectorySyncLosesTheNewKeyCleanly) {
  testing::TempDir dir;
  testing::FaultFileSystem fs;
  fs.Fail(Op::kSyncDir);
  auto signer = archive::LoadOrCreateLogSigner(dir.File("log-signer"), "custos/0000", fs);
  ASSERT_FALSE(signer.has_value());
  EXPECT_EQ(signer.error().code(), core::StatusCode::kInternal);
  fs.PowerCut();
  fs.DropUnsynced();
  EXPECT_FALSE(std::filesystem::exists(dir.File("log-signer")));
  // After the "reboot" a fresh key is created as if nothing had happened.
  auto again = archive::LoadOrCreateLogSigner(dir.File("log-signer"), "custos/0000");
  ASSERT_TRUE(again.has_value()) << again.error().message();
  EXPECT_EQ(again->Name(), "custos/0000");
}

}  // namespace
}  // namespace custos
