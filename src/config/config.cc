// SPDX-License-Identifier: Apache-2.0
#include "config/config.h"

#include <algorithm>
#include <charconv>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <set>
#include <sstream>
#include <system_error>

#include <yaml-cpp/yaml.h>

#include "config/settings.h"
#include "config/yaml_guard.h"

namespace custos::config {
namespace {

constexpr std::string_view kSeverities[] = {"info", "low", "medium", "high", "critical"};
constexpr std::string_view kActions[] = {"allow", "warn", "flag", "escalate", "redact", "block"};

template <std::size_t N>
bool OneOf(const std::string_view (&values)[N], std::string_view v) {
  for (std::string_view x : values) {
    if (x == v) {
      return true;
    }
  }
  return false;
}

template <std::size_t N>
std::string JoinList(const std::string_view (&values)[N]) {
  std::string out;
  for (std::string_view x : values) {
    out += (out.empty() ? "" : ", ") + std::string(x);
  }
  return out;
}

bool IsValidName(std::string_view name) {
  if (name.empty() || name.size() > 64) {
    return false;
  }
  for (std::size_t i = 0; i < name.size(); ++i) {
    const char c = name[i];
    const bool alnum = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
    if (!alnum && (i == 0 || (c != '.' && c != '_' && c != '-'))) {
      return false;
    }
  }
  return true;
}

std::string Quote(std::string_view s) { return "\"" + std::string(s.substr(0, 60)) + "\""; }

std::string Join(const std::vector<std::string_view>& keys) {
  std::string out;
  for (std::string_view k : keys) {
    out += (out.empty() ? "" : ", ") + std::string(k);
  }
  return out;
}

// A setting's value after its type's check.
struct Checked {
  std::string text;                  // normalised
  std::optional<Duration> duration;  // kDuration; kSchedule unless "off"
  std::int64_t integer = 0;          // kInteger
};

// Checks `value` against `spec`'s type; the error message otherwise.
core::Result<Checked> CheckSetting(const SettingSpec& spec, const std::string& value) {
  Checked out{value, std::nullopt, 0};
  const std::string name(spec.name);
  switch (spec.type) {
    case SettingType::kString:
      break;
    case SettingType::kInteger: {
      auto r = std::from_chars(value.data(), value.data() + value.size(), out.integer);
      if (r.ec != std::errc() || r.ptr != value.data() + value.size() || out.integer < spec.min ||
          out.integer > spec.max) {
        return core::InvalidArgument(name + " must be an integer from " + std::to_string(spec.min) +
                                     " to " + std::to_string(spec.max));
      }
      break;
    }
    case SettingType::kDuration:
    case SettingType::kSchedule: {
      if (spec.type == SettingType::kSchedule && value == "off") {
        break;
      }
      auto d = ParseDuration(value);
      if (!d.has_value()) {
        return core::InvalidArgument(d.error().message() +
                                     (spec.type == SettingType::kSchedule ? " (or \"off\")" : ""));
      }
      out.duration = *d;
      break;
    }
    case SettingType::kRegion: {
      for (char& ch : out.text) {
        ch = static_cast<char>(ch >= 'a' && ch <= 'z' ? ch - ('a' - 'A') : ch);
      }
      const std::string& u = out.text;
      if (u.size() != 2 || u[0] < 'A' || u[0] > 'Z' || u[1] < 'A' || u[1] > 'Z') {
        return core::InvalidArgument(name + " " + Quote(value) +
                                     " must be an ISO 3166-1 alpha-2 region such as GB, US or DE");
      }
      break;
    }
    case SettingType::kUrl:
      if (!value.starts_with("http://") && !value.starts_with("https://")) {
        return core::InvalidArgument(name + " " + Quote(value) +
                                     ": expected an http:// or https:// URL");
      }
      break;
  }
  return out;
}

// The typed fields of Config, bound by setting name; a setting without one is read through
// Config::Setting only.
struct Binding {
  std::string_view name;
  void (*apply)(Config&, const Checked&, const Position&);
};

constexpr Binding kBindings[] = {
    {"retention.default_period", [](Config& c, const Checked& v,
                                    const Position&) { c.retention_default_period = *v.duration; }},
    {"retention.default_legal_basis",
     [](Config& c, const Checked& v, const Position&) {
       c.retention_default_legal_basis = v.text;
     }},
    {"retention.schedule",
     [](Config& c, const Checked& v, const Position&) { c.retention_schedule = v.duration; }},
    {"retention.batch_size",
     [](Config& c, const Checked& v, const Position&) {
       c.retention_batch_size = static_cast<int>(v.integer);
     }},
    {"directory.default_region",
     [](Config& c, const Checked& v, const Position& where) {
       c.directory_default_region = v.text;
       c.directory_default_region_where = where;
     }},
};

// Walks one YAML document, collecting errors with positions.
class Loader {
 public:
  Loader(std::string_view file, const EnvLookup& env) : file_(file), env_(env) {}

