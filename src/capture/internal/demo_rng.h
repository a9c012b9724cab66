// SPDX-License-Identifier: Apache-2.0
// The demo data's own pseudo-random generator (SplitMix64). It is deliberately not <random>:
// the standard distributions may differ between library versions, and the demo data set must
// be the same everywhere, byte for byte.
// Thread-safety: a plain value; one generator per thread.
#pragma once

#include <cstddef>
#include <cstdint>

namespace custos::capture::internal {

class DemoRng {
 public:
  explicit DemoRng(std::uint64_t seed) : state_(seed) {}

  std::uint64_t Next() {
    std::uint64_t z = (state_ += 0x9E3779B97F4A7C15ULL);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
    return z ^ (z >> 31);
  }

  // Uniform in [0, n); n > 0. The modulo bias is negligible for the small n used here.
  std::size_t Below(std::size_t n) { return Next() % n; }

  // Uniform in [lo, hi], inclusive.
  std::int64_t Between(std::int64_t lo, std::int64_t hi) {
    return lo + static_cast<std::int64_t>(Next() % static_cast<std::uint64_t>(hi - lo + 1));
  }

  // True with probability `per_mille` / 1000 (integers keep the data set exact).
  bool PerMille(int per_mille) { return Below(1000) < static_cast<std::size_t>(per_mille); }

  template <typename Container>
  const auto& Pick(const Container& items) {
    return items[Below(items.size())];
  }

 private:
  std::uint64_t state_;
};

}  // namespace custos::capture::internal
