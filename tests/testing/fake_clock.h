// SPDX-License-Identifier: Apache-2.0
// FakeClock: a core::Clock that tests drive by hand. It starts at `start` (default
// 2024-01-01T00:00:00Z) and moves only on Set() or Advance().
// Thread-safety: safe to share; Now(), Set() and Advance() may race freely.
#pragma once

#include <atomic>

#include "core/time.h"

namespace custos::testing {

class FakeClock final : public core::Clock {
 public:
  // 2024-01-01T00:00:00Z.
  static constexpr core::Micros kDefaultStart = 1'704'067'200 * core::kMicrosPerSecond;

  explicit FakeClock(core::Micros start = kDefaultStart) : now_(start) {}

  core::Micros Now() const override { return now_.load(); }

  void Set(core::Micros t) { now_.store(t); }

  void Advance(core::Micros delta) { now_.fetch_add(delta); }

 private:
  std::atomic<core::Micros> now_;
};

}  // namespace custos::testing
