// SPDX-License-Identifier: Apache-2.0
// The durable cursor across SIGKILL (docs/ingest.md, "Durable cursors"; docs/crash-safety.md).
// A forked child opens a real data directory, starts a LogConsumerWorker whose consumer appends
// every record it is handed to a sink file (fsynced before Consume returns, as a real
// consumer's side effect must be), and commits messages through the ingest service, logging
// each commit. The parent SIGKILLs it, then a restarted consumer catches up. Checked after
// every kill and at the end: every record up to the stored cursor is in the sink; each run
// starts exactly after the cursor it found; at the end every record of the log and every
// committed message was consumed, none skipped; repeats (at-least-once) are counted and are at
// most one unacknowledged batch per kill.
//
// KilledBetweenCommitAndConsume is deterministic: the consumer blocks inside its first batch
// while 200 messages commit. SigkillAtRandomPoints kills CUSTOS_CRASH_ROUNDS (12) children at
// random points (seeded: CUSTOS_CRASH_SEED, printed).
#include <chrono>
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <map>
#include <random>
#include <set>
#include <sstream>
#include <thread>

#include <fcntl.h>
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include "app/cursor/consumer_worker.h"
#include "app/cursor/cursor_runner.h"
#include "app/custos.h"
#include "storage/sqlite/sqlite_database.h"
#include "testing/temp_dir.h"

namespace custos {
namespace {

using std::chrono::milliseconds;

constexpr int kBatchMessages = 20;  // messages per Ingest call
constexpr int kConsumerBatch = 50;  // records per Consume call, at most

std::uint64_t EnvNumber(const char* name, std::uint64_t fallback) {
  const char* value = std::getenv(name);
  return value != nullptr && *value != '\0' ? std::strtoull(value, nullptr, 10) : fallback;
}

[[noreturn]] void Die(const std::string& what) {
  std::cerr << "child: " << what << std::endl;
  _exit(2);
}

void AppendLine(int fd, const std::string& text) {
  if (::write(fd, text.data(), text.size()) != static_cast<ssize_t>(text.size()) ||
      ::fdatasync(fd) != 0) {
    Die("cannot write " + text);
  }
}

// Appends "rec <position> <kind> <message_id>" per record with one write and an fdatasync;
// then waits `delay`, or blocks for good when `block` (the kill comes while it waits).
class SinkConsumer final : public app::LogConsumer {
 public:
  SinkConsumer(int fd, milliseconds delay, bool block) : fd_(fd), delay_(delay), block_(block) {}

  std::string_view Name() const override { return "crash-sink"; }

  core::Status Consume(const std::vector<app::CommittedRecord>& batch) override {
    std::string text;
    for (const app::CommittedRecord& r : batch) {
      text += "rec " + std::to_string(r.position) + " " + r.kind + " " +
              std::to_string(r.message_id) + "\n";
    }
    AppendLine(fd_, text);
    while (block_) {
      std::this_thread::sleep_for(std::chrono::seconds(1));
    }
    std::this_thread::sleep_for(delay_);
    return core::Status::Ok();
  }

