// SPDX-License-Identifier: Apache-2.0
#include "core/periodic_worker.h"

#include <atomic>
#include <chrono>
#include <thread>

#include <gtest/gtest.h>

namespace custos::core {
namespace {

using std::chrono::milliseconds;

// Polls `done` for up to 5 s.
template <typename Fn>
bool Eventually(Fn done) {
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(5);
  while (!done()) {
    if (std::chrono::steady_clock::now() > deadline) {
      return false;
    }
    std::this_thread::sleep_for(milliseconds(2));
  }
  return true;
}

TEST(PeriodicWorker, TicksEveryIntervalUntilStoppedThenRunsOnStopOnce) {
  std::atomic<int> ticks{0};
  std::atomic<int> stops{0};
  PeriodicWorker worker({.name = "t",
                         .interval = milliseconds(5),
                         .tick = [&](const std::function<bool()>&) { ++ticks; },
                         .on_stop = [&] { ++stops; }});
  EXPECT_EQ(worker.Name(), "t");
  ASSERT_TRUE(worker.Start().ok());
  ASSERT_TRUE(worker.Start().ok());  // a second Start is a no-op
  EXPECT_TRUE(Eventually([&] { return ticks >= 3; }));
  worker.Stop();
  const int after_stop = ticks;
  EXPECT_EQ(worker.ticks(), after_stop);
  std::this_thread::sleep_for(milliseconds(30));
  EXPECT_EQ(ticks, after_stop) << "ticked after Stop";
  worker.Stop();  // idempotent
  EXPECT_EQ(stops, 1);
  EXPECT_EQ(worker.Start().code(), StatusCode::kFailedPrecondition);
}

TEST(PeriodicWorker, WakeRunsATickBeforeTheIntervalEnds) {
  std::atomic<int> ticks{0};
  PeriodicWorker worker({.name = "t",
                         .interval = std::chrono::hours(1),
                         .tick = [&](const std::function<bool()>&) { ++ticks; }});
  ASSERT_TRUE(worker.Start().ok());
  std::this_thread::sleep_for(milliseconds(20));
  EXPECT_EQ(ticks, 0);
  worker.Wake();
  EXPECT_TRUE(Eventually([&] { return ticks == 1; }));
  const auto begin = std::chrono::steady_clock::now();
  worker.Stop();  // wakes the hour-long wait at once
  EXPECT_LT(std::chrono::steady_clock::now() - begin, std::chrono::seconds(2));
}

TEST(PeriodicWorker, ALongTickSeesTheStopRequestAndStopWaitsForIt) {
  std::atomic<bool> in_tick{false};
  std::atomic<int> units{0};
  std::atomic<bool> tick_returned{false};
  PeriodicWorker worker({.name = "long",
                         .interval = milliseconds(1),
                         .first_delay = milliseconds(0),
                         .tick =
                             [&](const std::function<bool()>& stop_requested) {
                               in_tick = true;
                               while (!stop_requested()) {  // one unit of work per loop
                                 ++units;
                                 std::this_thread::sleep_for(milliseconds(1));
                               }
                               tick_returned = true;
                             },
                         .on_stop = [&] { EXPECT_TRUE(tick_returned) << "on_stop before join"; }});
  ASSERT_TRUE(worker.Start().ok());
  ASSERT_TRUE(Eventually([&] { return in_tick && units > 0; }));
  worker.Stop();
  EXPECT_TRUE(tick_returned);
}

TEST(PeriodicWorker, AnIntervalOfZeroIsOffAndStopSkipsOnStop) {
  std::atomic<int> calls{0};
  PeriodicWorker worker({.name = "off",
                         .interval = milliseconds(0),
                         .tick = [&](const std::function<bool()>&) { ++calls; },
                         .on_stop = [&] { ++calls; }});
  ASSERT_TRUE(worker.Start().ok());
  worker.Wake();
  std::this_thread::sleep_for(milliseconds(20));
  worker.Stop();
  EXPECT_EQ(calls, 0);
}

TEST(PeriodicWorker, StopWithoutStartIsSafe) {
  PeriodicWorker worker(
      {.name = "never", .interval = milliseconds(5), .tick = [](const std::function<bool()>&) {}});
  worker.Stop();
  worker.Stop();
  EXPECT_EQ(worker.ticks(), 0);
}

}  // namespace
}  // namespace custos::core
