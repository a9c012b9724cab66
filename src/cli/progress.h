// SPDX-License-Identifier: Apache-2.0
// A one-line progress display on stderr for long imports: messages, rate and, when the input
// size is known, a bar and an ETA. Draws only when stderr is a terminal, at most five times a
// second, and erases itself when done.
// Thread-safety: one thread.
#pragma once

#include <cstdint>

#include "core/time.h"

namespace custos::cli {

class Progress {
 public:
  // `total_bytes` is the input size, or -1 when unknown (a pipe).
  explicit Progress(std::int64_t total_bytes);

  // Redraws when enough time has passed since the last drawing.
  void Update(std::int64_t messages, std::uint64_t bytes);

  // Erases the line (call before printing anything else to stderr).
  void Finish();

 private:
  void Draw(std::int64_t messages, std::uint64_t bytes, core::Micros now);

  bool enabled_;
  std::int64_t total_bytes_;
  core::Micros start_;
  core::Micros last_draw_ = 0;
  bool drawn_ = false;
};

}  // namespace custos::cli
