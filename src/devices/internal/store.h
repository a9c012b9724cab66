// SPDX-License-Identifier: Apache-2.0
// Internal: the rows of the migration-5 tables and the `device_event` archive record, for
// DeviceService. Every function works inside the caller's transaction.
#pragma once

#include <optional>
#include <string>
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
};

core::Result<std::optional<DeviceRow>> LoadDevice(storage::Transaction& tx,
                                                  const std::string& device_id);
core::Result<std::vector<DeviceRow>> LoadDevices(storage::Transaction& tx,
                                                 const std::string& person);
core::Status InsertDevice(storage::Transaction& tx, const DeviceInfo& info);
core::Status SaveDevice(storage::Transaction& tx, const DeviceRow& row);

core::Result<std::int64_t> InsertCommand(storage::Transaction& tx, const Command& c);
core::Status SaveCommand(storage::Transaction& tx, const Command& c);
core::Result<std::vector<Command>> LoadCommands(storage::Transaction& tx,
                                                const std::string& device_id);

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

std::string TrackToJson(const DeviceTrack& t);
DeviceTrack TrackFromJson(const std::string& json);
std::string ResultsToJson(const std::vector<RuleResult>& results);
std::vector<RuleResult> ResultsFromJson(const std::string& json);

}  // namespace custos::devices::internal
