// SPDX-License-Identifier: Apache-2.0
// Not built: tools/check_thread_safety.py --self-test compiles this file and requires clang to
// REJECT it, which proves the thread-safety gate fails when a guarded member is touched without
// its mutex. Each function below holds one mistake the gate must catch.
#include "core/mutex.h"

namespace custos::canary {

class Counter {
 public:
  // Mistake 1: reads a guarded member without the mutex.
  int Read() const { return count_; }

  // Mistake 2: writes a guarded member without the mutex.
  void Reset() { count_ = 0; }

  // Mistake 3: calls a REQUIRES function without the mutex.
  void Bump() { BumpLocked(); }

  // Correct, for contrast: the lock is held.
  void BumpSafely() {
    core::MutexLock lock(&mu_);
    BumpLocked();
  }

 private:
  void BumpLocked() CUSTOS_REQUIRES(mu_) { ++count_; }

  mutable core::Mutex mu_;
  int count_ CUSTOS_GUARDED_BY(mu_) = 0;
};

}  // namespace custos::canary
