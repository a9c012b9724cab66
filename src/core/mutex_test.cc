// SPDX-License-Identifier: Apache-2.0
#include "core/mutex.h"

#include <chrono>
#include <thread>
#include <vector>

#include <gtest/gtest.h>

namespace custos::core {
namespace {

class Counter {
 public:
  void Add() {
    MutexLock lock(&mu_);
    ++count_;
    cv_.SignalAll();
  }

  // Waits until the count reaches `n`, or the timeout; returns the count seen.
  int WaitFor(int n, std::chrono::milliseconds timeout) {
    MutexLock lock(&mu_);
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    while (count_ < n && cv_.WaitUntil(&mu_, deadline)) {
    }
    return count_;
  }

  // Drops the lock around work and takes it back, as the background loops do.
  int AddAroundUnlockedWork() {
    MutexLock lock(&mu_);
    ++count_;
    lock.Unlock();
    std::this_thread::yield();
    lock.Lock();
    return count_;
  }

 private:
  Mutex mu_;
  CondVar cv_;
  int count_ CUSTOS_GUARDED_BY(mu_) = 0;
};

TEST(Mutex, SerialisesWritersAcrossThreads) {
  Counter counter;
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&counter] {
      for (int i = 0; i < 1000; ++i) {
        counter.Add();
      }
    });
  }
  for (std::thread& t : threads) {
    t.join();
  }
  EXPECT_EQ(counter.WaitFor(4000, std::chrono::milliseconds(0)), 4000);
}

TEST(CondVar, WakesAWaiterWhenTheConditionIsMet) {
  Counter counter;
  std::thread producer([&counter] {
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
    counter.Add();
  });
  EXPECT_EQ(counter.WaitFor(1, std::chrono::seconds(30)), 1);
  producer.join();
}

TEST(CondVar, WaitUntilReturnsAtTheDeadline) {
  Counter counter;
  const auto start = std::chrono::steady_clock::now();
  EXPECT_EQ(counter.WaitFor(1, std::chrono::milliseconds(50)), 0);
  EXPECT_GE(std::chrono::steady_clock::now() - start, std::chrono::milliseconds(50));
}

TEST(MutexLock, CanBeDroppedAndRetakenInsideItsScope) {
  Counter counter;
  EXPECT_EQ(counter.AddAroundUnlockedWork(), 1);
  EXPECT_EQ(counter.AddAroundUnlockedWork(), 2);
}

}  // namespace
}  // namespace custos::core
