// SPDX-License-Identifier: Apache-2.0
#include <filesystem>
#include <fstream>

#include <gtest/gtest.h>

#include "testing/fake_clock.h"
#include "testing/temp_dir.h"

namespace custos::testing {
namespace {

TEST(TempDir, CreatesAUniqueDirectoryAndRemovesItWithItsContents) {
  std::string path;
  {
    TempDir dir;
    TempDir other;
    path = dir.Path();
    EXPECT_NE(dir.Path(), other.Path());
    EXPECT_TRUE(std::filesystem::is_directory(path));
    EXPECT_EQ(dir.File("x.db"), path + "/x.db");
    std::filesystem::create_directory(dir.File("sub"));
    std::ofstream(dir.File("sub/file")) << "data";
  }
  EXPECT_FALSE(std::filesystem::exists(path));
}

TEST(FakeClock, MovesOnlyWhenTold) {
  FakeClock clock;
  EXPECT_EQ(clock.Now(), FakeClock::kDefaultStart);
  clock.Advance(5 * core::kMicrosPerSecond);
  EXPECT_EQ(clock.Now(), FakeClock::kDefaultStart + 5 * core::kMicrosPerSecond);
  clock.Set(42);
  EXPECT_EQ(clock.Now(), 42);
  const core::Clock& as_clock = clock;
  EXPECT_EQ(as_clock.Now(), 42);
}

}  // namespace
}  // namespace custos::testing