  LoadResult Run(std::string_view text) {
    if (const auto problem = CheckYaml(text)) {
      result_.errors.push_back({Position{file_, problem->line, problem->column}, problem->message});
      return std::move(result_);
    }
    try {
      const YAML::Node root = YAML::Load(std::string(text));
      ReadRoot(root);
    } catch (const YAML::Exception& e) {
      result_.errors.push_back({At(e.mark), e.msg});
      return std::move(result_);
    }
    ApplySettings();
    CheckDeskReferences();
    result_.config.source = file_;
    return std::move(result_);
  }

  // Defaults and environment only.
  LoadResult Defaults() {
    ApplySettings();
    return std::move(result_);
  }

 private:
  Position At(const YAML::Mark& mark) const {
    if (mark.is_null()) {
      return {file_, 0, 0};
    }
    return {file_, mark.line + 1, mark.column + 1};
  }

  Position At(const YAML::Node& node) const { return At(node.Mark()); }

  void Error(const Position& where, std::string message) {
    result_.errors.push_back({where, std::move(message)});
  }

  // Iterates a mapping, reporting duplicate and non-scalar keys; `fn(key, value)`.
  template <typename Fn>
  void EachMember(const YAML::Node& map, std::string_view what, Fn fn) {
    if (!map.IsMap()) {
      Error(At(map), std::string(what) + " must be a mapping");
      return;
    }
    std::set<std::string> seen;
    for (auto it = map.begin(); it != map.end(); ++it) {
      if (!it->first.IsScalar()) {
        Error(At(it->first), "keys in " + std::string(what) + " must be plain names");
        continue;
      }
      const std::string key = it->first.Scalar();
      if (!seen.insert(key).second) {
        Error(At(it->first), "duplicate key " + Quote(key) + " in " + std::string(what));
        continue;
      }
      fn(key, it->first, it->second);
    }
  }

  std::optional<std::string> Scalar(const YAML::Node& node, std::string_view what) {
    if (!node.IsScalar() || node.Scalar().empty()) {
      Error(At(node), std::string(what) + " must be a non-empty string");
      return std::nullopt;
    }
    return node.Scalar();
  }

  std::vector<std::string> StringList(const YAML::Node& node, std::string_view what) {
    std::vector<std::string> out;
    if (!node.IsSequence() || node.size() == 0) {
      Error(At(node), std::string(what) + " must be a non-empty list of strings");
      return out;
    }
    for (const YAML::Node& item : node) {
      if (auto s = Scalar(item, std::string("each entry of ") + std::string(what))) {
        out.push_back(std::move(*s));
      }
    }
    return out;
  }

  // A list of values each of which must be one of `known`; each bad one is an error at its
  // own position.
  template <std::size_t N>
  std::vector<std::string> ValueList(const YAML::Node& node, std::string_view what,
                                     std::string_view one, const std::string_view (&known)[N]) {
    std::vector<std::string> out;
    if (!node.IsSequence() || node.size() == 0) {
      Error(At(node), std::string(what) + " must be a non-empty list of strings");
      return out;
    }
    for (const YAML::Node& item : node) {
      auto s = Scalar(item, std::string("each entry of ") + std::string(what));
      if (!s) {
        continue;
      }
      if (!OneOf(known, *s)) {
        Error(At(item), "unknown " + std::string(one) + " " + Quote(*s) + " in " +
                            std::string(what) + " (known: " + JoinList(known) + ")");
        continue;
      }
      out.push_back(std::move(*s));
    }
    return out;
  }

  void Unknown(const YAML::Node& key, std::string_view section, std::string_view known) {
    Error(At(key), "unknown key " + Quote(key.Scalar()) + " in " + std::string(section) +
                       " (known: " + std::string(known) + ")");
  }

  void ReadRoot(const YAML::Node& root) {
    if (root.IsNull()) {
      return;  // an empty file: defaults
    }
    ReadSection(root, "");
  }

