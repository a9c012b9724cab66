// SPDX-License-Identifier: Apache-2.0
#include "http/self_json.h"

#include <string>

#include "core/time.h"

namespace custos::http {
namespace {

using Json = nlohmann::ordered_json;

Json Time(core::Micros t) { return core::FormatRfc3339(t); }

Json OptionalTime(const std::optional<core::Micros>& t) { return t ? Time(*t) : Json(); }

Json DeviceJson(const devices::DeviceInfo& d) {
  return {{"device_id", d.device_id},
          {"platform", devices::Name(d.platform)},
          {"ownership", devices::Name(d.ownership)},
          {"state", devices::Name(d.state)},
          {"messaging", devices::Name(d.access)},
          {"lost_state", devices::Name(d.lost)},
          {"posture_at", OptionalTime(d.posture_at)}};
}

Json PolicyJson(const app::SelfView& view) {
  if (view.policy_version.empty()) {
    return nullptr;
  }
  return {{"name", view.policy_name},
          {"version", view.policy_version},
          {"requires_acknowledgement", view.policy_requires_acknowledgement},
          {"acknowledged", view.acknowledgement.has_value()},
          {"acknowledgement",
           view.acknowledgement ? AcknowledgementJson(*view.acknowledgement) : Json()}};
}

Json RetentionJson(const app::SelfRetentionClass& c) {
  Json out{{"class", c.name},
           {"period", c.period},
           {"legal_basis", c.legal_basis},
           {"default", c.is_default}};
  if (!c.is_default) {
    out["channels"] = c.channels;
    out["desks"] = c.desks;
    out["rules"] = c.rules;
    out["severities"] = c.severities;
    out["actions"] = c.actions;
    out["my_desk"] = c.my_desk;
  }
  return out;
}

Json NoticeJson(const app::SelfNotice& n) {
  Json out{{"kind", n.kind}, {"message", n.message}};
  if (n.kind == "device_remediation") {
    out["device_id"] = n.device_id;
    out["rule"] = n.rule;
    out["severity"] = n.severity;
    out["due_at"] = OptionalTime(n.due_at);
  }
  return out;
}

}  // namespace

Json AcknowledgementJson(const archive::Acknowledgement& ack) {
  return {{"record_id", ack.record_id},
          {"version", ack.version},
          {"person_id", ack.person_id},
          {"acknowledged_at", Time(ack.acknowledged_at)}};
}

Json SelfViewJson(const Principal& principal, const app::SelfView& view) {
  Json who{{"kind", PrincipalKindName(principal.kind)},
           {"id", principal.id},
           {"actor", principal.Actor()},
           {"role", principal.role},
           {"roles", principal.roles},
           {"display_name", view.person ? Json(view.person->name) : Json()},
           {"person_id", view.person ? Json(view.person->id) : Json()}};
  Json person = nullptr;
  if (view.person) {
    person = {{"id", view.person->id},
              {"name", view.person->name},
              {"group", view.person->group},
              {"employee", view.person->employee}};
  }
  Json device_list = Json::array();
  for (const devices::DeviceInfo& d : view.devices) {
    device_list.push_back(DeviceJson(d));
  }
  Json identities = Json::array();
  for (const app::SelfIdentity& i : view.identities) {
    identities.push_back({{"kind", i.kind}, {"value", i.value}});
  }
  Json channels = Json::array();
  for (const app::SelfChannel& c : view.channels) {
    channels.push_back({{"channel", c.channel},
                        {"conversations", c.conversations},
                        {"messages", c.messages},
                        {"last_message_at", Time(c.last_message_at)}});
  }
  Json retention = Json::array();
  for (const app::SelfRetentionClass& c : view.retention) {
    retention.push_back(RetentionJson(c));
  }
  Json notices = Json::array();
  for (const app::SelfNotice& n : view.notices) {
    notices.push_back(NoticeJson(n));
  }
  return {{"principal", who},         {"person", person},     {"devices", device_list},
          {"identities", identities}, {"channels", channels}, {"policy", PolicyJson(view)},
          {"retention", retention},   {"notices", notices}};
}

Json AcknowledgementListingJson(const app::AcknowledgementListing& listing) {
  Json items = Json::array();
  for (const app::AcknowledgementStatus& s : listing.people) {
    const auto& a = s.acknowledgement;
    items.push_back({{"person_id", s.person.id},
                     {"name", s.person.name},
                     {"group", s.person.group},
                     {"primary", s.person.primary},
                     {"acknowledged", a.has_value()},
                     {"acknowledged_at", a ? Time(a->acknowledged_at) : Json()},
                     {"record_id", a ? Json(a->record_id) : Json()}});
  }
  Json others = Json::array();
  for (const archive::Acknowledgement& a : listing.others) {
    others.push_back(AcknowledgementJson(a));
  }
  return {{"version", listing.version},
          {"in_force", listing.in_force},
          {"requires_acknowledgement", listing.requires_acknowledgement},
          {"acknowledged", listing.acknowledged},
          {"pending", listing.pending},
          {"items", items},
          {"others", others}};
}

}  // namespace custos::http
