// SPDX-License-Identifier: Apache-2.0
// The settings table: every section and every scalar setting custos reads from
// DIR/custos.yaml, with its type, default, description and environment-variable override
// (every section registers here). The loader (config.h) is driven by it: a key is accepted exactly
// when the table has it, each value is checked by its type, and docs/config.md lists the same
// settings (checked by settings_test.cc).
//
// A setting named "retention.schedule" is written in YAML as `retention: {schedule: ...}`; its
// environment variable wins over the file, and the file over the default. A section groups
// settings ("devices.nanomdm") and may hold structured keys the config module reads itself
// (retention.classes, desks: config.h).
//
// A module adds its configuration by adding its section and settings here; it reads the values
// from config::Config::Setting (devices.nanomdm: devices/nanomdm_client.h), with no YAML of its
// own.
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
  kRegion,    // an ISO 3166-1 alpha-2 region (two letters, stored in upper case)
  kUrl,       // an http:// or https:// URL
};

std::string_view SettingTypeName(SettingType type);

struct SettingSpec {
  std::string_view name;  // dotted path, e.g. "retention.schedule"
  SettingType type;
  // The value when neither the file nor the environment gives one; "" for an optional setting
  // that is simply absent then (devices.nanomdm.url).
  std::string_view default_value;
  std::string_view env_var;  // e.g. "CUSTOS_RETENTION_SCHEDULE"
  std::string_view description;
  std::int64_t min = 0;  // for kInteger
  std::int64_t max = 0;  // for kInteger
};

// A mapping in DIR/custos.yaml: a top-level key ("retention") or a nested one
// ("devices.nanomdm"). Its keys are its settings, its subsections and its structured keys.
struct SectionSpec {
  std::string_view name;
  std::string_view description;
  std::string_view documented_in;  // the doc that explains it
  // Keys whose values the config module reads with its own structure ("classes" in
  // retention); the empty name "" means the whole section is one (desks: name -> handles).
  std::vector<std::string_view> structured = {};
  // Its settings are given together or not at all: naming one requires the others
  // (devices.nanomdm: url and api_key).
  bool all_or_none = false;
};

// Every setting, in the order docs/config.md lists them.
const std::vector<SettingSpec>& AllSettings();

// Every section, parents before their subsections, top-level ones in the order of the
// "top-level key" table of docs/config.md.
const std::vector<SectionSpec>& AllSections();

// The spec named `name`; nullptr when there is none.
const SettingSpec* FindSetting(std::string_view name);

const SectionSpec* FindSection(std::string_view name);

// The keys a section (or the top level, "") accepts, in table order: its settings, its
// subsections, then its structured keys.
std::vector<std::string_view> KnownKeys(std::string_view section);

}  // namespace custos::config
