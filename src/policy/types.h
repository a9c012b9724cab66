// SPDX-License-Identifier: Apache-2.0
// Small vocabulary shared by the whole policy engine and its callers: rule severity and rule
// action, with their names as they appear in packs, verdicts and JSON.
// Thread-safety: pure functions.
#pragma once

#include <optional>
#include <string_view>

namespace custos::policy {

enum class Severity { kInfo, kLow, kMedium, kHigh, kCritical };

// Ordered from least to most strict: a verdict's action is the largest of its hits' actions
// (block > redact > escalate > flag > warn > allow).
enum class Action { kAllow, kWarn, kFlag, kEscalate, kRedact, kBlock };

// "info", "low", ... / "allow", "warn", ...
std::string_view SeverityName(Severity severity);
std::string_view ActionName(Action action);

// The value named `name` exactly as written in a pack, or nullopt.
std::optional<Severity> ParseSeverity(std::string_view name);
std::optional<Action> ParseAction(std::string_view name);

// The stricter of two actions.
Action Strictest(Action a, Action b);

}  // namespace custos::policy
