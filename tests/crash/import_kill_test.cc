// SPDX-License-Identifier: Apache-2.0
// Kills `custos import jsonl` with SIGKILL at random points of a 100k-message import, restarts
// it, and proves that every message it reported as committed (through --commit-log) is
// present, that none is stored twice, and that a final re-run completes the rest.
#include <algorithm>
#include <chrono>
#include <fstream>
#include <random>
#include <set>
#include <sstream>
#include <thread>

#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include "testing/temp_dir.h"

namespace custos {
namespace {

constexpr int kMessages = 100'000;

std::string Bin() {
  const char* bin = std::getenv("CUSTOS_BIN");
  return bin != nullptr ? bin : "custos";
}

// Starts `custos args...` with stdout to `out`; returns the pid.
pid_t Spawn(const std::vector<std::string>& args, const std::string& out) {
  const pid_t pid = fork();
  if (pid == 0) {
    FILE* f = std::freopen(out.c_str(), "w", stdout);
    (void)f;
    std::vector<char*> argv;
    std::string bin = Bin();
    argv.push_back(bin.data());
    std::vector<std::string> copy = args;
    for (std::string& a : copy) {
      argv.push_back(a.data());
    }
    argv.push_back(nullptr);
    execv(bin.c_str(), argv.data());
    _exit(127);
  }
  return pid;
}

int Wait(pid_t pid) {
  int status = 0;
  waitpid(pid, &status, 0);
  return status;
}

std::string Slurp(const std::string& path) {
  std::ifstream in(path);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

// The highest N of the "committed N" lines in the commit log (0 when none).
int LastCommitted(const std::string& path) {
  std::ifstream in(path);
  std::string word;
  int n = 0;
  int last = 0;
  while (in >> word >> n) {
    if (word == "committed") {
      last = std::max(last, n);
    }
  }
  return last;
}

// The source_ids in an export, in order.
std::vector<int> ExportedIds(const std::string& data, const std::string& tmp) {
  const int status = Wait(Spawn({"export", "jsonl", "--data", data, tmp}, tmp + ".out"));
  EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0) << Slurp(tmp + ".out");
  std::ifstream in(tmp);
  std::vector<int> ids;
  std::string line;
  const std::string key = "\"source_id\":\"";
  while (std::getline(in, line)) {
    const std::size_t at = line.find(key);
    EXPECT_NE(at, std::string::npos) << line;
    ids.push_back(std::stoi(line.substr(at + key.size())));
  }
  return ids;
}

TEST(ImportCrash, SigkillAtRandomPointsLosesNothingAndDuplicatesNothing) {
  testing::TempDir dir;
  const std::string input = dir.File("messages.jsonl");
  {
    std::ofstream out(input);
    for (int i = 1; i <= kMessages; ++i) {
      out << R"({"source":"crash","source_id":")" << i << R"(","channel":"sms","conversation":"c)"
          << i % 97 << R"(","from":"+15550100)" << i % 1000
          << R"(","to":["+15550199000"],"sent_at":")"
          << "2026-10-01T00:00:00." << i % 1000 << R"(Z","direction":"inbound","text":"message )"
          << i << R"( about the quarterly numbers","attachments":[]})" << '\n';
    }
  }
  const std::string data = dir.File("data");
  const char* rounds_env = std::getenv("CUSTOS_CRASH_ROUNDS");
  const int rounds = rounds_env != nullptr ? std::atoi(rounds_env) : 6;
  std::mt19937 rng(20261122);
  // Kill points: increasing random message counts, each followed by a random extra delay so
  // the kill lands anywhere in the read-submit-commit-log cycle.
  std::vector<int> targets;
  std::uniform_int_distribution<int> where(1, kMessages - 1);
  for (int i = 0; i < rounds; ++i) {
    targets.push_back(where(rng));
  }
  std::sort(targets.begin(), targets.end());
  std::uniform_int_distribution<int> jitter_ms(0, 40);
  int kills = 0;
  for (int round = 0; round < rounds; ++round) {
    const std::string log = dir.File("commit-" + std::to_string(round) + ".log");
    const pid_t pid =
        Spawn({"import", "jsonl", input, "--data", data, "--commit-log", log, "--json"},
              dir.File("import.out"));
    int status = 0;
    bool exited = false;
    for (int polls = 0; polls < 60'000 && LastCommitted(log) < targets[round]; ++polls) {
      if (waitpid(pid, &status, WNOHANG) == pid) {
        exited = true;
        break;
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
    if (!exited) {
      std::this_thread::sleep_for(std::chrono::milliseconds(jitter_ms(rng)));
      kill(pid, SIGKILL);
      status = Wait(pid);
    }
    if (WIFSIGNALED(status)) {
      ++kills;
    }
    const int reported = LastCommitted(log);
    const std::vector<int> ids = ExportedIds(data, dir.File("export.jsonl"));
    const std::set<int> unique(ids.begin(), ids.end());
    EXPECT_EQ(unique.size(), ids.size()) << "a message is stored twice after round " << round;
    for (int i = 1; i <= reported; ++i) {
      ASSERT_TRUE(unique.count(i)) << "line " << i << " was reported committed but is missing";
    }
  }
  EXPECT_GE(kills, rounds / 2)
      << "the importer finished before most kills; the test lost its teeth";
  const int status =
      Wait(Spawn({"import", "jsonl", input, "--data", data, "--json"}, dir.File("final.out")));
  ASSERT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0) << Slurp(dir.File("final.out"));
  const std::vector<int> ids = ExportedIds(data, dir.File("export.jsonl"));
  const std::set<int> unique(ids.begin(), ids.end());
  EXPECT_EQ(ids.size(), static_cast<std::size_t>(kMessages));
  EXPECT_EQ(unique.size(), static_cast<std::size_t>(kMessages));
}

}  // namespace
}  // namespace custos