 private:
  const int fd_;
  const milliseconds delay_;
  const bool block_;
};

struct Files {
  std::string data;     // the data directory
  std::string sink;     // what the consumer was handed, over all runs
  std::string commits;  // "committed <n>" after each Ingest returned
};

std::unique_ptr<storage::Database> OpenDb(const Files& f) {
  auto db = storage::OpenSqlite(f.data + "/custos.db");
  if (!db.has_value()) {
    Die("open: " + db.error().ToString());
  }
  return std::move(db).value();
}

// The writer child: consumer running, messages committed until `messages` (then it waits to be
// killed). Never returns.
[[noreturn]] void RunWriter(const Files& f, const std::string& prefix, int messages,
                            milliseconds delay, bool block) {
  app::OpenOptions options;
  options.data_dir = f.data;
  options.default_policy_pack = app::kNoPolicyPack;  // the cursor is under test, not the policy
  auto custos = app::Custos::Open(options);
  if (!custos.has_value()) {
    Die("Custos::Open: " + custos.error().ToString());
  }
  const std::unique_ptr<storage::Database> db = OpenDb(f);
  const int sink = ::open(f.sink.c_str(), O_WRONLY | O_CREAT | O_APPEND, 0600);
  const int commits = ::open(f.commits.c_str(), O_WRONLY | O_CREAT | O_APPEND, 0600);
  core::SystemClock clock;
  // As the composition root runs its consumers: woken after each commit, polling besides.
  std::vector<std::unique_ptr<app::LogConsumer>> consumers;
  consumers.push_back(std::make_unique<SinkConsumer>(sink, delay, block));
  app::CursorOptions cursor;
  cursor.batch_size = kConsumerBatch;
  cursor.poll = milliseconds(50);
  app::LogConsumerWorker worker(db.get(), &clock, &(*custos)->ingest(), std::move(consumers),
                                cursor);
  const core::Result<std::int64_t> start = worker.runners()[0]->Position();
  if (!start.has_value()) {
    Die("position: " + start.error().ToString());
  }
  AppendLine(sink, "start " + std::to_string(*start) + "\n");
  if (core::Status s = worker.Start(); !s.ok()) {
    Die("start: " + s.ToString());
  }
  for (int n = 0; n < messages; n += kBatchMessages) {
    std::vector<model::Message> batch;
    for (int i = n; i < n + kBatchMessages; ++i) {
      model::Message m;
      m.source = "crash";
      m.source_id = prefix + std::to_string(i);
      m.channel = "sms";
      m.conversation = "c" + std::to_string(i % 7);
      m.from = "+15550100" + std::to_string(i % 100);
      m.sent_at = 1'790'000'000'000'000 + i;
      m.direction = model::Direction::kInbound;
      m.text = "message " + std::to_string(i);
      batch.push_back(std::move(m));
    }
    for (const app::IngestOutcome& o : (*custos)->ingest().Ingest(std::move(batch))) {
      if (o.status != app::IngestStatus::kAccepted) {
        Die("ingest: " + o.error);
      }
    }
    AppendLine(commits, "committed " + std::to_string(n + kBatchMessages) + "\n");
  }
  while (true) {
    std::this_thread::sleep_for(std::chrono::seconds(1));
  }
}

// The restarted consumer alone: catches up with the whole log, then exits 0.
[[noreturn]] void RunCatchUp(const Files& f) {
  const std::unique_ptr<storage::Database> db = OpenDb(f);
  const int sink = ::open(f.sink.c_str(), O_WRONLY | O_CREAT | O_APPEND, 0600);
  core::SystemClock clock;
  SinkConsumer consumer(sink, milliseconds(0), false);
  app::CursorOptions cursor;
  cursor.batch_size = kConsumerBatch;
  app::CursorRunner runner(db.get(), &clock, &consumer, cursor);
  const core::Result<std::int64_t> start = runner.Position();
  if (!start.has_value()) {
    Die("position: " + start.error().ToString());
  }
  AppendLine(sink, "start " + std::to_string(*start) + "\n");
  while (true) {
    core::Result<std::size_t> n = runner.RunOnce();
    if (!n.has_value()) {
      Die("catch-up: " + n.error().ToString());
    }
    if (*n == 0) {
      _exit(0);
    }
  }
}

template <typename Fn>
pid_t Fork(Fn fn) {
  const pid_t pid = ::fork();
  if (pid == 0) {
    fn();
  }
  return pid;
}

int Wait(pid_t pid) {
  int status = 0;
  ::waitpid(pid, &status, 0);
  return status;
}

int CountLines(const std::string& path, const std::string& word) {
  std::ifstream in(path);
  std::string line;
  int n = 0;
  while (std::getline(in, line)) {
    n += line.rfind(word + " ", 0) == 0 ? 1 : 0;
  }
  return n;
}

// The sink, as the runs wrote it.
struct Sink {
  std::map<std::int64_t, int> times;  // position -> how often it was handed over
  std::set<std::int64_t> message_ids;
  std::vector<std::string> errors;  // a run that did not start right after its cursor
};

Sink ReadSink(const std::string& path) {
  Sink s;
  std::ifstream in(path);
  std::string line;
  std::int64_t start = -1;  // the cursor the current run found; -1 once it consumed
  while (std::getline(in, line)) {
    std::istringstream words(line);
    std::string word;
    words >> word;
    if (word == "start") {
      words >> start;
      continue;
    }
    std::int64_t position = 0;
    std::string kind;
    std::int64_t message = 0;
    words >> position >> kind >> message;
    if (start >= 0 && position != start + 1) {
      s.errors.push_back("a run found cursor " + std::to_string(start) + " but began at " +
                         std::to_string(position));
    }
    start = -1;
    ++s.times[position];
    if (kind == "message") {
      s.message_ids.insert(message);
    }
  }
  return s;
}

struct LogState {
  std::int64_t head = 0;
  std::int64_t cursor = 0;
  std::set<std::int64_t> message_ids;
};

LogState ReadLog(const Files& f) {
  LogState s;
  auto db = storage::OpenSqlite(f.data + "/custos.db");
  EXPECT_TRUE(db.has_value()) << db.error().ToString();
  auto tx = (*db)->Begin(storage::TxMode::kRead);
  auto head = (*tx)->Query("SELECT coalesce(max(id), 0) FROM records");
  s.head = head->at(0).Int(0);
  auto cursor = (*tx)->Query("SELECT position FROM consumer_cursors WHERE name = 'crash-sink'");
  s.cursor = cursor->empty() ? 0 : cursor->at(0).Int(0);
  auto ids = (*tx)->Query("SELECT id FROM messages");
  for (const storage::Row& r : *ids) {
    s.message_ids.insert(r.Int(0));
  }
  return s;
}

// Everything up to the stored cursor was handed to the consumer before it was stored.
void CheckCursorCovered(const Files& f) {
  const LogState log = ReadLog(f);
  const Sink sink = ReadSink(f.sink);
  for (std::int64_t p = 1; p <= log.cursor; ++p) {
    ASSERT_TRUE(sink.times.count(p)) << "the cursor is at " << log.cursor << " but record " << p
                                     << " never reached the consumer";
  }
  EXPECT_TRUE(sink.errors.empty()) << sink.errors.front();
}

// After a catch-up run: the whole log and every message consumed; returns the repeats.
int CheckCaughtUp(const Files& f) {
  const pid_t pid = Fork([&f] { RunCatchUp(f); });
  const int status = Wait(pid);
  EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0) << "the catch-up run failed";
  const LogState log = ReadLog(f);
  const Sink sink = ReadSink(f.sink);
  EXPECT_TRUE(sink.errors.empty()) << sink.errors.front();
  EXPECT_EQ(log.cursor, log.head);
  int repeats = 0;
  for (std::int64_t p = 1; p <= log.head; ++p) {
    const auto it = sink.times.find(p);
    EXPECT_NE(it, sink.times.end()) << "record " << p << " was skipped";
    repeats += it != sink.times.end() ? it->second - 1 : 0;
  }
  for (const std::int64_t id : log.message_ids) {
    EXPECT_TRUE(sink.message_ids.count(id)) << "message " << id << " was never consumed";
  }
  return repeats;
}

TEST(CursorCrash, KilledBetweenCommitAndConsumeCatchesUpAfterRestart) {
  testing::TempDir dir;
  const Files f{dir.File("data"), dir.File("sink"), dir.File("commits")};
  const pid_t pid = Fork([&f] { RunWriter(f, "m", 200, milliseconds(0), /*block=*/true); });
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(60);
  while ((CountLines(f.commits, "committed") < 200 / kBatchMessages ||
          CountLines(f.sink, "rec") == 0) &&
         std::chrono::steady_clock::now() < deadline) {
    ASSERT_NE(::waitpid(pid, nullptr, WNOHANG), pid) << "the writer exited early";
    std::this_thread::sleep_for(milliseconds(5));
  }
  ::kill(pid, SIGKILL);
  ASSERT_TRUE(WIFSIGNALED(Wait(pid)));
  const LogState killed = ReadLog(f);
  const int handed = CountLines(f.sink, "rec");  // the batch the consumer blocked in
  EXPECT_EQ(killed.cursor, 0) << "the blocked batch was never acknowledged";
  EXPECT_EQ(killed.message_ids.size(), 200u) << "every reported commit is stored";
  EXPECT_LT(handed, killed.head) << "committed records were waiting for the consumer";
  const int repeats = CheckCaughtUp(f);
  EXPECT_EQ(repeats, handed) << "exactly the unacknowledged batch comes again";
  std::cout << "cursor kill: " << killed.head << " records committed, " << handed
            << " handed over before the kill, " << repeats << " handed over twice\n";
}

TEST(CursorCrash, SigkillAtRandomPointsSkipsNothing) {
  const std::uint64_t seed = EnvNumber("CUSTOS_CRASH_SEED", 20261207);
  const int rounds = static_cast<int>(EnvNumber("CUSTOS_CRASH_ROUNDS", 12));
  SCOPED_TRACE("CUSTOS_CRASH_SEED=" + std::to_string(seed));
  std::mt19937_64 rng(seed);
  testing::TempDir dir;
  const Files f{dir.File("data"), dir.File("sink"), dir.File("commits")};
  int gaps = 0;  // kills that left committed records unconsumed
  for (int round = 0; round < rounds && !::testing::Test::HasFatalFailure(); ++round) {
    const int target = 1 + static_cast<int>(rng() % 8);  // commits in this round before the kill
    const milliseconds delay(rng() % 6);                 // per consumed batch
    const milliseconds jitter(rng() % 30);
    const int before = CountLines(f.commits, "committed");
    const pid_t pid = Fork([&f, round, delay] {
      RunWriter(f, "r" + std::to_string(round) + "-", 100'000, delay, /*block=*/false);
    });
    while (CountLines(f.commits, "committed") < before + target) {
      ASSERT_NE(::waitpid(pid, nullptr, WNOHANG), pid) << "the writer exited early";
      std::this_thread::sleep_for(milliseconds(2));
    }
    std::this_thread::sleep_for(jitter);
    ::kill(pid, SIGKILL);
    ASSERT_TRUE(WIFSIGNALED(Wait(pid)));
    const LogState log = ReadLog(f);
    gaps += log.cursor < log.head ? 1 : 0;
    SCOPED_TRACE("round " + std::to_string(round));
    CheckCursorCovered(f);
  }
  const int repeats = CheckCaughtUp(f);
  const LogState log = ReadLog(f);
  std::cout << "cursor kill: seed " << seed << ", " << rounds << " kills, " << gaps
            << " with committed records not yet consumed; " << log.head << " records, "
            << log.message_ids.size() << " messages, all consumed; " << repeats
            << " handed over twice\n";
  EXPECT_GT(gaps, 0) << "no kill landed between a commit and its consumer";
  EXPECT_LE(repeats, rounds * kConsumerBatch) << "at most one unacknowledged batch per kill";
}

}  // namespace
}  // namespace custos
