// SPDX-License-Identifier: Apache-2.0
// A one-line progress display on stderr for long runs (imports, `custos verify`): items done,
// their rate and, when the total is known, a bar and an ETA. Draws only when stderr is a
// terminal, at most five times a second, and erases itself when done.
// Thread-safety: one thread.
#pragma once

#include <cstdint>
#include <string>

#include "core/time.h"

namespace custos::cli {

class Progress {
 public:
  // `total_bytes` is the input size, or -1 when unknown (a pipe). `noun` and `rate_unit` name
  // the items counted and their rate ("12,345 messages  6,789 msg/s").
  explicit Progress(std::int64_t total_bytes, std::string noun = "messages",
                    std::string rate_unit = "msg/s");

  // Sets the total once it is known (e.g. from the first progress report of a long task).
  void SetTotal(std::int64_t total_bytes) { total_bytes_ = total_bytes; }

  // Redraws when enough time has passed since the last drawing. `bytes` is how much of the
  // total is done (for a count-based total, pass the item count twice).
  void Update(std::int64_t messages, std::uint64_t bytes);

  // Erases the line (call before printing anything else to stderr).
  void Finish();

 private:
  void Draw(std::int64_t messages, std::uint64_t bytes, core::Micros now);

  bool enabled_;
  std::int64_t total_bytes_;
  std::string noun_;
  std::string rate_unit_;
  core::Micros start_;
  core::Micros last_draw_ = 0;
  bool drawn_ = false;
};

}  // namespace custos::cli