  // A mapping of the settings table: `section` ("" for the top level) accepts exactly the
  // settings, subsections and structured keys the table gives it.
  void ReadSection(const YAML::Node& node, const std::string& section) {
    const std::string label = section.empty() ? "the top level" : section;
    if (!section.empty()) {
      section_where_[section] = At(node);
    }
    const SectionSpec* spec = FindSection(section);
    EachMember(
        node, label, [&](const std::string& key, const YAML::Node& k, const YAML::Node& value) {
          const std::string full = section.empty() ? key : section + "." + key;
          const SectionSpec* sub = FindSection(full);
          if (FindSetting(full) != nullptr) {
            if (auto s = Scalar(value, full)) {
              file_values_[full] = {*s, At(value)};
            }
          } else if (sub != nullptr && !sub->structured.empty() &&
                     sub->structured.front().empty()) {
            ReadStructured(full, value);  // the whole section is one structure
          } else if (sub != nullptr) {
            ReadSection(value, full);
          } else if (spec != nullptr && std::find(spec->structured.begin(), spec->structured.end(),
                                                  key) != spec->structured.end()) {
            ReadStructured(full, value);
          } else {
            Unknown(k, label, Join(KnownKeys(section)));
          }
        });
  }

  // The structured keys of the table, each read by its own function.
  void ReadStructured(const std::string& name, const YAML::Node& value) {
    if (name == "retention.classes") {
      ReadClasses(value);
    } else if (name == "desks") {
      ReadDesks(value);
    } else {
      Error(At(value), name + ": no reader for this structured key (a bug)");
    }
  }

  void ReadClasses(const YAML::Node& node) {
    if (!node.IsSequence()) {
      Error(At(node), "retention.classes must be a list");
      return;
    }
    std::set<std::string> names;
    for (const YAML::Node& item : node) {
      RetentionClassConfig c;
      c.where = At(item);
      bool has_period = false;
      EachMember(item, "a retention class",
                 [&](const std::string& key, const YAML::Node& k, const YAML::Node& value) {
                   if (key == "name") {
                     auto s = Scalar(value, "name");
                     if (s && !IsValidName(*s)) {
                       Error(At(value), "class name " + Quote(*s) +
                                            " must be lower-case letters, digits, '.', '_' or '-'");
                     } else if (s && !names.insert(*s).second) {
                       Error(At(value), "duplicate retention class " + Quote(*s));
                     } else if (s) {
                       c.name = *s;
                     }
                   } else if (key == "period") {
                     if (auto s = Scalar(value, "period")) {
                       auto d = ParseDuration(*s);
                       if (d.has_value()) {
                         c.period = *d;
                         has_period = true;
                       } else {
                         Error(At(value), d.error().message());
                       }
                     }
                   } else if (key == "legal_basis") {
                     c.legal_basis = Scalar(value, "legal_basis").value_or("");
                   } else if (key == "channels") {
                     c.channels = StringList(value, "channels");
                     c.channels_where = At(value);
                   } else if (key == "desks") {
                     c.desks = StringList(value, "desks");
                     desk_refs_.emplace_back(At(value), c.desks);
                   } else if (key == "rules") {
                     c.rules = StringList(value, "rules");
                     c.rules_where = At(value);
                     if (value.IsSequence() && value.size() == c.rules.size()) {
                       for (const YAML::Node& rule : value) {
                         c.rule_positions.push_back(At(rule));
                       }
                     }
                   } else if (key == "severities") {
                     c.severities = ValueList(value, "severities", "severity", kSeverities);
                   } else if (key == "actions") {
                     c.actions = ValueList(value, "actions", "action", kActions);
                   } else {
                     Unknown(k, "a retention class",
                             "name, period, legal_basis, channels, desks, rules, severities, "
                             "actions");
                   }
                 });
      if (!item.IsMap()) {
        continue;
      }
      for (std::string_view required : {"name", "period", "legal_basis"}) {
        if (!item[std::string(required)]) {
          Error(c.where, "retention class is missing " + std::string(required));
        }
      }
      if (!item["channels"] && !item["desks"] && !item["rules"] && !item["severities"] &&
          !item["actions"]) {
        Error(c.where, "retention class " + Quote(c.name) +
                           " must match something: give channels, desks, rules, severities or"
                           " actions");
      }
      if (has_period && !c.name.empty()) {
        result_.config.retention_classes.push_back(std::move(c));
      }
    }
  }

  void ReadDesks(const YAML::Node& node) {
    EachMember(node, "desks",
               [&](const std::string& key, const YAML::Node& k, const YAML::Node& value) {
                 if (!IsValidName(key)) {
                   Error(At(k), "desk name " + Quote(key) +
                                    " must be lower-case letters, digits, '.', '_' or '-'");
                   return;
                 }
                 result_.config.desks[key] = StringList(value, "desk " + Quote(key));
               });
  }

