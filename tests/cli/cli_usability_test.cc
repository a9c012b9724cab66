// SPDX-License-Identifier: Apache-2.0
// The command line's first five minutes (issue 13, items 19, 20 and 22) through the real
// binary: a mistyped command is named with the nearest one at every level; integer arguments
// are refused with human messages (never CLI11's 309-digit range); `serve --listen PORT`;
// `export` of an unknown conversation fails and leaves no file; `import runs` with none;
// `policy check --channel` takes only known channels; a backtest lists every candidate rule.
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <string>
#include <thread>
#include <vector>

#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/socket.h>
#include <unistd.h>

#include "custos_runner.h"
#include "testing/temp_dir.h"

namespace custos::testing {
namespace {

namespace fs = std::filesystem;

constexpr int kExitUsage = 64;
constexpr int kExitNoInput = 66;

std::string PolicyData(const std::string& name) {
  const char* dir = std::getenv("CUSTOS_SOURCE_DIR");
  return std::string(dir != nullptr ? dir : ".") + "/tests/data/policy/" + name;
}

// A data directory holding `n` messages (records 1..n+k with the default pack's record).
std::string SeededData(const TempDir& dir, int n) {
  const std::string data = dir.File("data");
  std::string lines;
  for (int i = 1; i <= n; ++i) {
    lines += MessageLine(i) + "\n";
  }
  WriteFile(dir.File("in.jsonl"), lines);
  const RunResult r = RunCustos({"import", "jsonl", dir.File("in.jsonl"), "--data", data});
  EXPECT_EQ(r.exit_code, 0) << r.out << r.err;
  return data;
}

TEST(CliUsability, SuggestsTheNearestCommandAtEveryLevel) {
  struct Case {
    std::vector<std::string> args;
    std::string unknown;
    std::string suggestion;
  };

  for (const Case& c : std::vector<Case>{
           {{"serch", "foo"}, "custos: unknown command 'serch'", "did you mean 'search'?"},
           {{"improt", "jsonl", "x"}, "custos: unknown command 'improt'", "did you mean 'import'?"},
           {{"log", "chekpoint"},
            "custos log: unknown command 'chekpoint'",
            "did you mean 'checkpoint'?"},
           {{"log", "proof", "inclusoin", "3"},
            "custos log proof: unknown command 'inclusoin'",
            "did you mean 'inclusion'?"},
           {{"record", "shwo", "1"},
            "custos record: unknown command 'shwo'",
            "did you mean 'show'?"},
           {{"tokens", "crate", "--role", "admin"},
            "custos tokens: unknown command 'crate'",
            "did you mean 'create'?"},
       }) {
    const RunResult r = RunCustos(c.args);
    EXPECT_EQ(r.exit_code, kExitUsage) << c.args[0];
    EXPECT_NE(r.err.find(c.unknown), std::string::npos) << r.err;
    EXPECT_NE(r.err.find(c.suggestion), std::string::npos) << r.err;
    EXPECT_EQ(r.err.find("A subcommand is required"), std::string::npos) << r.err;
  }
  // Nothing near: the list of commands instead of a guess.
  const RunResult far = RunCustos({"xylophone"});
  EXPECT_EQ(far.exit_code, kExitUsage);
  EXPECT_NE(far.err.find("unknown command 'xylophone'; the commands are: serve, import"),
            std::string::npos)
      << far.err;
  // An option's value is not taken for a command; a correct command line is not touched.
  const RunResult value = RunCustos({"search", "--limit", "serch", "x"});
  EXPECT_EQ(value.exit_code, kExitUsage);
  EXPECT_EQ(value.err.find("unknown command"), std::string::npos) << value.err;
}

TEST(CliUsability, IntegerArgumentsGetHumanMessages) {
  TempDir dir;
  const std::string data = SeededData(dir, 2);

  struct Case {
    std::vector<std::string> args;
    std::string message;
  };

  for (const Case& c : std::vector<Case>{
           {{"record", "show", "abc"}, "record id must be a positive integer, got 'abc'"},
           {{"record", "show", "0"}, "record id must be a positive integer, got '0'"},
           {{"record", "show", "-3"}, "record id must be a positive integer, got '-3'"},
           {{"record", "show", "99999999999999999999"},
            "record id must be a positive integer, got '99999999999999999999'"},
           {{"record", "history", "1.5"}, "message id must be a positive integer, got '1.5'"},
           {{"hold", "release", "abc"}, "hold id must be a positive integer, got 'abc'"},
           {{"log", "proof", "inclusion", "x"}, "record id must be a positive integer, got 'x'"},
           {{"log", "proof", "inclusion", "1", "--tree-size", "0"},
            "--tree-size must be a positive integer, got '0'"},
           {{"log", "proof", "consistency", "1", "two"},
            "new size must be a positive integer, got 'two'"},
           {{"tokens", "revoke", "first"}, "token id must be a positive integer, got 'first'"},
           {{"search", "x", "--limit", "5000"},
            "--limit must be an integer from 1 to 1000, got '5000'"},
           {{"import", "jsonl", "-", "--batch", "0"},
            "--batch must be an integer from 1 to 100000, got '0'"},
       }) {
    std::vector<std::string> args = c.args;
    args.insert(args.end(), {"--data", data});
    const RunResult r = RunCustos(args);
    EXPECT_EQ(r.exit_code, kExitUsage) << c.args[0] << " " << c.args[1] << ": " << r.err;
    EXPECT_NE(r.err.find(c.message), std::string::npos) << r.err;
    EXPECT_EQ(r.err.find("179769"), std::string::npos) << r.err;  // DBL_MAX's digits
  }
  // A well-formed id that is not there says which ids are.
  const RunResult missing = RunCustos({"record", "show", "999", "--data", data});
  EXPECT_EQ(missing.exit_code, kExitNoInput);
  EXPECT_NE(missing.err.find("no record 999: the log has records 1.."), std::string::npos)
      << missing.err;
  EXPECT_EQ(RunCustos({"record", "show", "1", "--data", data}).exit_code, 0);
}

// A port no one listens on now.
int FreePort() {
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  ::bind(fd, reinterpret_cast<const sockaddr*>(&addr), sizeof addr);
  socklen_t len = sizeof addr;
  ::getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len);
  ::close(fd);
  return ntohs(addr.sin_port);
}

TEST(CliUsability, ServeTakesABarePortAsLoopback) {
  TempDir dir;
  const int port = FreePort();
  const std::string out = dir.File("serve.out");
  const pid_t pid =
      StartCustos({"serve", "--data", dir.File("data"), "--listen", std::to_string(port)}, out,
                  dir.File("serve.err"));
  const std::string expected = "custos: listening on http://127.0.0.1:" + std::to_string(port);
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
  while (ReadFile(out).find(expected) == std::string::npos &&
         std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  EXPECT_NE(ReadFile(out).find(expected), std::string::npos)
      << ReadFile(out) << ReadFile(dir.File("serve.err"));
  ::kill(pid, SIGTERM);
  EXPECT_EQ(WaitExit(pid), 0);
  const RunResult bad = RunCustos({"serve", "--data", dir.File("data"), "--listen", "80x"});
  EXPECT_EQ(bad.exit_code, kExitUsage);
  EXPECT_NE(bad.err.find("expected ADDR:PORT or PORT"), std::string::npos) << bad.err;
}

TEST(CliUsability, ExportOfAnUnknownConversationFailsAndLeavesNoFile) {
  TempDir dir;
  const std::string data = SeededData(dir, 2);
  const std::string file = dir.File("out.jsonl");
  const RunResult r =
      RunCustos({"export", "jsonl", file, "--query", "conversation:+447700999999", "--data", data});
  EXPECT_EQ(r.exit_code, kExitNoInput) << r.err;
  EXPECT_NE(r.err.find("no conversation \"+447700999999\""), std::string::npos) << r.err;
  EXPECT_FALSE(fs::exists(file));
  EXPECT_FALSE(fs::exists(file + ".tmp"));
  // With words to search for too, and to standard output.
  const RunResult words =
      RunCustos({"export", "jsonl", "--query", "quarterly conversation:nobody", "--data", data});
  EXPECT_EQ(words.exit_code, kExitNoInput) << words.err;
  EXPECT_TRUE(words.out.empty()) << words.out;
  // The conversation that exists still exports.
  const RunResult ok =
      RunCustos({"export", "jsonl", file, "--query", "conversation:+447700900001", "--data", data});
  EXPECT_EQ(ok.exit_code, 0) << ok.err;
  EXPECT_TRUE(fs::exists(file));
}

TEST(CliUsability, ImportRunsSaysWhenThereAreNone) {
  TempDir dir;
  const std::string data = dir.File("data");
  ASSERT_EQ(RunCustos({"policy", "apply", PolicyData("small"), "--data", data}).exit_code, 0);
  const RunResult r = RunCustos({"import", "runs", "--data", data});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("no import runs"), std::string::npos) << r.out;
}

TEST(CliUsability, PolicyCheckRefusesUnknownChannels) {
  const RunResult r =
      RunCustos({"policy", "check", PolicyData("small"), "--text", "hello", "--channel", "pigeon"});
  EXPECT_EQ(r.exit_code, kExitUsage);
  EXPECT_NE(r.err.find("unknown channel \"pigeon\""), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("whatsapp"), std::string::npos) << r.err;  // the valid ones are listed
  EXPECT_EQ(
      RunCustos({"policy", "check", PolicyData("small"), "--text", "hello", "--channel", "sms"})
          .exit_code,
      0);
}

TEST(CliUsability, BacktestListsCandidateRulesWithoutHits) {
  TempDir dir;
  const std::string data = SeededData(dir, 3);  // nothing in it hits the small pack
  const RunResult r =
      RunCustos({"policy", "backtest", PolicyData("small"), "--data", data, "--since", "10y"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  for (const char* rule : {"data.card", "data.iban-redact", "promissory.guarantee"}) {
    const std::size_t at = r.out.find(rule);
    ASSERT_NE(at, std::string::npos) << rule << "\n" << r.out;
    const std::string row = r.out.substr(at, r.out.find('\n', at) - at);
    EXPECT_NE(row.find(" 0 "), std::string::npos) << row;
  }
}

}  // namespace
}  // namespace custos::testing
