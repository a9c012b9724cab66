// SPDX-License-Identifier: Apache-2.0
#include "cli/suggest.h"

#include <gtest/gtest.h>

namespace custos::cli {
namespace {

TEST(Suggest, EditDistanceCountsTyposAndSwaps) {
  EXPECT_EQ(EditDistance("serch", "search"), 1u);
  EXPECT_EQ(EditDistance("chekpoint", "checkpoint"), 1u);
  EXPECT_EQ(EditDistance("improt", "import"), 1u);  // a swap
  EXPECT_EQ(EditDistance("", "log"), 3u);
  EXPECT_EQ(EditDistance("verify", "verify"), 0u);
}

TEST(Suggest, NearestOnlyWhenItLooksLikeATypo) {
  const std::vector<std::string> names = {"serve", "search", "import", "export", "verify"};
  EXPECT_EQ(Nearest("serch", names), "search");
  EXPECT_EQ(Nearest("imprt", names), "import");
  EXPECT_EQ(Nearest("verif", names), "verify");
  EXPECT_EQ(Nearest("xylophone", names), std::nullopt);
}

TEST(Suggest, FollowsSubcommandsAndSkipsOptionValues) {
  CLI::App app{"test", "custos"};
  CLI::App* log = app.add_subcommand("log", "");
  std::string data;
  log->add_option("--data", data, "");
  log->add_subcommand("checkpoint", "");
  log->add_subcommand("proof", "");
  app.add_subcommand("search", "");
  const char* typo[] = {"custos", "log", "--data", "checkpoint", "chekpoint"};
  EXPECT_EQ(UnknownCommandMessage(app, 5, typo),
            "custos log: unknown command 'chekpoint'; did you mean 'checkpoint'?\n"
            "Run 'custos log --help' for more information.");
  const char* fine[] = {"custos", "log", "checkpoint"};
  EXPECT_EQ(UnknownCommandMessage(app, 3, fine), std::nullopt);
}

}  // namespace
}  // namespace custos::cli
