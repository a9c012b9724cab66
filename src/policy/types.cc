// SPDX-License-Identifier: Apache-2.0
#include "policy/types.h"

namespace custos::policy {
namespace {

constexpr std::string_view kSeverityNames[] = {"info", "low", "medium", "high", "critical"};
constexpr std::string_view kActionNames[] = {"allow",    "warn",   "flag",
                                             "escalate", "redact", "block"};

}  // namespace

std::string_view SeverityName(Severity severity) {
  return kSeverityNames[static_cast<int>(severity)];
}

std::string_view ActionName(Action action) { return kActionNames[static_cast<int>(action)]; }

std::optional<Severity> ParseSeverity(std::string_view name) {
  for (int i = 0; i < 5; ++i) {
    if (kSeverityNames[i] == name) {
      return static_cast<Severity>(i);
    }
  }
  return std::nullopt;
}

std::optional<Action> ParseAction(std::string_view name) {
  for (int i = 0; i < 6; ++i) {
    if (kActionNames[i] == name) {
      return static_cast<Action>(i);
    }
  }
  return std::nullopt;
}

Action Strictest(Action a, Action b) { return static_cast<int>(a) >= static_cast<int>(b) ? a : b; }

}  // namespace custos::policy
