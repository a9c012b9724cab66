// SPDX-License-Identifier: Apache-2.0
// The logging facade: every module logs through these calls, which forward to spdlog. Logs go
// to stderr. Never log secrets or message content. Thread-safe.
#pragma once

#include <spdlog/spdlog.h>

namespace custos::core {

enum class LogLevel { kDebug, kInfo, kWarn, kError };

// Sets the process-wide level; call once at start-up.
void InitLogging(LogLevel level);

}  // namespace custos::core

#define CUSTOS_LOG_DEBUG(...) ::spdlog::debug(__VA_ARGS__)
#define CUSTOS_LOG_INFO(...) ::spdlog::info(__VA_ARGS__)
#define CUSTOS_LOG_WARN(...) ::spdlog::warn(__VA_ARGS__)
#define CUSTOS_LOG_ERROR(...) ::spdlog::error(__VA_ARGS__)
