// SPDX-License-Identifier: Apache-2.0
#include "cli/progress.h"

#include <algorithm>
#include <cstdio>
#include <string>
#include <utility>

#include <unistd.h>

namespace custos::cli {
namespace {

constexpr core::Micros kRedrawEvery = core::kMicrosPerSecond / 5;
constexpr int kBarWidth = 30;

// 1234567 -> "1,234,567".
std::string Grouped(std::int64_t n) {
  std::string digits = std::to_string(n);
  std::string out;
  for (std::size_t i = 0; i < digits.size(); ++i) {
    if (i > 0 && (digits.size() - i) % 3 == 0) {
      out.push_back(',');
    }
    out.push_back(digits[i]);
  }
  return out;
}

std::string Duration(std::int64_t seconds) {
  char buf[32];
  if (seconds >= 3600) {
    std::snprintf(buf, sizeof buf, "%lld:%02lld:%02lld", static_cast<long long>(seconds / 3600),
                  static_cast<long long>(seconds / 60 % 60), static_cast<long long>(seconds % 60));
  } else {
    std::snprintf(buf, sizeof buf, "%lld:%02lld", static_cast<long long>(seconds / 60),
                  static_cast<long long>(seconds % 60));
  }
  return buf;
}

}  // namespace

Progress::Progress(std::int64_t total_bytes, std::string noun, std::string rate_unit)
    : enabled_(::isatty(STDERR_FILENO) == 1),
      total_bytes_(total_bytes),
      noun_(std::move(noun)),
      rate_unit_(std::move(rate_unit)),
      start_(core::SteadyNowMicros()) {}

void Progress::Update(std::int64_t messages, std::uint64_t bytes) {
  if (!enabled_) {
    return;
  }
  const core::Micros now = core::SteadyNowMicros();
  if (now - last_draw_ < kRedrawEvery) {
    return;
  }
  last_draw_ = now;
  Draw(messages, bytes, now);
}

void Progress::Draw(std::int64_t messages, std::uint64_t bytes, core::Micros now) {
  const double elapsed = static_cast<double>(now - start_) / core::kMicrosPerSecond;
  const double rate = elapsed > 0 ? static_cast<double>(messages) / elapsed : 0;
  std::string line = "\r\033[K";
  if (total_bytes_ > 0) {
    const double done =
        std::min(1.0, static_cast<double>(bytes) / static_cast<double>(total_bytes_));
    const int filled = static_cast<int>(done * kBarWidth);
    line += "[" + std::string(static_cast<std::size_t>(filled), '#') +
            std::string(static_cast<std::size_t>(kBarWidth - filled), '.') + "] ";
    line += std::to_string(static_cast<int>(done * 100)) + "%  ";
  }
  line += Grouped(messages) + " " + noun_ + "  " + Grouped(static_cast<std::int64_t>(rate)) + " " +
          rate_unit_;
  if (total_bytes_ > 0 && bytes > 0 && elapsed > 0.5) {
    const auto total = static_cast<std::uint64_t>(total_bytes_);
    const double left = static_cast<double>(total - std::min(bytes, total));
    const double remaining = elapsed * left / static_cast<double>(bytes);
    line += "  ETA " + Duration(static_cast<std::int64_t>(remaining + 0.5));
  }
  std::fputs(line.c_str(), stderr);
  std::fflush(stderr);
  drawn_ = true;
}

void Progress::Finish() {
  if (drawn_) {
    std::fputs("\r\033[K", stderr);
    std::fflush(stderr);
    drawn_ = false;
  }
}

}  // namespace custos::cli
