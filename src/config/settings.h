// SPDX-License-Identifier: Apache-2.0
// The settings table: every scalar setting custos reads from DIR/custos.yaml, with its type,
// default, description and environment-variable override. A setting named
// "retention.schedule" is written in YAML as `retention: {schedule: ...}`; its environment
// variable wins over the file, and the file over the default. Structured sections
// (retention.classes, desks) are described in config.h.
// Thread-safety: immutable data.
#pragma once

#include <cstdint>
#include <string_view>
#include <vector>

namespace custos::config {

enum class SettingType {
  kString,    // any non-empty text
  kInteger,   // decimal, within [min, max]
  kDuration,  // config/duration.h
  kSchedule,  // a duration, or "off"
};

std::string_view SettingTypeName(SettingType type);

struct SettingSpec {
  std::string_view name;  // dotted path, e.g. "retention.schedule"
  SettingType type;
  std::string_view default_value;
  std::string_view env_var;  // e.g. "CUSTOS_RETENTION_SCHEDULE"
  std::string_view description;
  std::int64_t min = 0;  // for kInteger
  std::int64_t max = 0;  // for kInteger
};

// Every setting, in the order `serve --print-config-schema` shows them.
const std::vector<SettingSpec>& AllSettings();

// The spec named `name`; nullptr when there is none.
const SettingSpec* FindSetting(std::string_view name);

}  // namespace custos::config
