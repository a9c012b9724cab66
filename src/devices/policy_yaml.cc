// SPDX-License-Identifier: Apache-2.0
// YAML <-> Policy with yaml-cpp. Errors carry file:line:column (1-based) and the field.
#include <algorithm>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>

#include <yaml-cpp/yaml.h>

#include "config/yaml_guard.h"
#include "devices/policy.h"

namespace custos::devices {
namespace {

core::Status ErrorAt(std::string_view file, const YAML::Node& node, const std::string& msg) {
  const YAML::Mark m = node.Mark();
  return core::InvalidArgument(std::string(file) + ":" + std::to_string(m.line + 1) + ":" +
                               std::to_string(m.column + 1) + ": " + msg);
}

core::Status CheckKeys(std::string_view file, const YAML::Node& map,
                       const std::set<std::string>& allowed, const std::string& where) {
  if (!map.IsMap()) {
    return ErrorAt(file, map, where + ": expected a mapping");
  }
  for (const auto& kv : map) {
    const std::string key = kv.first.as<std::string>();
    if (!allowed.count(key)) {
      return ErrorAt(file, kv.first, where + ": unknown field '" + key + "'");
    }
  }
  return core::Status::Ok();
}

core::Result<int> Int(std::string_view file, const YAML::Node& n, const std::string& field) {
  try {
    return n.as<int>();
  } catch (const YAML::Exception&) {
    return ErrorAt(file, n, field + ": expected an integer");
  }
}

core::Result<std::string> Str(std::string_view file, const YAML::Node& n,
                              const std::string& field) {
  if (!n.IsScalar()) {
    return ErrorAt(file, n, field + ": expected a scalar");
  }
  return n.as<std::string>();
}

core::Result<bool> Bool(std::string_view file, const YAML::Node& n, const std::string& field) {
  try {
    return n.as<bool>();
  } catch (const YAML::Exception&) {
    return ErrorAt(file, n, field + ": expected true or false");
  }
}

template <typename T, typename Fn>
core::Status Enum(std::string_view file, const YAML::Node& n, const std::string& field, Fn parse,
                  T* out) {
  ASSIGN_OR_RETURN(std::string text, Str(file, n, field));
  auto v = parse(text);
  if (!v) {
    return ErrorAt(file, n, field + ": " + v.error().message());
  }
  *out = *v;
  return core::Status::Ok();
}

core::Status ParseAppliesTo(std::string_view file, const YAML::Node& n, const std::string& where,
                            Rule* rule) {
  RETURN_IF_ERROR(CheckKeys(file, n, {"platforms", "ownership"}, where));
  for (const auto& p : n["platforms"]) {
    Platform v{};
    RETURN_IF_ERROR(Enum(file, p, where + ".platforms", ParsePlatform, &v));
    rule->platforms.push_back(v);
  }
  for (const auto& o : n["ownership"]) {
    Ownership v{};
    RETURN_IF_ERROR(Enum(file, o, where + ".ownership", ParseOwnership, &v));
    rule->ownerships.push_back(v);
  }
  return core::Status::Ok();
}

core::Result<Rule> ParseRule(std::string_view file, const YAML::Node& n, std::size_t index) {
  std::string where = "rules[" + std::to_string(index) + "]";
  RETURN_IF_ERROR(CheckKeys(file, n,
                            {"id", "control", "value", "severity", "applies_to", "evidence",
                             "grace_hours", "remediation"},
                            where));
  Rule rule;
  if (!n["id"] || !n["control"]) {
    return ErrorAt(file, n, where + ": 'id' and 'control' are required");
  }
  ASSIGN_OR_RETURN(rule.id, Str(file, n["id"], where + ".id"));
  where = "rule '" + rule.id + "'";
  ASSIGN_OR_RETURN(rule.control, Str(file, n["control"], where + ".control"));
  const ControlInfo* control = FindControl(rule.control);
  if (control == nullptr) {
    return ErrorAt(file, n["control"],
                   where + ".control: unknown control '" + rule.control +
                       "' (docs/devices.md lists the catalogue)");
  }
  const YAML::Node value = n["value"];
  if (control->kind != ValueKind::kNone && !value) {
    return ErrorAt(file, n, where + ".value: required for control " + rule.control);
  }
  if (control->kind == ValueKind::kList) {
    if (!value.IsSequence()) {
      return ErrorAt(file, value, where + ".value: expected a list");
    }
    for (const auto& item : value) {
      ASSIGN_OR_RETURN(std::string s, Str(file, item, where + ".value"));
      rule.values.push_back(std::move(s));
    }
  } else if (control->kind == ValueKind::kInt) {
    ASSIGN_OR_RETURN(int v, Int(file, value, where + ".value"));
    rule.value = std::to_string(v);
  } else if (control->kind == ValueKind::kString) {
    ASSIGN_OR_RETURN(rule.value, Str(file, value, where + ".value"));
  }
  if (n["severity"]) {
    RETURN_IF_ERROR(Enum(file, n["severity"], where + ".severity", ParseSeverity, &rule.severity));
  }
  if (n["evidence"]) {
    RETURN_IF_ERROR(Enum(file, n["evidence"], where + ".evidence", ParseEvidence, &rule.evidence));
  }
  if (n["applies_to"]) {
    RETURN_IF_ERROR(ParseAppliesTo(file, n["applies_to"], where + ".applies_to", &rule));
  }
  if (n["grace_hours"]) {
    ASSIGN_OR_RETURN(rule.grace_hours, Int(file, n["grace_hours"], where + ".grace_hours"));
  }
  if (n["remediation"]) {
    ASSIGN_OR_RETURN(rule.remediation, Str(file, n["remediation"], where + ".remediation"));
  }
  return rule;
}

core::Result<LadderStep> ParseStep(std::string_view file, const YAML::Node& n, std::size_t i) {
  const std::string where = "ladder[" + std::to_string(i) + "]";
  RETURN_IF_ERROR(CheckKeys(file, n,
                            {"after_hours", "after_hours_high", "min_severity", "actions",
                             "requires_approval", "corporate_only"},
                            where));
  LadderStep step;
  if (!n["after_hours"] || !n["actions"] || !n["actions"].IsSequence()) {
    return ErrorAt(file, n, where + ": 'after_hours' and a list of 'actions' are required");
  }
  ASSIGN_OR_RETURN(step.after_hours, Int(file, n["after_hours"], where + ".after_hours"));
  if (n["after_hours_high"]) {
    ASSIGN_OR_RETURN(step.after_hours_high,
                     Int(file, n["after_hours_high"], where + ".after_hours_high"));
  }
  if (n["min_severity"]) {
    RETURN_IF_ERROR(
        Enum(file, n["min_severity"], where + ".min_severity", ParseSeverity, &step.min_severity));
  }
  for (const auto& a : n["actions"]) {
    Action action{};
    RETURN_IF_ERROR(Enum(file, a, where + ".actions", ParseAction, &action));
    step.actions.push_back(action);
  }
  if (n["requires_approval"]) {
    ASSIGN_OR_RETURN(step.requires_approval,
                     Bool(file, n["requires_approval"], where + ".requires_approval"));
  }
  if (n["corporate_only"]) {
    ASSIGN_OR_RETURN(step.corporate_only,
                     Bool(file, n["corporate_only"], where + ".corporate_only"));
  }
  return step;
}

core::Status ParseSettings(std::string_view file, const YAML::Node& s, Policy* p) {
  RETURN_IF_ERROR(CheckKeys(
      file, s, {"posture_max_age_hours", "unknown_is", "hr_case_episodes", "hr_case_window_days"},
      "settings"));
  if (s["posture_max_age_hours"]) {
    ASSIGN_OR_RETURN(p->posture_max_age_hours,
                     Int(file, s["posture_max_age_hours"], "settings.posture_max_age_hours"));
  }
  if (s["unknown_is"]) {
    ASSIGN_OR_RETURN(std::string v, Str(file, s["unknown_is"], "settings.unknown_is"));
    if (v != "fail" && v != "grace") {
      return ErrorAt(file, s["unknown_is"], "settings.unknown_is: expected fail or grace");
    }
    p->unknown_is_fail = v == "fail";
  }
  if (s["hr_case_episodes"]) {
    ASSIGN_OR_RETURN(p->hr_case_episodes,
                     Int(file, s["hr_case_episodes"], "settings.hr_case_episodes"));
  }
  if (s["hr_case_window_days"]) {
    ASSIGN_OR_RETURN(p->hr_case_window_days,
                     Int(file, s["hr_case_window_days"], "settings.hr_case_window_days"));
  }
  return core::Status::Ok();
}

core::Status ParseDocument(std::string_view file, const YAML::Node& root, Policy* p) {
  RETURN_IF_ERROR(
      CheckKeys(file, root, {"id", "version", "name", "settings", "rules", "ladder"}, "policy"));
  if (root["id"]) {
    ASSIGN_OR_RETURN(p->id, Str(file, root["id"], "id"));
  }
  if (root["version"]) {
    ASSIGN_OR_RETURN(p->version, Int(file, root["version"], "version"));
  }
  if (root["name"]) {
    ASSIGN_OR_RETURN(p->name, Str(file, root["name"], "name"));
  }
  if (root["settings"]) {
    RETURN_IF_ERROR(ParseSettings(file, root["settings"], p));
  }
  std::set<std::string> ids;
  for (std::size_t i = 0; i < root["rules"].size(); ++i) {
    ASSIGN_OR_RETURN(Rule rule, ParseRule(file, root["rules"][i], i));
    if (!ids.insert(rule.id).second) {
      return ErrorAt(file, root["rules"][i], "rule '" + rule.id + "': duplicate id");
    }
    p->rules.push_back(std::move(rule));
  }
  if (!root["ladder"]) {
    p->ladder = DefaultLadder();
    return core::Status::Ok();
  }
  int previous = -1;
  for (std::size_t i = 0; i < root["ladder"].size(); ++i) {
    ASSIGN_OR_RETURN(LadderStep step, ParseStep(file, root["ladder"][i], i));
    if (step.after_hours < previous) {
      return ErrorAt(
          file, root["ladder"][i],
          "ladder[" + std::to_string(i) + "].after_hours: steps must not go back in time");
    }
    previous = step.after_hours;
    p->ladder.push_back(std::move(step));
  }
  return core::Status::Ok();
}

}  // namespace

core::Result<Policy> ParsePolicyYaml(std::string_view yaml, std::string_view file) {
  Policy policy;
  if (const auto problem = config::CheckYaml(yaml)) {
    return core::InvalidArgument(config::FormatYamlProblem(file, *problem));
  }
  try {
    YAML::Node root = YAML::Load(std::string(yaml));
    RETURN_IF_ERROR(ParseDocument(file, root, &policy));
  } catch (const YAML::Exception& e) {
    return core::InvalidArgument(std::string(file) + ":" + std::to_string(e.mark.line + 1) + ":" +
                                 std::to_string(e.mark.column + 1) + ": " + e.msg);
  }
  return policy;
}

core::Result<Policy> LoadPolicyFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    return core::NotFound(path + ": cannot open");
  }
  std::stringstream buffer;
  buffer << in.rdbuf();
  return ParsePolicyYaml(buffer.str(), path);
}

