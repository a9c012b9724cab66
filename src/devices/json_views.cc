// SPDX-License-Identifier: Apache-2.0
#include "devices/json_views.h"

#include <nlohmann/json.hpp>

#include "devices/sql/store.h"

namespace custos::devices {
namespace {

using nlohmann::ordered_json;

ordered_json Device(const DeviceInfo& d) {
  ordered_json j;
  j["device_id"] = d.device_id;
  j["person"] = d.person;
  j["platform"] = Name(d.platform);
  j["ownership"] = Name(d.ownership);
  j["management_mode"] = d.management_mode;
  j["enrolled_at"] = core::FormatRfc3339(d.enrolled_at);
  j["credential_issued"] = d.credential_issued;
  j["lost_state"] = Name(d.lost);
  j["state"] = Name(d.state);
  j["messaging"] = Name(d.access);
  j["posture_at"] = d.posture_at ? ordered_json(core::FormatRfc3339(*d.posture_at)) : nullptr;
  j["privacy_dropped"] = d.privacy_dropped;
  j["rules"] = ordered_json::parse(internal::ResultsToJson(d.results));
  return j;
}

}  // namespace

std::string DeviceJson(const DeviceInfo& d) { return Device(d).dump(); }

std::string DeviceListJson(const std::vector<DeviceInfo>& devices) {
  ordered_json items = ordered_json::array();
  for (const auto& d : devices) {
    items.push_back(Device(d));
  }
  return ordered_json{{"items", items}}.dump();
}

std::string CommandListJson(const std::vector<Command>& commands) {
  ordered_json items = ordered_json::array();
  for (const auto& c : commands) {
    items.push_back({{"id", c.id},
                     {"type", Name(c.type)},
                     {"state", Name(c.state)},
                     {"uuid", c.uuid},
                     {"actor", c.actor},
                     {"created_at", core::FormatRfc3339(c.created_at)},
                     {"updated_at", core::FormatRfc3339(c.updated_at)},
                     {"expires_at", core::FormatRfc3339(c.expires_at)},
                     {"detail", c.detail}});
  }
  return ordered_json{{"items", items}}.dump();
}

std::string ReportJson(const ComplianceReport& r) {
  return ordered_json{{"devices", r.devices},
                      {"by_state", r.by_state},
                      {"by_failing_rule", r.by_failing_rule},
                      {"by_lost_state", r.by_lost_state}}
      .dump();
}

std::string ImportJson(const ImportResult& r) {
  return ordered_json{{"policy", PolicyToYaml(r.policy)},
                      {"rules", r.policy.rules.size()},
                      {"mapped", r.mapped},
                      {"unmapped", r.unmapped}}
      .dump();
}

}  // namespace custos::devices
