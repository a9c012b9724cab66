// SPDX-License-Identifier: Apache-2.0
// Archive benchmarks (docs/performance.md, "Archive"), one standalone run on a fresh SQLite
// file in a temporary directory:
//   1. append throughput with checkpointing on: APPEND records (default 100,000), each a sealed
//      canonical record and a Merkle leaf (archive::RecordAppender), 5,000 per durable
//      transaction, a signed checkpoint whenever a second has passed and at the end: leaves/s;
//   2. inclusion-proof generation latency at 1,000,000 leaves: the log is grown to LEAVES
//      (default 1,000,000) with random leaf hashes (archive::LogAppend, which stores the same
//      merkle_nodes a record append does), then PROOFS (default 2,000) proofs of random leaves
//      in the full tree (LogInclusionProof + LogRoot, each in its own read transaction): p50,
//      p99, max.
//   archive_bench [APPEND] [LEAVES] [PROOFS]
// Not a test: run on demand, on a release build.
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <random>
#include <string>
#include <vector>

#include <unistd.h>

#include "archive/checkpointer.h"
#include "archive/merkle_log.h"
#include "archive/records.h"
#include "core/time.h"
#include "crypto/keyring.h"
#include "crypto/signed_note.h"
#include "storage/sqlite/sqlite_database.h"

namespace {

using namespace custos;  // NOLINT(google-build-using-namespace): a small standalone tool
using Clock = std::chrono::steady_clock;

constexpr int kBatch = 5000;

double Seconds(Clock::time_point a, Clock::time_point b) {
  return std::chrono::duration<double>(b - a).count();
}

template <typename T>
T Must(core::Result<T> r, const char* what) {
  if (!r.has_value()) {
    std::fprintf(stderr, "%s: %s\n", what, r.error().ToString().c_str());
    std::exit(1);
  }
  return std::move(r).value();
}

void Must(const core::Status& s, const char* what) {
  if (!s.ok()) {
    std::fprintf(stderr, "%s: %s\n", what, s.ToString().c_str());
    std::exit(1);
  }
}

long Arg(int argc, char** argv, int i, long fallback) {
  return argc > i ? std::strtol(argv[i], nullptr, 10) : fallback;
}

}  // namespace

int main(int argc, char** argv) {
  const long append = Arg(argc, argv, 1, 100'000);
  const long leaves = Arg(argc, argv, 2, 1'000'000);
  const long proofs = Arg(argc, argv, 3, 2'000);
  const std::filesystem::path dir = std::filesystem::temp_directory_path() /
                                    ("custos-archive-bench-" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  auto db = Must(storage::OpenSqlite((dir / "custos.db").string()), "open");
  const crypto::KeyRing keys =
      Must(crypto::KeyRing::LoadOrCreate((dir / "keyring").string()), "keys");
  const crypto::NoteSigner signer =
      Must(crypto::NoteSigner::Generate("bench.custos.example/log"), "signer");
  const core::SystemClock clock;

  // 1. Append with checkpointing.
  const auto t0 = Clock::now();
  auto last_checkpoint = t0;
  long checkpoints = 0;
  for (long done = 0; done < append;) {
    auto tx = Must(db->Begin(storage::TxMode::kWrite), "begin");
    auto records = Must(archive::RecordAppender::Begin(*tx, keys), "appender");
    for (int i = 0; i < kBatch && done < append; ++i, ++done) {
      Must(records.Append("bench", clock.Now(),
                          {{"n", std::int64_t{done}},
                           {"text", std::string("benchmark record on the rates desk")}}),
           "append");
    }
    const bool last = done >= append;
    if (last || Seconds(last_checkpoint, Clock::now()) >= 1.0) {
      Must(archive::CreateCheckpoint(*tx, signer, clock.Now()), "checkpoint");
      ++checkpoints;
      last_checkpoint = Clock::now();
    }
    Must(tx->Commit(), "commit");
  }
  const double append_s = Seconds(t0, Clock::now());
  std::printf("append with checkpointing: %ld leaves in %.2f s = %.0f leaves/s (%ld checkpoints)\n",
              append, append_s, static_cast<double>(append) / append_s, checkpoints);

  // 2. Grow to `leaves`, then time inclusion proofs in the full tree.
  std::mt19937_64 rng(42);
  std::string leaf(32, '\0');
  for (std::uint64_t size = static_cast<std::uint64_t>(append);
       size < static_cast<std::uint64_t>(leaves);) {
    auto tx = Must(db->Begin(storage::TxMode::kWrite), "begin");
    for (int i = 0; i < 50'000 && size < static_cast<std::uint64_t>(leaves); ++i, ++size) {
      for (char& c : leaf) {
        c = static_cast<char>(rng());
      }
      Must(archive::LogAppend(*tx, size, leaf), "log append");
    }
    Must(tx->Commit(), "commit");
  }
  const auto size = static_cast<std::uint64_t>(std::max(leaves, append));
  std::vector<double> micros;
  micros.reserve(static_cast<std::size_t>(proofs));
  std::size_t path = 0;
  for (long i = 0; i < proofs; ++i) {
    const std::uint64_t index = rng() % size;
    const auto a = Clock::now();
    auto tx = Must(db->Begin(storage::TxMode::kRead), "begin");
    path = Must(archive::LogInclusionProof(*tx, index, size), "proof").size();
    Must(archive::LogRoot(*tx, size), "root");
    micros.push_back(Seconds(a, Clock::now()) * 1e6);
  }
  std::sort(micros.begin(), micros.end());
  auto pct = [&micros](double p) {
    return micros[std::min(micros.size() - 1, static_cast<std::size_t>(p * micros.size()))];
  };
  std::printf(
      "inclusion proof at %llu leaves (%zu hashes): p50 %.0f us, p99 %.0f us, max %.0f us"
      " over %ld proofs\n",
      static_cast<unsigned long long>(size), path, pct(0.50), pct(0.99), micros.back(), proofs);
  db.reset();
  std::filesystem::remove_all(dir);
  return 0;
}
