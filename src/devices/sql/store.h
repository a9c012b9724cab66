// SPDX-License-Identifier: Apache-2.0
// The devices module's data access (ARCHITECTURE.md, "Storage and SQL"): the rows of the
// migration-5 tables and the `device_event` archive record, for DeviceService. Every function
// works inside the caller's transaction; the SQL of these tables is here and nowhere else.
// Secrecy at rest (migration 7): the person, the lost reporter, the posture report and the rule
// results of a device, and the actor and detail of a command, are sealed with `keys`
// (envelope encryption bound to "devices" / "device_commands" and the device id / command
// uuid); a device's person is found by `person_hash` (PersonHash), event actors are stored as
// keyed hashes (ActorHash). Rows written before migration 7 are read from their plaintext
// columns until DeviceService::SealLegacyRows has sealed them.
#pragma once

#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "archive/records.h"
#include "devices/commands.h"
#include "devices/evaluator.h"
#include "devices/lost.h"
#include "devices/service.h"
#include "storage/database.h"

namespace custos::devices::internal {

// The mutable state of one device row.
struct DeviceRow {
  DeviceInfo info;
  LostRecord lost;
  DeviceTrack track;
  std::string posture_json;  // the last report after the privacy filter, or empty
  bool sealed = true;        // false: a row from before migration 7, still in plaintext
};

// The keyed hash a device's person is looked up by: of the directory person `person_id`, or
// (`person_id` == 0, a device enrolled to an identity outside the directory) of the identity's
// lookup key (directory::LookupKey).
std::string PersonHash(const crypto::KeyRing& keys, std::int64_t person_id,
                       std::string_view lookup_key);
// The keyed hash (hex) stored for a device event's actor.
std::string ActorHash(const crypto::KeyRing& keys, std::string_view actor);

core::Result<std::optional<DeviceRow>> LoadDevice(storage::Transaction& tx,
                                                  const crypto::KeyRing& keys,
                                                  const std::string& device_id);
// Every device when `person_hashes` is empty, else the devices of those person hashes.
core::Result<std::vector<DeviceRow>> LoadDevices(storage::Transaction& tx,
                                                 const crypto::KeyRing& keys,
                                                 const std::vector<std::string>& person_hashes);
core::Status InsertDevice(storage::Transaction& tx, const crypto::KeyRing& keys,
                          const DeviceInfo& info);
core::Status SaveDevice(storage::Transaction& tx, const crypto::KeyRing& keys,
                        const DeviceRow& row);

core::Result<std::int64_t> InsertCommand(storage::Transaction& tx, const crypto::KeyRing& keys,
                                         const Command& c);
core::Status SaveCommand(storage::Transaction& tx, const crypto::KeyRing& keys, const Command& c);
core::Result<std::vector<Command>> LoadCommands(storage::Transaction& tx,
                                                const crypto::KeyRing& keys,
                                                const std::string& device_id);
// The devices with commands stored before migration 7 (plaintext actor and detail).
core::Result<std::vector<std::string>> DevicesWithUnsealedCommands(storage::Transaction& tx);

// Appends a `device_event` record and its index row.
struct Event {
  std::string device_id;
  std::string event;  // enrolled, posture, report_lost, contained, found, ..., command_acked
  std::string from;
  std::string to;
  std::string actor;
  core::Micros at = 0;
  std::int64_t command_id = 0;
  std::string detail;
};

core::Status RecordEvent(storage::Transaction& tx, const crypto::KeyRing& keys, const Event& e);

// Enrollment tokens and device credentials: only SHA-256 hashes are stored.
struct StoredEnrollmentToken {
  std::string device_id;
  core::Micros expires_at = 0;
  bool used = false;
};

core::Status InsertEnrollmentToken(storage::Transaction& tx, const std::string& token_hash,
                                   const std::string& device_id, core::Micros expires_at);
core::Result<std::optional<StoredEnrollmentToken>> FindEnrollmentToken(
    storage::Transaction& tx, const std::string& token_hash);
core::Status MarkEnrollmentTokenUsed(storage::Transaction& tx, const std::string& token_hash,
                                     core::Micros at);
core::Status SetCredentialHash(storage::Transaction& tx, const std::string& device_id,
                               const std::string& credential_hash);
// The device id and stored credential hash of the device whose credential hashes to
// `credential_hash`, if any.
core::Result<std::optional<std::pair<std::string, std::string>>> FindDeviceByCredential(
    storage::Transaction& tx, const std::string& credential_hash);

// Rows from before migration 7 that DeviceService::SealLegacyRows still has to seal: devices
// and commands without a payload and device events whose actor is not yet a keyed hash.
core::Result<std::int64_t> CountLegacyRows(storage::Transaction& tx);
// The (id, plaintext actor) of each device event whose actor is not yet a keyed hash.
core::Result<std::vector<std::pair<std::int64_t, std::string>>> LegacyEventActors(
    storage::Transaction& tx);
core::Status SetEventActor(storage::Transaction& tx, std::int64_t event_id,
                           const std::string& actor_hash);

std::string TrackToJson(const DeviceTrack& t);
DeviceTrack TrackFromJson(const std::string& json);
std::string ResultsToJson(const std::vector<RuleResult>& results);
std::vector<RuleResult> ResultsFromJson(const std::string& json);

}  // namespace custos::devices::internal
