// SPDX-License-Identifier: Apache-2.0
#include "core/log.h"

#include <spdlog/sinks/stdout_color_sinks.h>

namespace custos::core {

void InitLogging(LogLevel level) {
  // Callable again (a command that logs more than the default, such as `serve`): the logger is
  // created once.
  if (spdlog::get("custos") == nullptr) {
    spdlog::set_default_logger(spdlog::stderr_color_mt("custos"));
  }
  spdlog::set_pattern("%Y-%m-%dT%H:%M:%S.%eZ %^%l%$ %v", spdlog::pattern_time_type::utc);
  switch (level) {
    case LogLevel::kDebug:
      spdlog::set_level(spdlog::level::debug);
      break;
    case LogLevel::kInfo:
      spdlog::set_level(spdlog::level::info);
      break;
    case LogLevel::kWarn:
      spdlog::set_level(spdlog::level::warn);
      break;
    case LogLevel::kError:
      spdlog::set_level(spdlog::level::err);
      break;
  }
}

}  // namespace custos::core
