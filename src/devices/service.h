// SPDX-License-Identifier: Apache-2.0
// DeviceService: the devices module as the front ends see it (CLI `custos devices ...`, the
// HTTP routes, the ingest gate). It owns no thread; every call is one SQLite transaction over
// the migration-5 tables (docs/devices.md), and every device transition is also an archive
// record of kind `device_event` (actor, time, from/to, command id, detail) appended in the
// same transaction, so the audit trail sits in the tamper-evident log.
//
//   Enroll(person, platform, ownership)     -> device id + one-time enrollment token (24 h)
//   Redeem(token)                           -> device credential (shown once; stored hashed)
//   Authenticate(credential)                -> device id (constant-time hash comparison)
//   SubmitPosture(device, report)           -> privacy filter, evaluate, store, record
//   ReportLost / Found / ApproveWipe        -> the lost/stolen state machine (lost.h)
//   QueueCommand / NextCommands / AckCommand -> the command state machine (commands.h)
//   Check / CheckDevice / WithheldDevices   -> the messaging gate (gate.h)
//   ApplyMdmEvent(event)                    -> a NanoMDM webhook event: posture, command results
//   DispatchToMdm(client)                   -> queued Apple commands enqueued to NanoMDM;
//                                              commands past their lifetime expire
// Devices managed through NanoMDM are enrolled with their MDM enrollment id (UDID, or the
// EnrollmentID of a User Enrollment) and get the device id "mdm-<enrollment id>".
// Thread-safety: all methods are safe to call concurrently (SQLite serialises writers).
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "core/mutex.h"
#include "core/status.h"
#include "core/time.h"
#include "crypto/keyring.h"
#include "devices/commands.h"
#include "devices/evaluator.h"
#include "devices/gate.h"
#include "devices/lost.h"
#include "devices/nanomdm.h"
#include "devices/nanomdm_client.h"
#include "devices/policy.h"
#include "devices/posture.h"
#include "devices/privacy.h"
#include "storage/database.h"

namespace custos::devices {

namespace internal {
struct DeviceRow;
}  // namespace internal

inline constexpr std::string_view kMdmDevicePrefix = "mdm-";

// The custos device id of the NanoMDM enrollment `enrollment_id`.
std::string MdmDeviceId(std::string_view enrollment_id);

struct MdmApplied {
  std::string device_id;
  std::string command_state;  // acknowledged, failed, unknown_command; empty: no result
  std::string posture_state;  // the device state after a query response; empty: none
};

struct DispatchSummary {
  int sent = 0;     // enqueued to NanoMDM (queued -> sent)
  int failed = 0;   // NanoMDM refused them (-> failed)
  int retry = 0;    // NanoMDM unreachable: still queued
  int expired = 0;  // past their lifetime (-> expired)
  std::vector<std::string> errors;
};

struct Enrollment {
  std::string device_id;
  std::string token;  // plaintext, shown once
  core::Micros expires_at = 0;
  std::int64_t person_id = 0;  // the directory person; 0 when enrolled unlisted
  std::string warning;         // set when enrolled unlisted: what the gate cannot see
};

struct DeviceInfo {
  std::string device_id;
  std::string person;          // as given at enrollment (sealed at rest)
  std::int64_t person_id = 0;  // the directory person; 0: enrolled unlisted (--unlisted)
  std::string person_hash;     // keyed hash the person's devices are looked up by
  Platform platform = Platform::kUnknown;
  Ownership ownership = Ownership::kUnknown;
  std::string management_mode;
  core::Micros enrolled_at = 0;
  bool credential_issued = false;
  LostState lost = LostState::kActive;
  DeviceState state = DeviceState::kUnknown;
  MessagingAccess access = MessagingAccess::kAllow;
  std::optional<core::Micros> posture_at;
  std::vector<RuleResult> results;  // of the last evaluation
  int privacy_dropped = 0;          // values dropped on arrival, all reports together
};

// The channel a posture report arrives by. It alone decides the report's `source` and so its
// trust (controls.h TrustOf); what the report says about its source is never believed.
enum class PostureChannel {
  kFileImport,  // `custos devices posture FILE`: source file_import, self_report trust
  kAgent,       // POST /api/v1/device/posture: source agent
  kMdm,         // the NanoMDM webhook and the AMAPI route: the adapter's MDM source
};

// How far in the future a report's times may be (clock skew); later is refused.
inline constexpr core::Micros kPostureFutureTolerance = 5 * 60 * core::kMicrosPerSecond;

struct PostureOutcome {
  Verdict verdict;
  PrivacyNotice privacy;
  // False when the report was older than the device's current posture: it is recorded (a
  // `posture_ignored` event) but does not replace the posture; `verdict` is the current one.
  bool applied = true;
  std::string ignored_reason;
  std::vector<std::string> check_blocked_apps;  // PublishedBlocklist for this device
};

struct ComplianceReport {
  int devices = 0;
  std::map<std::string, int> by_state;         // compliant, in_grace, ... lost
  std::map<std::string, int> by_failing_rule;  // rule id -> devices failing it
  std::map<std::string, int> by_lost_state;
};

class DeviceService final : public MessagingGate {
 public:
  // `default_region` (directory.default_region) reads phone numbers written without a country
  // code, as the identity directory does.
  DeviceService(storage::Database* db, const crypto::KeyRing* keys, const core::Clock* clock,
                Policy policy, std::string default_region = "GB");

