// SPDX-License-Identifier: Apache-2.0
// core::Mutex, core::MutexLock and core::CondVar: std::mutex and std::condition_variable wrapped
// so that Clang's thread-safety analysis understands them (leveldb's port::Mutex, MutexLock and
// port::CondVar). Every mutex that guards CUSTOS_GUARDED_BY members is a core::Mutex; the clang
// gate (tools/check_thread_safety.sh, run by tools/test.sh) then proves that each guarded member
// is touched only with its mutex held.
//
//   core::Mutex mu_;
//   int count_ CUSTOS_GUARDED_BY(mu_) = 0;
//   void Bump() { core::MutexLock lock(&mu_); ++count_; }
//
// Waiting, with the mutex held: `while (!ready_) cv_.Wait(&mu_);` (CondVar below).
//
// Thread-safety: Mutex and CondVar are thread-safe (that is their purpose); a MutexLock belongs
// to the one thread that made it.
#pragma once

#include <chrono>
#include <condition_variable>
#include <mutex>

#include "core/thread_annotations.h"

namespace custos::core {

class CUSTOS_CAPABILITY("mutex") Mutex {
 public:
  Mutex() = default;
  Mutex(const Mutex&) = delete;
  Mutex& operator=(const Mutex&) = delete;

  void Lock() CUSTOS_ACQUIRE() { mu_.lock(); }

  void Unlock() CUSTOS_RELEASE() { mu_.unlock(); }

  // Tells the analysis that the caller holds the mutex (a std::mutex cannot check it).
  void AssertHeld() CUSTOS_ASSERT_CAPABILITY(this) {}

 private:
  friend class CondVar;
  std::mutex mu_;
};

// Holds a Mutex for the lifetime of the object. Unlock and Lock let a loop drop the mutex around
// slow work (`lock.Unlock(); Work(); lock.Lock();`); the destructor releases it only when held.
class CUSTOS_SCOPED_CAPABILITY MutexLock {
 public:
  explicit MutexLock(Mutex* mu) CUSTOS_ACQUIRE(mu) : mu_(mu) { mu_->Lock(); }

  ~MutexLock() CUSTOS_RELEASE() {
    if (locked_) {
      mu_->Unlock();
    }
  }

  MutexLock(const MutexLock&) = delete;
  MutexLock& operator=(const MutexLock&) = delete;

  void Unlock() CUSTOS_RELEASE() {
    locked_ = false;
    mu_->Unlock();
  }

  void Lock() CUSTOS_ACQUIRE() {
    mu_->Lock();
    locked_ = true;
  }

 private:
  Mutex* const mu_;
  bool locked_ = true;
};

// A condition variable over a core::Mutex (leveldb's port::CondVar). Every wait needs the mutex
// held (the analysis checks it), releases it while blocked and holds it again on return.
// Wake-ups can be spurious: wait in a loop on the condition, which the analysis can then check
// too (a predicate lambda would hide the guarded reads from it).
class CondVar {
 public:
  CondVar() = default;
  CondVar(const CondVar&) = delete;
  CondVar& operator=(const CondVar&) = delete;

  void Wait(Mutex* mu) CUSTOS_REQUIRES(mu) {
    std::unique_lock<std::mutex> inner(mu->mu_, std::adopt_lock);
    cv_.wait(inner);
    inner.release();  // the caller still holds the mutex
  }

  // Waits until notified or `timeout` has passed; returns false on timeout.
  template <typename Rep, typename Period>
  bool WaitFor(Mutex* mu, std::chrono::duration<Rep, Period> timeout) CUSTOS_REQUIRES(mu) {
    std::unique_lock<std::mutex> inner(mu->mu_, std::adopt_lock);
    const bool notified = cv_.wait_for(inner, timeout) == std::cv_status::no_timeout;
    inner.release();
    return notified;
  }

  // Waits until notified or `deadline`; returns false once the deadline has passed.
  template <typename ClockT, typename Duration>
  bool WaitUntil(Mutex* mu, std::chrono::time_point<ClockT, Duration> deadline)
      CUSTOS_REQUIRES(mu) {
    std::unique_lock<std::mutex> inner(mu->mu_, std::adopt_lock);
    const bool notified = cv_.wait_until(inner, deadline) == std::cv_status::no_timeout;
    inner.release();
    return notified;
  }

  void Signal() { cv_.notify_one(); }

  void SignalAll() { cv_.notify_all(); }

 private:
  std::condition_variable cv_;
};

}  // namespace custos::core