  void CheckDeskReferences() {
    for (const auto& [where, desks] : desk_refs_) {
      for (const std::string& desk : desks) {
        if (result_.config.desks.count(desk) == 0) {
          Error(where, "unknown desk " + Quote(desk) + " (define it under desks:)");
        }
      }
    }
  }

  // The value of each setting: environment, then file, then default; checked by its type,
  // kept in Config::settings and copied into the typed field bound to it.
  void ApplySettings() {
    Config& c = result_.config;
    for (const SettingSpec& spec : AllSettings()) {
      std::string value(spec.default_value);
      Position where{"(default of " + std::string(spec.name) + ")", 0, 0};
      if (auto it = file_values_.find(std::string(spec.name)); it != file_values_.end()) {
        value = it->second.first;
        where = it->second.second;
      }
      if (auto env = env_ ? env_(spec.env_var) : std::nullopt; env && !env->empty()) {
        value = *env;
        where = {"environment variable " + std::string(spec.env_var), 0, 0};
      }
      if (value.empty()) {
        continue;  // an optional setting that is not given
      }
      given_.insert(std::string(spec.name));
      core::Result<Checked> checked = CheckSetting(spec, value);
      if (!checked.has_value()) {
        Error(where, checked.error().message());
        continue;
      }
      c.settings[std::string(spec.name)] = {checked->text, where};
      for (const Binding& binding : kBindings) {
        if (binding.name == spec.name) {
          binding.apply(c, *checked, where);
        }
      }
    }
    CheckAllOrNone();
  }

  // A section whose settings go together: once it is written or one of them is given, each
  // is required.
  void CheckAllOrNone() {
    for (const SectionSpec& section : AllSections()) {
      if (!section.all_or_none) {
        continue;
      }
      const std::string prefix = std::string(section.name) + ".";
      std::vector<std::string_view> missing;
      bool any = section_where_.count(std::string(section.name)) > 0;
      for (const SettingSpec& spec : AllSettings()) {
        if (!spec.name.starts_with(prefix)) {
          continue;
        }
        if (given_.count(std::string(spec.name)) > 0) {  // a bad value is an error of its own
          any = true;
        } else {
          missing.push_back(spec.name);
        }
      }
      if (!any) {
        continue;
      }
      const auto at = section_where_.find(std::string(section.name));
      const Position where = at != section_where_.end()
                                 ? at->second
                                 : Position{"(" + std::string(section.name) + ")", 0, 0};
      for (std::string_view name : missing) {
        Error(where, std::string(name) + ": required (a non-empty string) when " +
                         std::string(section.name) + " is configured");
      }
    }
  }

  std::string file_;
  const EnvLookup& env_;
  LoadResult result_;
  std::map<std::string, std::pair<std::string, Position>> file_values_;
  std::vector<std::pair<Position, std::vector<std::string>>> desk_refs_;
  std::map<std::string, Position> section_where_;  // each section written in the file
  std::set<std::string> given_;                    // settings with a value, valid or not
};

}  // namespace

std::string Position::ToString() const {
  if (line <= 0) {
    return file;
  }
  return file + ":" + std::to_string(line) + ":" + std::to_string(column);
}

std::string Diagnostic::ToString() const { return where.ToString() + ": " + message; }

core::Status LoadResult::ToStatus() const {
  if (errors.empty()) {
    return core::Status::Ok();
  }
  std::string message = "invalid configuration:";
  for (const Diagnostic& d : errors) {
    message += "\n  " + d.ToString();
  }
  return core::InvalidArgument(std::move(message));
}

EnvLookup ProcessEnvironment() {
  return [](std::string_view name) -> std::optional<std::string> {
    const char* value = std::getenv(std::string(name).c_str());  // NOLINT(concurrency-mt-unsafe)
    if (value == nullptr) {
      return std::nullopt;
    }
    return std::string(value);
  };
}

LoadResult DefaultConfig(const EnvLookup& env) { return Loader("", env).Defaults(); }

LoadResult ParseConfig(std::string_view yaml, std::string_view file_name, const EnvLookup& env) {
  return Loader(file_name, env).Run(yaml);
}

LoadResult LoadConfigFile(const std::string& path, const EnvLookup& env) {
  std::error_code ec;
  if (!std::filesystem::exists(path, ec)) {
    return DefaultConfig(env);
  }
  std::ifstream in(path, std::ios::binary);
  std::ostringstream buffer;
  buffer << in.rdbuf();
  std::string text = std::move(buffer).str();
  if (!in.is_open() || in.bad() || std::filesystem::is_directory(path, ec)) {
    LoadResult r;
    r.errors.push_back({{path, 0, 0}, "cannot read the configuration file"});
    return r;
  }
  return ParseConfig(text, path, env);
}

}  // namespace custos::config