  // Seals device rows, commands and event actors written before migration 7 (plaintext) and
  // gives old devices their person hash; then empties the write-ahead log. Returns how many
  // rows it sealed. Called once at a writable open.
  core::Result<int> SealLegacyRows();

  // `person` must be an identity (e-mail, phone in any spelling, handle) of a person of the
  // identity directory: the device is enrolled to that person, and the gate then knows every
  // identity of theirs. Anyone else is kInvalidArgument naming `person`, unless `unlisted`:
  // then the device is enrolled to that one identity (normalised) and Enrollment::warning says
  // that other spellings of the sender are not recognised until the person is in the directory.
  // `mdm_id`, when given, links the device to its NanoMDM enrollment (device id "mdm-<id>").
  core::Result<Enrollment> Enroll(const std::string& person, Platform platform, Ownership ownership,
                                  const std::string& actor, const std::string& mdm_id = "",
                                  bool unlisted = false);
  // kUnauthenticated for an unknown, used or expired token.
  core::Result<std::string> Redeem(const std::string& token);
  core::Result<std::string> Authenticate(const std::string& credential) const;

  // `report.device_id` is overwritten with `device_id`; `report.source` is set from `channel`
  // (kMdm keeps the adapter's MDM source). kInvalidArgument naming the field for a time more
  // than kPostureFutureTolerance ahead of the clock (collected_at, management.last_checkin) or
  // a security patch dated after tomorrow. A report collected before the current posture is
  // recorded and ignored (PostureOutcome::applied false). Any state change re-evaluates.
  core::Result<PostureOutcome> SubmitPosture(const std::string& device_id, PostureReport report,
                                             PostureChannel channel);
  // The blocked-app ids the device's agent is asked to check (PublishedBlocklist).
  core::Result<std::vector<std::string>> BlockedAppsToCheck(const std::string& device_id) const;
  // Re-evaluates every device against the clock (staleness, ladder, lost timeouts).
  core::Status EvaluateAll();

  core::Result<DeviceInfo> Get(const std::string& device_id) const;
  // Every device, or those of the person `person` is an identity of (resolved like the gate).
  core::Result<std::vector<DeviceInfo>> List(const std::string& person = "") const;
  // The devices enrolled to the same person as `device_id` (itself included).
  core::Result<std::vector<DeviceInfo>> PersonDevices(const std::string& device_id) const;
  core::Result<ComplianceReport> Report() const;

  // Lost/stolen: report contains at once (block + revoke + lock queued). Every transition
  // re-evaluates the device's rules in the same transaction. Found cancels the lock / lost-mode
  // commands still queued (a `command_cancelled` event each), as does the recovery to active.
  core::Result<std::vector<Transition>> ReportLost(const std::string& device_id,
                                                   const std::string& actor);
  core::Status Found(const std::string& device_id, const std::string& actor);
  core::Result<Transition> ConfirmStolen(const std::string& device_id, const std::string& actor);
  core::Result<Transition> ApproveWipe(const std::string& device_id, const std::string& approver);

  core::Result<Command> QueueCommand(const std::string& device_id, CommandType type,
                                     const std::string& actor);
  core::Result<std::vector<Command>> Commands(const std::string& device_id) const;
  // Queued commands for the device, marked sent (delivery on check-in).
  core::Result<std::vector<Command>> Deliver(const std::string& device_id);
  core::Status AckCommand(const std::string& device_id, const std::string& uuid, bool ok,
                          const std::string& detail);

  GateResult Check(std::string_view sender_identity, bool has_attachments) const override;
  GateResult CheckDevice(std::string_view device_id, bool has_attachments) const override;
  std::vector<std::string> WithheldDevices(std::string_view recipient_identity) const override;
  core::Status BindDeviceMessage(std::string_view device_id, model::Message& m) const override;

  // kNotFound when the event's enrollment is not an enrolled device.
  core::Result<MdmApplied> ApplyMdmEvent(const MdmEvent& event);
  // `client` may be null (no NanoMDM configured): then only expiry runs.
  core::Result<DispatchSummary> DispatchToMdm(const NanoMdmClient* client);

  // The device policy in force; SetPolicy replaces it (a pack applied while running) and
  // re-evaluates every device against it (a failure is logged; the next tick retries).
  std::shared_ptr<const Policy> policy() const;
  void SetPolicy(Policy policy);

  int lost_timeout_hours() const { return 48; }

 private:
  // The person hashes `identity` stands for: its directory person's and (for devices enrolled
  // unlisted) those of each identity of that person and of `identity` itself.
  core::Result<std::vector<std::string>> PersonHashes(storage::Transaction& tx,
                                                      std::string_view identity) const;
  core::Result<std::vector<DeviceInfo>> DevicesOf(std::string_view identity) const;
  // Evaluates `row` against its stored posture and lost state at `now`, stores the results in
  // row->info and records an `evaluated` event when the state or access changed.
  core::Status Reevaluate(storage::Transaction& tx, internal::DeviceRow* row, core::Micros now,
                          const std::string& why);
  // Cancels the device's queued lock / lost_mode commands; returns how many.
  core::Result<int> CancelContainment(storage::Transaction& tx, const std::string& device_id,
                                      const std::string& actor, core::Micros now,
                                      const std::string& reason);

  storage::Database* db_;
  const crypto::KeyRing* keys_;
  const core::Clock* clock_;
  const std::string region_;
  mutable core::Mutex policy_mu_;
  std::shared_ptr<const Policy> policy_ CUSTOS_GUARDED_BY(policy_mu_);
};

}  // namespace custos::devices
