// SPDX-License-Identifier: Apache-2.0
// End-to-end tests of the command line itself: --help, --version and usage errors.
#include <string>

#include <gtest/gtest.h>

#include "custos_runner.h"

namespace custos::testing {
namespace {

constexpr int kExitUsage = 64;

TEST(Usage, PrintsTheVersion) {
  const RunResult r = RunCustos({"--version"});
  EXPECT_EQ(r.exit_code, 0);
  EXPECT_EQ(r.out.rfind("custos ", 0), 0U) << r.out;
}

TEST(Usage, HasHelpOnEveryCommand) {
  for (const auto& args :
       std::vector<std::vector<std::string>>{{"--help"},
                                             {"serve", "--help"},
                                             {"import", "jsonl", "--help"},
                                             {"export", "jsonl", "--help"},
                                             {"search", "--help"},
                                             {"demo", "seed", "--help"},
                                             {"log", "checkpoint", "--help"},
                                             {"log", "public-key", "--help"},
                                             {"log", "proof", "inclusion", "--help"},
                                             {"log", "proof", "consistency", "--help"},
                                             {"log", "verify-inclusion", "--help"},
                                             {"log", "verify-consistency", "--help"},
                                             {"record", "show", "--help"},
                                             {"record", "history", "--help"},
                                             {"verify", "--help"},
                                             {"keys", "rotate", "--help"},
                                             {"retention", "run", "--help"},
                                             {"hold", "create", "--help"},
                                             {"hold", "list", "--help"},
                                             {"hold", "release", "--help"}}) {
    const RunResult r = RunCustos(args);
    EXPECT_EQ(r.exit_code, 0) << args[0];
    EXPECT_NE(r.out.find("Usage:"), std::string::npos) << args[0] << ": " << r.out;
  }
}

TEST(Usage, RejectsUnknownCommandsAndMissingArguments) {
  EXPECT_EQ(RunCustos({}).exit_code, kExitUsage);
  EXPECT_EQ(RunCustos({"frobnicate"}).exit_code, kExitUsage);
  EXPECT_EQ(RunCustos({"import"}).exit_code, kExitUsage);
  EXPECT_EQ(RunCustos({"import", "jsonl"}).exit_code, kExitUsage);
  EXPECT_EQ(RunCustos({"serve", "--listen", "nonsense"}).exit_code, kExitUsage);
  EXPECT_EQ(RunCustos({"log"}).exit_code, kExitUsage);
  EXPECT_EQ(RunCustos({"log", "proof", "inclusion"}).exit_code, kExitUsage);
  EXPECT_EQ(RunCustos({"record", "show"}).exit_code, kExitUsage);
  EXPECT_EQ(RunCustos({"hold", "release", "0"}).exit_code, kExitUsage);
}

}  // namespace
}  // namespace custos::testing
