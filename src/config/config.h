// SPDX-License-Identifier: Apache-2.0
// custos configuration: DIR/custos.yaml (optional; every setting has a default), read with
// yaml-cpp and validated with positions. The loader is driven by the settings table
// (settings.h): the sections and settings it declares are the keys accepted, each value is
// checked by its type. It collects every error, each as "file:line:column: message"; unknown
// keys are errors. Environment variables of the settings table override the file.
//
//   retention:
//     default_period: 7y            # settings.h: scalar settings
//     default_legal_basis: "..."
//     schedule: 1h                  # or "off"
//     batch_size: 500
//     classes:                      # checked in order; see docs/retention.md
//       - name: sms-short           # [a-z0-9][a-z0-9._-]*, unique
//         period: 90d               # config/duration.h
//         legal_basis: "..."        # required
//         channels: [sms]           # at least one of channels, desks, rules, severities,
//         desks: [sales]            #   actions; all given criteria must match, any value
//         rules: [IMP-4.2]          #   of each (rules, severities, actions: the message's
//         severities: [high]        #   archived policy verdict, any of its hits)
//         actions: [flag, block]
//   desks:                          # desk (group) name -> the handles of its members
//     sales: ["+44 7700 900123", anna@example.com]
//   directory:
//     default_region: GB            # ISO 3166-1 alpha-2, for phone numbers without "+"
//   devices:
//     nanomdm:                      # both or neither (devices/nanomdm_client.h)
//       url: http://127.0.0.1:9000
//       api_key: ...
//
// Thread-safety: pure functions and value types.
#pragma once

#include <functional>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "config/duration.h"
#include "core/status.h"

namespace custos::config {

// A place in a configuration source: 1-based line and column; 0 when unknown (the defaults,
// an environment variable).
struct Position {
  std::string file;
  int line = 0;
  int column = 0;

  // "file:line:column", or just "file" when the line is unknown.
  std::string ToString() const;
};

struct Diagnostic {
  Position where;
  std::string message;

  // "file:line:column: message".
  std::string ToString() const;
};

struct RetentionClassConfig {
  std::string name;
  Duration period;
  std::string legal_basis;
  std::vector<std::string> channels;
  std::vector<std::string> desks;
  std::vector<std::string> rules;       // policy rule ids (checked against the pack in force)
  std::vector<std::string> severities;  // info, low, medium, high, critical
  std::vector<std::string> actions;     // allow, warn, flag, escalate, redact, block
  Position where;                       // the class's entry
  Position channels_where;  // the channels list, for errors found later (unknown channel)
  Position rules_where;     // the rules list, for errors found later (unknown rule id)
  std::vector<Position> rule_positions;  // of each entry of rules, in order
};

// A setting's value after its type's check, normalised (a region in upper case), and where it
// came from.
struct SettingValue {
  std::string text;
  Position where;
};

struct Config {
  // Every setting of the table that has a value (file, environment or default); an optional
  // setting without one is absent. Modules read their sections through Setting().
  std::map<std::string, SettingValue, std::less<>> settings;

  // The value of setting `name`; nullptr when it has none.
  const SettingValue* Setting(std::string_view name) const {
    const auto it = settings.find(name);
    return it == settings.end() ? nullptr : &it->second;
  }

  // Typed copies of the settings the archive's own code reads (bound in config.cc).
  Duration retention_default_period{7, DurationUnit::kYears};
  std::string retention_default_legal_basis;
  std::optional<Duration> retention_schedule;  // nullopt: "off"
  int retention_batch_size = 0;
  std::vector<RetentionClassConfig> retention_classes;
  std::map<std::string, std::vector<std::string>> desks;
  // Upper case; the loader checks only its form (two letters): whether libphonenumber knows it
  // is checked where it is used (app/import_region.h), naming this position.
  std::string directory_default_region = "GB";
  Position directory_default_region_where;
  std::string source;  // the file read, or "" when defaults only
};

struct LoadResult {
  Config config;  // meaningful only when ok()
  std::vector<Diagnostic> errors;

  bool ok() const { return errors.empty(); }

  // OK, or kInvalidArgument whose message lists every error, one per line.
  core::Status ToStatus() const;
};

// Looks up an environment variable; nullopt when unset.
using EnvLookup = std::function<std::optional<std::string>(std::string_view)>;

// The process environment.
EnvLookup ProcessEnvironment();

// The settings table's defaults (and `env`), as if the file were absent.
LoadResult DefaultConfig(const EnvLookup& env);

// Parses `yaml` read from `file_name` (used in positions).
LoadResult ParseConfig(std::string_view yaml, std::string_view file_name, const EnvLookup& env);

// Reads `path`; the defaults when it does not exist; an error at `path` when it cannot be read.
LoadResult LoadConfigFile(const std::string& path, const EnvLookup& env);

}  // namespace custos::config
