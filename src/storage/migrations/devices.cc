// SPDX-License-Identifier: Apache-2.0
#include "storage/migrations/devices.h"

namespace custos::storage::migrations::devices {

// Migration 5: devices (docs/devices.md). Enrolled devices with their compliance and lost/stolen
// state, one-time enrollment tokens and device credentials (SHA-256 hashes only, never the
// secrets), the command queue, and `device_events`, the index of the `device_event` records
// that make every device transition part of the tamper-evident log. `posture` is the last
// report after the personal-device privacy filter (docs/privacy.md); it holds no message text.
const Migration kDevices = {5, "devices", R"sql(
CREATE TABLE devices (
  id                INTEGER PRIMARY KEY,
  device_id         TEXT NOT NULL UNIQUE,
  person            TEXT NOT NULL,
  platform          TEXT NOT NULL,
  ownership         TEXT NOT NULL,
  management_mode   TEXT NOT NULL,
  enrolled_at       INTEGER NOT NULL,
  credential_hash   BLOB UNIQUE,
  lost_state        TEXT NOT NULL,
  lost_reported_by  TEXT,
  lost_reported_at  INTEGER,
  found_at          INTEGER,
  state             TEXT NOT NULL,
  access            TEXT NOT NULL,
  track             TEXT NOT NULL,
  results           TEXT NOT NULL,
  posture           TEXT NOT NULL,
  posture_at        INTEGER,
  privacy_dropped   INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX devices_by_person ON devices (person);

CREATE TABLE device_enrollment_tokens (
  token_hash  BLOB PRIMARY KEY,
  device_id   TEXT NOT NULL REFERENCES devices (device_id),
  expires_at  INTEGER NOT NULL,
  used_at     INTEGER
);

CREATE TABLE device_commands (
  id          INTEGER PRIMARY KEY,
  device_id   TEXT NOT NULL REFERENCES devices (device_id),
  type        TEXT NOT NULL,
  state       TEXT NOT NULL,
  uuid        TEXT NOT NULL UNIQUE,
  actor       TEXT NOT NULL,
  created_at  INTEGER NOT NULL,
  updated_at  INTEGER NOT NULL,
  expires_at  INTEGER NOT NULL,
  detail      TEXT NOT NULL
);
CREATE INDEX device_commands_by_device ON device_commands (device_id, state);

CREATE TABLE device_events (
  id          INTEGER PRIMARY KEY,
  device_id   TEXT NOT NULL,
  record_id   INTEGER NOT NULL UNIQUE REFERENCES records (id),
  event       TEXT NOT NULL,
  from_state  TEXT NOT NULL,
  to_state    TEXT NOT NULL,
  actor       TEXT NOT NULL,
  at          INTEGER NOT NULL,
  command_id  INTEGER
);
CREATE INDEX device_events_by_device ON device_events (device_id, id);
)sql",
                            ""};

// Migration 7: device data sealed like message content (docs/devices.md, "Storage"). The person
// a device is enrolled to, the lost reporter, the last posture report and the rule results of a
// device, and the actor and detail of a command, move into sealed payloads (envelope
// encryption bound to the table and the device id / command uuid); `person_hash` is the keyed
// hash the gate and the listings look a person's devices up by; device event actors become
// keyed hashes (the actor stays in the sealed `device_event` record). The old plaintext columns
// stay (SQLite cannot drop NOT NULL columns referenced by foreign keys cheaply) and are emptied
// when DeviceService seals the existing rows at the first writable open.
const Migration kSealedDeviceData = {7, "sealed device data", R"sql(
ALTER TABLE devices ADD COLUMN person_hash BLOB;
ALTER TABLE devices ADD COLUMN key_version INTEGER;
ALTER TABLE devices ADD COLUMN wrapped_key BLOB;
ALTER TABLE devices ADD COLUMN payload BLOB;
CREATE INDEX devices_by_person_hash ON devices (person_hash);
DROP INDEX devices_by_person;
ALTER TABLE device_commands ADD COLUMN key_version INTEGER;
ALTER TABLE device_commands ADD COLUMN wrapped_key BLOB;
ALTER TABLE device_commands ADD COLUMN payload BLOB;
)sql",
                                     ""};

}  // namespace custos::storage::migrations::devices
