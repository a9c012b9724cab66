// SPDX-License-Identifier: Apache-2.0
// The access audit under a search-heavy load (docs/performance.md, "The access audit"), one
// standalone run on a fresh data directory in a temporary directory: MESSAGES messages (default
// 20,000) are ingested, then THREADS threads (default 8) each run searches (a full-text query,
// 20 results with snippets) for SECONDS seconds (default 10) per mode, in the same process:
//   off       the search alone, no access record (what custos did before issue 15);
//   batched   the search, then its access record through app::AccessAudit: queued to the ingest
//             writer, committed with whatever else is queued (group commit), the read waiting
//             until it is durable (what custos does);
//   unbatched the search, then its access record in a write transaction of its own (one commit,
//             one fsync per read): the design the batching replaces.
// The same again with single-message reads (one message by id), where the commit is most of the
// cost. Prints reads/s and p50/p99 latency per mode.
//   access_bench [MESSAGES] [THREADS] [SECONDS]
// Not a test: run on demand, on a release build.
#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include <unistd.h>

#include "app/custos.h"
#include "archive/access.h"
#include "capture/jsonl.h"
#include "core/time.h"

namespace {

using custos::app::Custos;
using Clock = std::chrono::steady_clock;

const char* const kWords[] = {"quarterly", "numbers", "lunch", "client", "bond",  "swap",
                              "meeting",   "invoice", "rates", "desk",   "trade", "call"};

std::string Text(unsigned seed) {
  std::string out;
  for (int i = 0; i < 12; ++i) {
    seed = seed * 1103515245u + 12345u;
    out += std::string(kWords[(seed >> 16) % std::size(kWords)]) + " ";
  }
  return out;
}

enum class Mode { kOff, kBatched, kUnbatched };

// `search`: a full-text search of 20 results with snippets; else one message by id.
void Run(Custos& custos, Mode mode, bool search, int messages, int threads, int seconds,
         const char* name) {
  std::atomic<bool> stop{false};
  std::vector<std::vector<double>> lat(static_cast<std::size_t>(threads));
  std::vector<std::thread> pool;
  std::atomic<int> failures{0};
  for (int t = 0; t < threads; ++t) {
    pool.emplace_back([&, t] {
      custos::app::AccessContext who;
      who.actor = "token:" + std::to_string(t + 1) + " (bench)";
      who.roles = {"auditor"};
      who.client = "127.0.0.1";
      int i = 0;
      while (!stop.load()) {
        const auto start = Clock::now();
        std::string q = kWords[(t + i) % std::size(kWords)];
        std::vector<custos::model::Message> read;
        if (search) {
          auto found = custos.Search(q, std::nullopt, 20);
          if (!found.has_value()) {
            ++failures;
            continue;
          }
          for (const auto& r : found->results) {
            read.push_back(r.message);
          }
        } else {
          q.clear();
          auto m = custos.store().Get(1 + (static_cast<std::int64_t>(i) * 7919 + t) % messages);
          if (!m.has_value() || !m->has_value()) {
            ++failures;
            continue;
          }
          read.push_back(**m);
        }
        ++i;
        custos::core::Status s = custos::core::Status::Ok();
        if (mode == Mode::kBatched) {
          s = custos.access().RecordRead(who, search ? "search" : "message", read, q,
                                         static_cast<std::int64_t>(read.size()));
        } else if (mode == Mode::kUnbatched) {
          s = custos.access().RecordReadUnbatchedForBench(who, search ? "search" : "message", read,
                                                          q);
        }
        if (!s.ok()) {
          ++failures;
        }
        lat[static_cast<std::size_t>(t)].push_back(
            std::chrono::duration<double, std::milli>(Clock::now() - start).count());
      }
    });
  }
  std::this_thread::sleep_for(std::chrono::seconds(seconds));
  stop = true;
  for (std::thread& th : pool) {
    th.join();
  }
  std::vector<double> all;
  for (const auto& v : lat) {
    all.insert(all.end(), v.begin(), v.end());
  }
  std::sort(all.begin(), all.end());
  const auto pct = [&](double p) {
    return all.empty() ? 0.0
                       : all[std::min(all.size() - 1, static_cast<std::size_t>(p * all.size()))];
  };
  std::printf("%-7s %-10s %8.0f reads/s  p50 %6.2f ms  p99 %6.2f ms  (%zu reads, %d failed)\n",
              search ? "search" : "message", name, static_cast<double>(all.size()) / seconds,
              pct(0.50), pct(0.99), all.size(), failures.load());
}

}  // namespace

int main(int argc, char** argv) {
  const int messages = argc > 1 ? std::atoi(argv[1]) : 20'000;
  const int threads = argc > 2 ? std::atoi(argv[2]) : 8;
  const int seconds = argc > 3 ? std::atoi(argv[3]) : 10;
  char tmpl[] = "/tmp/custos-access-bench-XXXXXX";
  if (::mkdtemp(tmpl) == nullptr) {
    std::perror("mkdtemp");
    return 1;
  }
  const std::string dir = tmpl;
  {
    custos::app::OpenOptions options;
    options.data_dir = dir;
    options.default_policy_pack = custos::app::kNoPolicyPack;
    auto opened = Custos::Open(options);
    if (!opened.has_value()) {
      std::fprintf(stderr, "open: %s\n", opened.error().ToString().c_str());
      return 1;
    }
    Custos& custos = **opened;
    std::vector<custos::model::Message> batch;
    for (int i = 0; i < messages; ++i) {
      const std::string json =
          R"({"source":"bench","source_id":"m)" + std::to_string(i) +
          R"(","channel":"whatsapp","conversation":"c)" + std::to_string(i % 200) +
          R"(","from":"+4477009)" + std::to_string(10000 + i % 500) +
          R"(","to":["+447700900001"],"sent_at":"2026-10-05T09:30:00Z","direction":"outbound","text":")" +
          Text(static_cast<unsigned>(i)) + R"("})";
      batch.push_back(*custos::capture::DecodeMessage(json));
      if (batch.size() == 5'000 || i + 1 == messages) {
        custos.ingest().Ingest(std::move(batch));
        batch.clear();
      }
    }
    std::printf("access_bench: %d messages, %d threads, %d s per mode, %u cores\n", messages,
                threads, seconds, std::thread::hardware_concurrency());
    for (const bool search : {true, false}) {
      Run(custos, Mode::kOff, search, messages, threads, seconds, "off");
      Run(custos, Mode::kBatched, search, messages, threads, seconds, "batched");
      Run(custos, Mode::kUnbatched, search, messages, threads, seconds, "unbatched");
      Run(custos, Mode::kOff, search, messages, threads, seconds, "off again");
    }
  }
  std::filesystem::remove_all(dir);
  return 0;
}