core::Result<Policy> LoadDevicePolicy(const std::string& data_dir) {
  namespace fs = std::filesystem;
  const fs::path pack_devices = fs::path(data_dir) / "policy" / "active" / "devices";
  std::error_code ec;
  if (fs::is_directory(pack_devices, ec)) {
    std::vector<std::string> files;
    for (const auto& entry : fs::directory_iterator(pack_devices, ec)) {
      const std::string name = entry.path().filename().string();
      if (entry.is_regular_file(ec) && !name.starts_with(".") &&
          (name.ends_with(".yaml") || name.ends_with(".yml"))) {
        files.push_back(entry.path().string());
      }
    }
    if (files.size() > 1) {
      std::sort(files.begin(), files.end());
      return core::InvalidArgument(pack_devices.string() + ": one device policy per pack; found " +
                                   files[0] + " and " + files[1]);
    }
    if (files.size() == 1) {
      return LoadPolicyFile(files[0]);
    }
  }
  const std::string local = data_dir + "/devices-policy.yaml";
  if (std::ifstream(local).good()) {
    return LoadPolicyFile(local);
  }
  return LoadPolicyFile(CUSTOS_DEVICES_DEFAULT_POLICY);
}

std::string PolicyToYaml(const Policy& p) {
  YAML::Emitter out;
  out << YAML::BeginMap;
  out << YAML::Key << "id" << YAML::Value << p.id;
  out << YAML::Key << "version" << YAML::Value << p.version;
  out << YAML::Key << "name" << YAML::Value << p.name;
  out << YAML::Key << "settings" << YAML::Value << YAML::BeginMap;
  out << YAML::Key << "posture_max_age_hours" << YAML::Value << p.posture_max_age_hours;
  out << YAML::Key << "unknown_is" << YAML::Value << (p.unknown_is_fail ? "fail" : "grace");
  out << YAML::EndMap;
  out << YAML::Key << "rules" << YAML::Value << YAML::BeginSeq;
  for (const Rule& r : p.rules) {
    out << YAML::BeginMap;
    out << YAML::Key << "id" << YAML::Value << r.id;
    out << YAML::Key << "control" << YAML::Value << r.control;
    const ControlInfo* c = FindControl(r.control);
    if (c != nullptr && c->kind == ValueKind::kList) {
      out << YAML::Key << "value" << YAML::Value << YAML::Flow << r.values;
    } else if (c != nullptr && c->kind != ValueKind::kNone) {
      out << YAML::Key << "value" << YAML::Value << r.value;
    }
    out << YAML::Key << "severity" << YAML::Value << std::string(Name(r.severity));
    out << YAML::Key << "evidence" << YAML::Value << std::string(Name(r.evidence));
    if (r.grace_hours) {
      out << YAML::Key << "grace_hours" << YAML::Value << *r.grace_hours;
    }
    if (!r.platforms.empty()) {
      out << YAML::Key << "applies_to" << YAML::Value << YAML::BeginMap << YAML::Key << "platforms"
          << YAML::Value << YAML::Flow << YAML::BeginSeq;
      for (Platform pl : r.platforms) {
        out << std::string(Name(pl));
      }
      out << YAML::EndSeq << YAML::EndMap;
    }
    if (!r.remediation.empty()) {
      out << YAML::Key << "remediation" << YAML::Value << r.remediation;
    }
    out << YAML::EndMap;
  }
  out << YAML::EndSeq;
  out << YAML::EndMap;
  return std::string(out.c_str()) + "\n";
}

}  // namespace custos::devices
