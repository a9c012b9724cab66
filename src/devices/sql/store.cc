// SPDX-License-Identifier: Apache-2.0
#include "devices/sql/store.h"

#include <nlohmann/json.hpp>

#include "archive/payload.h"
#include "core/text.h"

namespace custos::devices::internal {
namespace {

using nlohmann::json;
using storage::Value;

constexpr const char* kDeviceColumns =
    "device_id, person, platform, ownership, management_mode, enrolled_at, credential_hash, "
    "lost_state, lost_reported_by, lost_reported_at, found_at, state, access, track, results, "
    "posture, posture_at, privacy_dropped, person_hash, key_version, wrapped_key, payload";

constexpr std::string_view kDevicesTable = "devices";
constexpr std::string_view kCommandsTable = "device_commands";

std::string Aad(std::string_view table, std::string_view id) {
  return std::string(table) + '\x1f' + std::string(id);
}

Value OptTime(const std::optional<core::Micros>& t) {
  return t ? Value{*t} : Value{std::monostate{}};
}

template <typename E, typename Fn>
E ParseOr(const std::string& s, Fn parse, E fallback) {
  auto v = parse(s);
  return v ? *v : fallback;
}

// The sealed JSON of a row's payload; nullopt for a row from before migration 7.
core::Result<std::optional<json>> OpenPayload(const crypto::KeyRing& keys, const storage::Row& r,
                                              int first, std::string_view table,
                                              const std::string& id) {
  if (r.IsNull(first + 2)) {
    return std::optional<json>();
  }
  crypto::Envelope sealed{static_cast<int>(r.Int(first)), r.Text(first + 1), r.Text(first + 2)};
  ASSIGN_OR_RETURN(std::string plain, keys.OpenEnvelope(sealed, Aad(table, id)));
  json j = json::parse(plain, nullptr, false);
  if (!j.is_object()) {
    return core::DataLoss(std::string(table) + " " + id + ": sealed payload is malformed");
  }
  return std::optional<json>(std::move(j));
}

core::Result<DeviceRow> FromRow(const crypto::KeyRing& keys, const storage::Row& r) {
  DeviceRow d;
  DeviceInfo& i = d.info;
  i.device_id = r.Text(0);
  ASSIGN_OR_RETURN(std::optional<json> sealed,
                   OpenPayload(keys, r, 19, kDevicesTable, i.device_id));
  d.sealed = sealed.has_value();
  std::string results;
  if (sealed) {
    i.person = sealed->value("person", "");
    i.person_id = sealed->value("person_id", std::int64_t{0});
    d.lost.reported_by = sealed->value("lost_reported_by", "");
    d.posture_json = sealed->value("posture", "");
    results = sealed->value("results", "[]");
  } else {
    i.person = r.Text(1);
    d.lost.reported_by = r.Text(8);
    d.posture_json = r.Text(15);
    results = r.Text(14);
  }
  i.person_hash = r.IsNull(18) ? std::string() : r.Text(18);
  i.platform = ParseOr(r.Text(2), ParsePlatform, Platform::kUnknown);
  i.ownership = ParseOr(r.Text(3), ParseOwnership, Ownership::kUnknown);
  i.management_mode = r.Text(4);
  i.enrolled_at = r.Int(5);
  i.credential_issued = !r.IsNull(6);
  d.lost.state = ParseOr(r.Text(7), ParseLostState, LostState::kActive);
  i.lost = d.lost.state;
  d.lost.reported_at = r.Int(9);
  if (!r.IsNull(10)) {
    d.lost.found_at = r.Int(10);
  }
  for (int s = 0; s <= static_cast<int>(DeviceState::kLost); ++s) {
    if (Name(static_cast<DeviceState>(s)) == r.Text(11)) {
      i.state = static_cast<DeviceState>(s);
    }
  }
  for (int a = 0; a <= static_cast<int>(MessagingAccess::kBlocked); ++a) {
    if (Name(static_cast<MessagingAccess>(a)) == r.Text(12)) {
      i.access = static_cast<MessagingAccess>(a);
    }
  }
  d.track = TrackFromJson(r.Text(13));
  i.results = ResultsFromJson(results);
  if (!r.IsNull(16)) {
    i.posture_at = r.Int(16);
  }
  i.privacy_dropped = static_cast<int>(r.Int(17));
  return d;
}

core::Result<Command> CommandFromRow(const crypto::KeyRing& keys, const storage::Row& r) {
  Command c;
  c.id = r.Int(0);
  c.device_id = r.Text(1);
  c.type = ParseOr(r.Text(2), ParseCommandType, CommandType::kLock);
  c.state = ParseOr(r.Text(3), ParseCommandState, CommandState::kQueued);
  c.uuid = r.Text(4);
  c.created_at = r.Int(6);
  c.updated_at = r.Int(7);
  c.expires_at = r.Int(8);
  ASSIGN_OR_RETURN(std::optional<json> sealed, OpenPayload(keys, r, 10, kCommandsTable, c.uuid));
  if (sealed) {
    c.actor = sealed->value("actor", "");
    c.detail = sealed->value("detail", "");
  } else {
    c.actor = r.Text(5);
    c.detail = r.Text(9);
  }
  return c;
}

core::Result<crypto::Envelope> SealCommand(const crypto::KeyRing& keys, const Command& c) {
  return keys.SealEnvelope(json{{"actor", c.actor}, {"detail", c.detail}}.dump(),
                           Aad(kCommandsTable, c.uuid));
}

}  // namespace

std::string PersonHash(const crypto::KeyRing& keys, std::int64_t person_id,
                       std::string_view lookup_key) {
  return keys.IndexHash(person_id != 0 ? "device-person\x1f"
                                         "directory:" +
                                             std::to_string(person_id)
                                       : "device-person\x1f"
                                         "identity:" +
                                             std::string(lookup_key));
}

std::string ActorHash(const crypto::KeyRing& keys, std::string_view actor) {
  return archive::DeviceActorHash(keys, actor);
}

core::Result<std::optional<DeviceRow>> LoadDevice(storage::Transaction& tx,
                                                  const crypto::KeyRing& keys,
                                                  const std::string& device_id) {
  ASSIGN_OR_RETURN(auto rows, tx.Query(std::string("SELECT ") + kDeviceColumns +
                                           " FROM devices WHERE device_id = ?",
                                       {device_id}));
  if (rows.empty()) {
    return std::optional<DeviceRow>();
  }
  ASSIGN_OR_RETURN(DeviceRow row, FromRow(keys, rows.front()));
  return std::optional<DeviceRow>(std::move(row));
}

core::Result<std::vector<DeviceRow>> LoadDevices(storage::Transaction& tx,
                                                 const crypto::KeyRing& keys,
                                                 const std::vector<std::string>& person_hashes) {
  std::string sql = std::string("SELECT ") + kDeviceColumns + " FROM devices";
  std::vector<Value> params;
  if (!person_hashes.empty()) {
    sql += " WHERE person_hash IN (";
    for (std::size_t i = 0; i < person_hashes.size(); ++i) {
      sql += i == 0 ? "?" : ", ?";
      params.emplace_back(storage::Blob{person_hashes[i]});
    }
    sql += ")";
  }
  ASSIGN_OR_RETURN(auto rows, tx.Query(sql + " ORDER BY id", params));
  std::vector<DeviceRow> out;
  for (const auto& r : rows) {
    ASSIGN_OR_RETURN(DeviceRow row, FromRow(keys, r));
    out.push_back(std::move(row));
  }
  return out;
}

core::Status InsertDevice(storage::Transaction& tx, const crypto::KeyRing& keys,
                          const DeviceInfo& i) {
  RETURN_IF_ERROR(tx.Execute(
      "INSERT INTO devices (device_id, person, platform, ownership, management_mode, "
      "enrolled_at, lost_state, state, access, track, results, posture, privacy_dropped) "
      "VALUES (?, '', ?, ?, ?, ?, 'active', 'unknown', 'allow', '{}', '', '', 0)",
      {i.device_id, std::string(Name(i.platform)), std::string(Name(i.ownership)),
       i.management_mode, i.enrolled_at}));
  DeviceRow row;
  row.info = i;
  return SaveDevice(tx, keys, row);
}

core::Status SaveDevice(storage::Transaction& tx, const crypto::KeyRing& keys, const DeviceRow& d) {
  const json payload = {{"person", d.info.person},
                        {"person_id", d.info.person_id},
                        {"lost_reported_by", d.lost.reported_by},
                        {"posture", d.posture_json},
                        {"results", ResultsToJson(d.info.results)}};
  ASSIGN_OR_RETURN(crypto::Envelope sealed,
                   keys.SealEnvelope(payload.dump(), Aad(kDevicesTable, d.info.device_id)));
  return tx.Execute(
      "UPDATE devices SET person = '', management_mode = ?, lost_state = ?, "
      "lost_reported_by = NULL, lost_reported_at = ?, found_at = ?, state = ?, access = ?, "
      "track = ?, results = '', posture = '', posture_at = ?, privacy_dropped = ?, "
      "person_hash = ?, key_version = ?, wrapped_key = ?, payload = ? WHERE device_id = ?",
      {d.info.management_mode, std::string(Name(d.lost.state)), d.lost.reported_at,
       OptTime(d.lost.found_at), std::string(Name(d.info.state)), std::string(Name(d.info.access)),
       TrackToJson(d.track), OptTime(d.info.posture_at), std::int64_t{d.info.privacy_dropped},
       d.info.person_hash.empty() ? Value{std::monostate{}}
                                  : Value{storage::Blob{d.info.person_hash}},
       std::int64_t{sealed.key_version}, storage::Blob{sealed.wrapped_key},
       storage::Blob{sealed.ciphertext}, d.info.device_id});
}

core::Result<std::int64_t> InsertCommand(storage::Transaction& tx, const crypto::KeyRing& keys,
                                         const Command& c) {
  ASSIGN_OR_RETURN(crypto::Envelope sealed, SealCommand(keys, c));
  RETURN_IF_ERROR(
      tx.Execute("INSERT INTO device_commands (device_id, type, state, uuid, actor, created_at, "
                 "updated_at, expires_at, detail, key_version, wrapped_key, payload) "
                 "VALUES (?, ?, ?, ?, '', ?, ?, ?, '', ?, ?, ?)",
                 {c.device_id, std::string(Name(c.type)), std::string(Name(c.state)), c.uuid,
                  c.created_at, c.updated_at, c.expires_at, std::int64_t{sealed.key_version},
                  storage::Blob{sealed.wrapped_key}, storage::Blob{sealed.ciphertext}}));
  ASSIGN_OR_RETURN(auto rows, tx.Query("SELECT last_insert_rowid()"));
  return rows.front().Int(0);
}

core::Status SaveCommand(storage::Transaction& tx, const crypto::KeyRing& keys, const Command& c) {
  ASSIGN_OR_RETURN(crypto::Envelope sealed, SealCommand(keys, c));
  return tx.Execute(
      "UPDATE device_commands SET state = ?, updated_at = ?, actor = '', detail = '', "
      "key_version = ?, wrapped_key = ?, payload = ? WHERE id = ?",
      {std::string(Name(c.state)), c.updated_at, std::int64_t{sealed.key_version},
       storage::Blob{sealed.wrapped_key}, storage::Blob{sealed.ciphertext}, c.id});
}

core::Result<std::vector<Command>> LoadCommands(storage::Transaction& tx,
                                                const crypto::KeyRing& keys,
                                                const std::string& device_id) {
  ASSIGN_OR_RETURN(auto rows, tx.Query("SELECT id, device_id, type, state, uuid, actor, "
                                       "created_at, updated_at, expires_at, detail, key_version, "
                                       "wrapped_key, payload FROM device_commands WHERE "
                                       "device_id = ? ORDER BY id",
                                       {device_id}));
  std::vector<Command> out;
  for (const auto& r : rows) {
    ASSIGN_OR_RETURN(Command c, CommandFromRow(keys, r));
    out.push_back(std::move(c));
  }
  return out;
}

core::Result<std::vector<std::string>> DevicesWithUnsealedCommands(storage::Transaction& tx) {
  ASSIGN_OR_RETURN(auto rows, tx.Query("SELECT DISTINCT device_id FROM device_commands WHERE "
                                       "payload IS NULL"));
  std::vector<std::string> out;
  for (const auto& r : rows) {
    out.push_back(r.Text(0));
  }
  return out;
}

core::Status RecordEvent(storage::Transaction& tx, const crypto::KeyRing& keys, const Event& e) {
  ASSIGN_OR_RETURN(auto appender, archive::RecordAppender::Begin(tx, keys));
  archive::CanonicalValue::Object body;
  body["device"] = e.device_id;
  body["event"] = e.event;
  body["from"] = e.from;
  body["to"] = e.to;
  body["actor"] = e.actor;
  body["detail"] = e.detail;
  if (e.command_id != 0) {
    body["command_id"] = e.command_id;
  }
  ASSIGN_OR_RETURN(const std::int64_t record_id, appender.Append("device_event", e.at, body));
  return tx.Execute(
      "INSERT INTO device_events (device_id, record_id, event, from_state, to_state, actor, at, "
      "command_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
      {e.device_id, record_id, e.event, e.from, e.to, ActorHash(keys, e.actor), e.at,
       e.command_id != 0 ? Value{e.command_id} : Value{std::monostate{}}});
}

std::string TrackToJson(const DeviceTrack& t) {
  json rules = json::object();
  for (const auto& [id, clock] : t.rules) {
    if (clock.first_failed_at) {
      rules[id] = {{"first_failed_at", *clock.first_failed_at}, {"fired", clock.fired_steps}};
    }
  }
  return json{{"rules", rules}, {"episodes", t.episodes}, {"in_episode", t.in_episode}}.dump();
}

DeviceTrack TrackFromJson(const std::string& text) {
  DeviceTrack t;
  json j = json::parse(text, nullptr, false);
  if (!j.is_object()) {
    return t;
  }
  const json rules = j.value("rules", json::object());
  for (const auto& [id, c] : rules.items()) {
    t.rules[id] = RuleClock{c.value("first_failed_at", core::Micros{0}), c.value("fired", 0u)};
  }
  t.episodes = j.value("episodes", std::vector<core::Micros>{});
  t.in_episode = j.value("in_episode", false);
  return t;
}

std::string ResultsToJson(const std::vector<RuleResult>& results) {
  json out = json::array();
  for (const auto& r : results) {
    json item = {{"rule", r.rule_id},         {"control", r.control},
                 {"result", Name(r.outcome)}, {"observed", r.observed},
                 {"expected", r.expected},    {"severity", Name(r.severity)},
                 {"critical", r.critical},    {"remediation", r.remediation}};
    if (r.first_failed_at) {
      item["first_failed_at"] = core::FormatRfc3339(*r.first_failed_at);
    }
    if (r.grace_ends_at) {
      item["grace_ends_at"] = core::FormatRfc3339(*r.grace_ends_at);
    }
    out.push_back(item);
  }
  return out.dump();
}

std::vector<RuleResult> ResultsFromJson(const std::string& text) {
  std::vector<RuleResult> out;
  json j = json::parse(text, nullptr, false);
  if (!j.is_array()) {
    return out;
  }
  for (const auto& item : j) {
    RuleResult r;
    r.rule_id = item.value("rule", "");
    r.control = item.value("control", "");
    const std::string result = item.value("result", "unknown");
    for (int o = 0; o <= static_cast<int>(Outcome::kNotApplicable); ++o) {
      if (Name(static_cast<Outcome>(o)) == result) {
        r.outcome = static_cast<Outcome>(o);
      }
    }
    r.observed = item.value("observed", "");
    r.expected = item.value("expected", "");
    r.severity = ParseOr(item.value("severity", "medium"), ParseSeverity, Severity::kMedium);
    r.critical = item.value("critical", false);
    r.remediation = item.value("remediation", "");
    if (auto t = core::ParseRfc3339(item.value("first_failed_at", ""))) {
      r.first_failed_at = *t;
    }
    if (auto t = core::ParseRfc3339(item.value("grace_ends_at", ""))) {
      r.grace_ends_at = *t;
    }
    out.push_back(std::move(r));
  }
  return out;
}

core::Status InsertEnrollmentToken(storage::Transaction& tx, const std::string& token_hash,
                                   const std::string& device_id, core::Micros expires_at) {
  return tx.Execute(
      "INSERT INTO device_enrollment_tokens (token_hash, device_id, expires_at) VALUES (?, ?, ?)",
      {storage::Blob{token_hash}, device_id, expires_at});
}

core::Result<std::optional<StoredEnrollmentToken>> FindEnrollmentToken(
    storage::Transaction& tx, const std::string& token_hash) {
  ASSIGN_OR_RETURN(auto rows, tx.Query("SELECT device_id, expires_at, used_at FROM "
                                       "device_enrollment_tokens WHERE token_hash = ?",
                                       {storage::Blob{token_hash}}));
  if (rows.empty()) {
    return std::optional<StoredEnrollmentToken>();
  }
  return std::optional<StoredEnrollmentToken>(
      StoredEnrollmentToken{rows[0].Text(0), rows[0].Int(1), !rows[0].IsNull(2)});
}

core::Status MarkEnrollmentTokenUsed(storage::Transaction& tx, const std::string& token_hash,
                                     core::Micros at) {
  return tx.Execute("UPDATE device_enrollment_tokens SET used_at = ? WHERE token_hash = ?",
                    {at, storage::Blob{token_hash}});
}

core::Status SetCredentialHash(storage::Transaction& tx, const std::string& device_id,
                               const std::string& credential_hash) {
  return tx.Execute("UPDATE devices SET credential_hash = ? WHERE device_id = ?",
                    {storage::Blob{credential_hash}, device_id});
}

core::Result<std::optional<std::pair<std::string, std::string>>> FindDeviceByCredential(
    storage::Transaction& tx, const std::string& credential_hash) {
  ASSIGN_OR_RETURN(auto rows, tx.Query("SELECT device_id, credential_hash FROM devices WHERE "
                                       "credential_hash = ?",
                                       {storage::Blob{credential_hash}}));
  if (rows.empty()) {
    return std::optional<std::pair<std::string, std::string>>();
  }
  return std::optional(std::make_pair(rows[0].Text(0), rows[0].Text(1)));
}

core::Result<std::int64_t> CountLegacyRows(storage::Transaction& tx) {
  ASSIGN_OR_RETURN(
      auto pending,
      tx.Query("SELECT (SELECT count(*) FROM devices WHERE payload IS NULL OR person_hash IS "
               "NULL) + (SELECT count(*) FROM device_commands WHERE payload IS NULL) + "
               "(SELECT count(*) FROM device_events WHERE actor NOT LIKE 'h:%')"));
  return pending[0].Int(0);
}

core::Result<std::vector<std::pair<std::int64_t, std::string>>> LegacyEventActors(
    storage::Transaction& tx) {
  ASSIGN_OR_RETURN(auto rows,
                   tx.Query("SELECT id, actor FROM device_events WHERE actor NOT LIKE 'h:%'"));
  std::vector<std::pair<std::int64_t, std::string>> out;
  out.reserve(rows.size());
  for (const storage::Row& row : rows) {
    out.emplace_back(row.Int(0), row.Text(1));
  }
  return out;
}

core::Status SetEventActor(storage::Transaction& tx, std::int64_t event_id,
                           const std::string& actor_hash) {
  return tx.Execute("UPDATE device_events SET actor = ? WHERE id = ?", {actor_hash, event_id});
}

}  // namespace custos::devices::internal
