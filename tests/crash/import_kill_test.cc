// SPDX-License-Identifier: Apache-2.0
// SIGKILLs a real `custos import jsonl` at 50 (CUSTOS_CRASH_ROUNDS) random points spread over a
// whole import, restarting it each time. Two kills in five wait for a commit-count target
// (read from --commit-log) plus a few milliseconds, so they land mid-transaction; two in five
// let the re-run get past everything reported before and then wait up to 250 ms, so they land
// anywhere in new work, signed checkpoints included; one in five comes up to 400 ms after
// start: while the archive opens and the re-run skips what is stored already. After every
// kill the real `custos verify` must exit 0 on the data directory, and every line the importer
// reported as committed must be stored exactly once (nothing stored twice at all). A final
// re-run completes the import. Seeded (CUSTOS_CRASH_SEED); the seed is printed.
#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <map>
#include <random>
#include <sstream>
#include <thread>

#include <fcntl.h>
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include "testing/temp_dir.h"

namespace custos {
namespace {

constexpr int kMessages = 4'000;
constexpr int kDefaultRounds = 50;
constexpr std::uint64_t kDefaultSeed = 20261122;
constexpr const char* kBatch = "50";  // messages per submitted chunk: many small commits
constexpr int kMaxJitterMs = 30;      // after a commit-count target
constexpr int kMaxFreshMs = 250;      // after the first line no earlier run reported
constexpr int kMaxStartMs = 400;      // after start

enum class KillKind { kTarget, kFresh, kStart };

std::uint64_t EnvNumber(const char* name, std::uint64_t fallback) {
  const char* value = std::getenv(name);
  return value != nullptr && *value != '\0' ? std::strtoull(value, nullptr, 10) : fallback;
}

std::string Bin() {
  const char* bin = std::getenv("CUSTOS_BIN");
  return bin != nullptr ? bin : "custos";
}

// Starts `custos args...` with stdout and stderr to `out`; returns the pid.
pid_t Spawn(const std::vector<std::string>& args, const std::string& out) {
  std::vector<std::string> copy = args;
  std::string bin = Bin();
  std::vector<char*> argv{bin.data()};
  for (std::string& a : copy) {
    argv.push_back(a.data());
  }
  argv.push_back(nullptr);
  const pid_t pid = fork();
  if (pid == 0) {
    const int fd = ::open(out.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
    ::dup2(fd, 1);
    ::dup2(fd, 2);
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

bool ExitedOk(int status) { return WIFEXITED(status) && WEXITSTATUS(status) == 0; }

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

// How many times each source_id is stored, from a real `custos export jsonl`.
std::map<int, int> StoredCounts(const std::string& data, const std::string& tmp) {
  const int status = Wait(Spawn({"export", "jsonl", "--data", data, tmp}, tmp + ".out"));
  EXPECT_TRUE(ExitedOk(status)) << Slurp(tmp + ".out");
  std::ifstream in(tmp);
  std::map<int, int> counts;
  std::string line;
  const std::string key = "\"source_id\":\"";
  while (std::getline(in, line)) {
    const std::size_t at = line.find(key);
    EXPECT_NE(at, std::string::npos) << line;
    if (at != std::string::npos) {
      ++counts[std::stoi(line.substr(at + key.size()))];
    }
  }
  return counts;
}

// `custos verify` exits 0, every line 1..reported is stored once and nothing twice.
void CheckArchive(const std::string& data, const testing::TempDir& dir, int reported) {
  const int verify = Wait(Spawn({"verify", "--data", data}, dir.File("verify.out")));
  // A kill while the very first run was still creating the directory (its key ring, database
  // and migrations) leaves no archive yet: verify then refuses clearly (66 no data directory,
  // 78 not yet migrated, or no log signing key yet) and the next writable run completes it.
  // Nothing was reported committed, so nothing can be lost; any other failure is a finding.
  if (reported == 0 && WIFEXITED(verify) &&
      (WEXITSTATUS(verify) == 66 || WEXITSTATUS(verify) == 78)) {
    return;
  }
  ASSERT_TRUE(ExitedOk(verify)) << "custos verify failed:\n" << Slurp(dir.File("verify.out"));
  const std::map<int, int> stored = StoredCounts(data, dir.File("export.jsonl"));
  for (const auto& [id, count] : stored) {
    ASSERT_EQ(count, 1) << "line " << id << " is stored " << count << " times";
  }
  for (int i = 1; i <= reported; ++i) {
    ASSERT_TRUE(stored.count(i)) << "line " << i << " was reported committed but is missing";
  }
}

void WriteInput(const std::string& path) {
  std::ofstream out(path);
  for (int i = 1; i <= kMessages; ++i) {
    out << R"({"source":"crash","source_id":")" << i << R"(","channel":"sms","conversation":"c)"
        << i % 97 << R"(","from":"+15550100)" << i % 1000
        << R"(","to":["+15550199000"],"sent_at":")"
        << "2026-10-01T00:00:00." << i % 1000 << R"(Z","direction":"inbound","text":"message )" << i
        << R"( about the quarterly numbers","attachments":[]})" << '\n';
  }
}

TEST(ImportCrash, SigkillAtRandomPointsLosesNothingAndDuplicatesNothing) {
  const std::uint64_t seed = EnvNumber("CUSTOS_CRASH_SEED", kDefaultSeed);
  // Rounds go on until `wanted` of them have killed a running import (a round whose import
  // finishes first does not count), at most twice as many rounds.
  const int wanted = static_cast<int>(EnvNumber("CUSTOS_CRASH_ROUNDS", kDefaultRounds));
  const int rounds = 2 * wanted;
  std::cout << "import kill: seed " << seed << " (CUSTOS_CRASH_SEED), " << wanted
            << " kills wanted (CUSTOS_CRASH_ROUNDS), " << kMessages << " messages\n";
  SCOPED_TRACE("CUSTOS_CRASH_SEED=" + std::to_string(seed));
  testing::TempDir dir;
  // No policy pack (a missing default pack directory): every start of the binary skips
  // compiling one, which is most of a round's time; the archive is what is under test.
  ASSERT_EQ(::setenv("CUSTOS_DEFAULT_PACK", dir.File("no-pack").c_str(), 1), 0);
  const std::string input = dir.File("messages.jsonl");
  WriteInput(input);
  // When an import completes (fast builds get through the file in a few rounds), the next
  // rounds start a fresh data directory, so that the rounds still kill running imports.
  std::string data = dir.File("data-0");
  int epochs = 1;
  std::mt19937_64 rng(seed);
  // Commit-count targets spread over the whole import, in order.
  std::vector<int> targets;
  std::uniform_int_distribution<int> where(1, kMessages * 49 / 50);
  for (int i = 0; i < rounds; ++i) {
    targets.push_back(where(rng));
  }
  std::sort(targets.begin(), targets.end());
  std::uniform_int_distribution<int> kind_of(0, 4);
  std::uniform_int_distribution<int> jitter_ms(0, kMaxJitterMs);
  std::uniform_int_distribution<int> fresh_ms(0, kMaxFreshMs);
  std::uniform_int_distribution<int> start_ms(0, kMaxStartMs);
  int kills = 0;
  int reported = 0;  // the highest line ever reported committed
  for (int round = 0; round < rounds && kills < wanted && !::testing::Test::HasFatalFailure();
       ++round) {
    if (reported >= kMessages) {
      data = dir.File("data-" + std::to_string(epochs++));
      reported = 0;
    }
    const std::string log = dir.File("commit-" + std::to_string(round) + ".log");
    // 0, 1: at a commit-count target; 2, 3: into new work, past what earlier runs reported;
    // 4: after a delay from start.
    const int k = kind_of(rng);
    const KillKind kind = k <= 1 ? KillKind::kTarget : k <= 3 ? KillKind::kFresh : KillKind::kStart;
    const int wait_ms = kind == KillKind::kTarget  ? jitter_ms(rng)
                        : kind == KillKind::kFresh ? fresh_ms(rng)
                                                   : start_ms(rng);
    const int line = kind == KillKind::kTarget  ? targets[round]
                     : kind == KillKind::kFresh ? reported + 1
                                                : 0;
    const pid_t pid = Spawn({"import", "jsonl", input, "--data", data, "--batch", kBatch,
                             "--commit-log", log, "--json"},
                            dir.File("import.out"));
    int status = 0;
    bool exited = false;
    while (!exited && LastCommitted(log) < line) {
      exited = waitpid(pid, &status, WNOHANG) == pid;
      std::this_thread::sleep_for(std::chrono::milliseconds(2));
    }
    if (!exited) {
      std::this_thread::sleep_for(std::chrono::milliseconds(wait_ms));
      kill(pid, SIGKILL);
      status = Wait(pid);
    }
    kills += WIFSIGNALED(status) ? 1 : 0;
    const int now = LastCommitted(log);
    reported = std::max(reported, now);
    SCOPED_TRACE("round " + std::to_string(round) + ": killed " + std::to_string(wait_ms) +
                 " ms after " + (line > 0 ? "line " + std::to_string(line) : "start") +
                 "; reported committed through line " + std::to_string(now));
    if (!WIFSIGNALED(status)) {
      ASSERT_TRUE(ExitedOk(status)) << Slurp(dir.File("import.out"));
    }
    CheckArchive(data, dir, reported);
  }
  std::cout << "import kill: " << kills << " SIGKILLs over " << epochs
            << " data directories, lines 1.." << reported
            << " reported committed before the final run\n";
  EXPECT_GE(kills, wanted) << "the importer finished before most kills; the test lost its teeth";
  const int status =
      Wait(Spawn({"import", "jsonl", input, "--data", data, "--json"}, dir.File("final.out")));
  ASSERT_TRUE(ExitedOk(status)) << Slurp(dir.File("final.out"));
  CheckArchive(data, dir, kMessages);
  EXPECT_EQ(StoredCounts(data, dir.File("export.jsonl")).size(),
            static_cast<std::size_t>(kMessages));
}

}  // namespace
}  // namespace custos
