// SPDX-License-Identifier: Apache-2.0
#include "devices/service.h"

#include <algorithm>
#include <cctype>

#include "core/log.h"
#include "core/text.h"
#include "crypto/crypto.h"
#include "devices/credentials.h"
#include "devices/sql/store.h"
#include "directory/directory.h"
#include "directory/identity.h"

namespace custos::devices {
namespace {

using internal::DeviceRow;
using internal::Event;

core::Result<std::string> NewId(std::string_view prefix) {
  ASSIGN_OR_RETURN(Secret s, NewSecret(prefix));
  return s.plaintext.substr(0, prefix.size() + 16);
}

core::Result<DeviceRow> MustLoad(storage::Transaction& tx, const crypto::KeyRing& keys,
                                 const std::string& device_id) {
  ASSIGN_OR_RETURN(auto row, internal::LoadDevice(tx, keys, device_id));
  if (!row) {
    return core::NotFound("no device '" + device_id + "'");
  }
  return std::move(*row);
}

Event TransitionEvent(const std::string& device, const Transition& t, std::string event,
                      std::int64_t command = 0) {
  return {
      device,  std::move(event), std::string(Name(t.from)), std::string(Name(t.to)), t.actor, t.at,
      command, t.reason};
}

}  // namespace

DeviceService::DeviceService(storage::Database* db, const crypto::KeyRing* keys,
                             const core::Clock* clock, Policy policy, std::string default_region)
    : db_(db),
      keys_(keys),
      clock_(clock),
      region_(std::move(default_region)),
      policy_(std::make_shared<const Policy>(std::move(policy))) {}

std::shared_ptr<const Policy> DeviceService::policy() const {
  core::MutexLock lock(&policy_mu_);
  return policy_;
}

void DeviceService::SetPolicy(Policy policy) {
  auto next = std::make_shared<const Policy>(std::move(policy));
  {
    core::MutexLock lock(&policy_mu_);
    policy_ = std::move(next);
  }
  // Results under the old rules are stale now: re-evaluate every device at once.
  if (const core::Status s = EvaluateAll(); !s.ok()) {
    CUSTOS_LOG_WARN(
        "devices: re-evaluation under the new device policy failed (retried on the "
        "next tick): {}",
        s.ToString());
  }
}

core::Result<Enrollment> DeviceService::Enroll(const std::string& given_person, Platform platform,
                                               Ownership ownership, const std::string& actor,
                                               const std::string& mdm_id, bool unlisted) {
  const std::string person(core::TrimAscii(given_person));
  if (person.empty()) {
    return core::InvalidArgument("person: required");
  }
  const bool mdm_id_ok =
      mdm_id.size() <= 128 && std::all_of(mdm_id.begin(), mdm_id.end(), [](char c) {
        return std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_' || c == '.' ||
               c == ':';
      });
  if (!mdm_id_ok) {
    return core::InvalidArgument("mdm_id: letters, digits and - _ . : only, at most 128");
  }
  if (platform == Platform::kUnknown) {
    return core::InvalidArgument("platform: required: one of ios, ipados, android");
  }
  if (ownership == Ownership::kUnknown) {
    return core::InvalidArgument("ownership: required: one of corporate, personal");
  }
  const core::Micros now = clock_->Now();
  DeviceInfo info;
  if (mdm_id.empty()) {
    ASSIGN_OR_RETURN(info.device_id, NewId("dev-"));
  } else {
    info.device_id = MdmDeviceId(mdm_id);
  }
  info.person = person;
  info.platform = platform;
  info.ownership = ownership;
  info.management_mode = ownership == Ownership::kPersonal
                             ? (platform == Platform::kAndroid ? "work_profile" : "user_enrollment")
                             : (platform == Platform::kAndroid ? "fully_managed" : "supervised");
  info.enrolled_at = now;
  ASSIGN_OR_RETURN(Secret token, NewSecret("cen_"));
  ASSIGN_OR_RETURN(auto tx, db_->Begin(storage::TxMode::kWrite));
  ASSIGN_OR_RETURN(info.person_id, directory::FindPersonId(*tx, *keys_, person, region_));
  std::string warning;
  if (info.person_id == 0) {
    if (!unlisted) {
      return core::InvalidArgument(
          "person: \"" + std::string(core::TruncateUtf8(person, 128)) +
          "\" is not an e-mail, phone number or handle of anyone in the identity directory; "
          "devices are enrolled to directory people so that the gate knows every identity of "
          "theirs (add them with `custos directory import`), or enroll it to this one identity "
          "with --unlisted (API: \"unlisted\": true)");
    }
    warning = "\"" + person +
              "\" is not in the identity directory: the device is enrolled to this one identity, "
              "and the gate does not recognise the person's other e-mails, numbers or handles "
              "until they are added to the directory";
  }
  info.person_hash =
      internal::PersonHash(*keys_, info.person_id, directory::LookupKey(person, region_));
  RETURN_IF_ERROR(internal::InsertDevice(*tx, *keys_, info));
  RETURN_IF_ERROR(internal::InsertEnrollmentToken(*tx, token.hash, info.device_id,
                                                  now + kEnrollmentTokenLifetime));
  RETURN_IF_ERROR(internal::RecordEvent(
      *tx, *keys_,
      {info.device_id, "enrolled", "", "active", actor, now, 0,
       person + " " + std::string(Name(platform)) + " " + std::string(Name(ownership))}));
  // Rule results from the start (every rule unknown: no report yet), not an empty list.
  ASSIGN_OR_RETURN(DeviceRow row, MustLoad(*tx, *keys_, info.device_id));
  RETURN_IF_ERROR(Reevaluate(*tx, &row, now, "enrolled"));
  RETURN_IF_ERROR(internal::SaveDevice(*tx, *keys_, row));
  RETURN_IF_ERROR(tx->Commit());
  return Enrollment{info.device_id, token.plaintext, now + kEnrollmentTokenLifetime, info.person_id,
                    warning};
}

core::Result<std::string> DeviceService::Redeem(const std::string& token) {
  const core::Micros now = clock_->Now();
  ASSIGN_OR_RETURN(auto tx, db_->Begin(storage::TxMode::kWrite));
  ASSIGN_OR_RETURN(auto stored, internal::FindEnrollmentToken(*tx, HashSecret(token)));
  if (!stored) {
    return core::Unauthenticated("unknown enrollment token");
  }
  EnrollmentToken t{"", stored->device_id, stored->expires_at, stored->used};
  RETURN_IF_ERROR(CheckRedeemable(t, now));
  ASSIGN_OR_RETURN(Secret credential, NewSecret("cdc_"));
  RETURN_IF_ERROR(internal::MarkEnrollmentTokenUsed(*tx, HashSecret(token), now));
  RETURN_IF_ERROR(internal::SetCredentialHash(*tx, t.device_id, credential.hash));
  RETURN_IF_ERROR(internal::RecordEvent(
      *tx, *keys_, {t.device_id, "credential_issued", "", "", "device", now, 0, ""}));
  RETURN_IF_ERROR(tx->Commit());
  return credential.plaintext;
}

core::Result<std::string> DeviceService::Authenticate(const std::string& credential) const {
  ASSIGN_OR_RETURN(auto tx, db_->Begin(storage::TxMode::kRead));
  // The lookup is by hash (an index probe); the final comparison is constant time.
  ASSIGN_OR_RETURN(auto device, internal::FindDeviceByCredential(*tx, HashSecret(credential)));
  if (!device || !VerifySecret(credential, device->second)) {
    return core::Unauthenticated("unknown device credential");
  }
  return device->first;
}

namespace {

// A time later than now + tolerance is implausible (it would defeat staleness for ever).
core::Status RefuseFuture(std::string_view field, core::Micros t, core::Micros now) {
  if (t <= now + kPostureFutureTolerance) {
    return core::Status::Ok();
  }
  return core::InvalidArgument(std::string(field) + ": " + core::FormatRfc3339(t) +
                               " is in the future (the server's clock says " +
                               core::FormatRfc3339(now) + "; at most 5 minutes ahead is accepted)");
}

core::Status CheckTimes(const PostureReport& r, core::Micros now) {
  RETURN_IF_ERROR(RefuseFuture("collected_at", r.collected_at, now));
  if (r.last_checkin) {
    RETURN_IF_ERROR(RefuseFuture("management.last_checkin", *r.last_checkin, now));
  }
  if (r.security_patch_level) {
    // A date: the patch may be dated "today" anywhere on Earth, not later.
    constexpr core::Micros kDay = 24LL * 3600 * core::kMicrosPerSecond;
    auto day = core::ParseRfc3339(*r.security_patch_level + "T00:00:00Z");
    if (day && *day > now + kDay) {
      return core::InvalidArgument("os.security_patch_level: " + *r.security_patch_level +
                                   " is in the future (the server's date is " +
                                   core::FormatRfc3339(now).substr(0, 10) + ")");
    }
  }
  return core::Status::Ok();
}

bool IsMdmSource(Source s) { return s != Source::kAgent && s != Source::kFileImport; }

}  // namespace

core::Result<std::vector<std::string>> DeviceService::BlockedAppsToCheck(
    const std::string& device_id) const {
  ASSIGN_OR_RETURN(DeviceInfo info, Get(device_id));
  return PublishedBlocklist(*policy(), DeviceContext{info.platform, info.ownership, false});
}

core::Status DeviceService::Reevaluate(storage::Transaction& tx, DeviceRow* row, core::Micros now,
                                       const std::string& why) {
  LostMachine lost(row->lost);
  std::optional<PostureReport> report;
  if (!row->posture_json.empty()) {
    auto parsed = ParsePostureJson(row->posture_json);
    if (parsed) {
      report = std::move(*parsed);
    }
  }
  DeviceContext ctx{row->info.platform, row->info.ownership, lost.blocks_messaging()};
  Verdict v = Evaluate(*policy(), ctx, report ? &*report : nullptr, now, &row->track);
  if (v.state != row->info.state || v.access != row->info.access || !v.fired.empty()) {
    std::string detail = why + "; access " + std::string(Name(v.access));
    for (const auto& f : v.fired) {
      detail += "; action " + std::string(Name(f.action)) +
                (f.requires_approval ? " (awaits approval)" : "");
    }
    RETURN_IF_ERROR(
        internal::RecordEvent(tx, *keys_,
                              {row->info.device_id, "evaluated", std::string(Name(row->info.state)),
                               std::string(Name(v.state)), "system", now, 0, detail}));
  }
  row->info.state = v.state;
  row->info.access = v.access;
  row->info.results = std::move(v.results);
  return core::Status::Ok();
}

core::Result<PostureOutcome> DeviceService::SubmitPosture(const std::string& device_id,
                                                          PostureReport report,
                                                          PostureChannel channel) {
  const core::Micros now = clock_->Now();
  RETURN_IF_ERROR(CheckTimes(report, now));
  // The channel decides the source, and with it the trust; the report's own claim is kept
  // only as words in the event.
  const Source claimed = report.source;
  switch (channel) {
    case PostureChannel::kFileImport:
      report.source = Source::kFileImport;
      break;
    case PostureChannel::kAgent:
      report.source = Source::kAgent;
      break;
    case PostureChannel::kMdm:
      if (!IsMdmSource(report.source)) {
        return core::Internal("an MDM posture report without an MDM source");
      }
      break;
  }
  const std::shared_ptr<const Policy> policy_now = policy();
  ASSIGN_OR_RETURN(auto tx, db_->Begin(storage::TxMode::kWrite));
  ASSIGN_OR_RETURN(DeviceRow row, MustLoad(*tx, *keys_, device_id));
  report.device_id = device_id;
  report.user_id = row.info.person;
  report.received_at = now;
  if (report.platform == Platform::kUnknown) {
    report.platform = row.info.platform;
  }
  PostureOutcome out;
  out.check_blocked_apps =
      PublishedBlocklist(*policy_now, DeviceContext{row.info.platform, row.info.ownership, false});
  if (row.info.posture_at && report.collected_at < *row.info.posture_at) {
    // Older than what custos has: recorded, never replacing the newer posture.
    out.applied = false;
    out.ignored_reason = "collected_at " + core::FormatRfc3339(report.collected_at) +
                         " is older than the current posture (" +
                         core::FormatRfc3339(*row.info.posture_at) + ")";
    const DeviceState before = row.info.state;
    RETURN_IF_ERROR(Reevaluate(*tx, &row, now, "re-evaluated"));
    RETURN_IF_ERROR(internal::SaveDevice(*tx, *keys_, row));
    RETURN_IF_ERROR(internal::RecordEvent(
        *tx, *keys_,
        {device_id, "posture_ignored", std::string(Name(before)), std::string(Name(row.info.state)),
         "device", now, 0,
         "source " + std::string(Name(report.source)) + "; " + out.ignored_reason}));
    RETURN_IF_ERROR(tx->Commit());
    out.verdict.state = row.info.state;
    out.verdict.access = row.info.access;
    out.verdict.evaluated_at = now;
    out.verdict.results = row.info.results;
    for (const RuleResult& r : row.info.results) {
      if ((r.outcome == Outcome::kFail || r.outcome == Outcome::kUnknown) &&
          !r.remediation.empty() &&
          std::find(out.verdict.user_messages.begin(), out.verdict.user_messages.end(),
                    r.remediation) == out.verdict.user_messages.end()) {
        out.verdict.user_messages.push_back(r.remediation);
      }
    }
    return out;
  }
  out.privacy = ApplyPrivacy(row.info.ownership, &report);  // before anything is stored
  FilterBlocklistCheck(out.check_blocked_apps, &report, &out.privacy);
  if (!report.management_mode.empty()) {
    row.info.management_mode = report.management_mode;
  }
  LostMachine lost(row.lost);
  DeviceContext ctx{row.info.platform, row.info.ownership, lost.blocks_messaging()};
  out.verdict = Evaluate(*policy_now, ctx, &report, now, &row.track);
  // "Fresh compliant posture" (docs/devices.md): no rule fails except the lost flag.
  const bool compliant =
      std::none_of(out.verdict.results.begin(), out.verdict.results.end(), [](const RuleResult& r) {
        return r.outcome == Outcome::kFail && r.control != "not_reported_lost";
      });
  if (compliant) {
    if (auto t = lost.OnCompliantPosture(report.collected_at, now)) {
      RETURN_IF_ERROR(
          internal::RecordEvent(*tx, *keys_, TransitionEvent(device_id, *t, "recovered")));
      // Recovered: a lock still waiting would lock the owner out of a found device.
      RETURN_IF_ERROR(
          CancelContainment(*tx, device_id, "system", now, "device recovered").status());
      ctx.reported_lost = false;
      out.verdict = Evaluate(*policy_now, ctx, &report, now, &row.track);
    }
  }
  row.lost = lost.record();
  row.info.lost = lost.state();
  row.posture_json = PostureToJson(report);
  row.info.posture_at = report.collected_at;
  row.info.privacy_dropped += out.privacy.dropped;
  const DeviceState before = row.info.state;
  row.info.state = out.verdict.state;
  row.info.access = out.verdict.access;
  row.info.results = out.verdict.results;
  RETURN_IF_ERROR(internal::SaveDevice(*tx, *keys_, row));
  std::string detail = "source " + std::string(Name(report.source));
  if (claimed != report.source) {
    detail += " (the report said " + std::string(Name(claimed)) + ")";
  }
  if (out.privacy.dropped > 0) {
    detail += "; privacy: dropped " + std::to_string(out.privacy.dropped) + " values";
  }
  for (const auto& f : out.verdict.fired) {
    detail += "; action " + std::string(Name(f.action)) +
              (f.requires_approval ? " (awaits approval)" : "");
  }
  RETURN_IF_ERROR(
      internal::RecordEvent(*tx, *keys_,
                            {device_id, "posture", std::string(Name(before)),
                             std::string(Name(row.info.state)), "device", now, 0, detail}));
  RETURN_IF_ERROR(tx->Commit());
  return out;
}

core::Status DeviceService::EvaluateAll() {
  const core::Micros now = clock_->Now();
  ASSIGN_OR_RETURN(auto tx, db_->Begin(storage::TxMode::kWrite));
  ASSIGN_OR_RETURN(auto rows, internal::LoadDevices(*tx, *keys_, {}));
  for (DeviceRow& row : rows) {
    LostMachine lost(row.lost);
    if (auto t = lost.CheckTimeout(lost_timeout_hours(), now)) {
      RETURN_IF_ERROR(internal::RecordEvent(
          *tx, *keys_, TransitionEvent(row.info.device_id, *t, "lost_timeout")));
    }
    row.lost = lost.record();
    row.info.lost = lost.state();
    RETURN_IF_ERROR(Reevaluate(*tx, &row, now, "re-evaluated"));
    RETURN_IF_ERROR(internal::SaveDevice(*tx, *keys_, row));
  }
  return tx->Commit();
}

core::Result<DeviceInfo> DeviceService::Get(const std::string& device_id) const {
  ASSIGN_OR_RETURN(auto tx, db_->Begin(storage::TxMode::kRead));
  ASSIGN_OR_RETURN(DeviceRow row, MustLoad(*tx, *keys_, device_id));
  return row.info;
}

core::Result<std::vector<std::string>> DeviceService::PersonHashes(
    storage::Transaction& tx, std::string_view identity) const {
  std::vector<std::string> out;
  const std::string key = directory::LookupKey(identity, region_);
  if (key.empty()) {
    return out;
  }
  out.push_back(internal::PersonHash(*keys_, 0, key));
  ASSIGN_OR_RETURN(const std::int64_t person_id,
                   directory::FindPersonId(tx, *keys_, identity, region_));
  if (person_id == 0) {
    return out;
  }
  out.push_back(internal::PersonHash(*keys_, person_id, ""));
  // Devices enrolled --unlisted before the person was added to the directory.
  ASSIGN_OR_RETURN(auto person, directory::LoadPerson(tx, *keys_, person_id));
  if (person) {
    for (const std::string& id : person->identities) {
      out.push_back(internal::PersonHash(*keys_, 0, directory::LookupKey(id, region_)));
    }
  }
  std::sort(out.begin(), out.end());
  out.erase(std::unique(out.begin(), out.end()), out.end());
  return out;
}

core::Result<std::vector<DeviceInfo>> DeviceService::DevicesOf(std::string_view identity) const {
  ASSIGN_OR_RETURN(auto tx, db_->Begin(storage::TxMode::kRead));
  ASSIGN_OR_RETURN(std::vector<std::string> hashes, PersonHashes(*tx, identity));
  std::vector<DeviceInfo> out;
  if (hashes.empty()) {
    return out;
  }
  ASSIGN_OR_RETURN(auto rows, internal::LoadDevices(*tx, *keys_, hashes));
  for (auto& r : rows) {
    out.push_back(std::move(r.info));
  }
  return out;
}

core::Result<std::vector<DeviceInfo>> DeviceService::List(const std::string& person) const {
  if (!person.empty()) {
    return DevicesOf(person);
  }
  ASSIGN_OR_RETURN(auto tx, db_->Begin(storage::TxMode::kRead));
  ASSIGN_OR_RETURN(auto rows, internal::LoadDevices(*tx, *keys_, {}));
  std::vector<DeviceInfo> out;
  for (auto& r : rows) {
    out.push_back(std::move(r.info));
  }
  return out;
}

core::Result<std::vector<DeviceInfo>> DeviceService::PersonDevices(
    const std::string& device_id) const {
  ASSIGN_OR_RETURN(auto tx, db_->Begin(storage::TxMode::kRead));
  ASSIGN_OR_RETURN(DeviceRow row, MustLoad(*tx, *keys_, device_id));
  std::vector<DeviceInfo> out;
  if (row.info.person_hash.empty()) {  // not sealed yet (read-only open of an old directory)
    out.push_back(std::move(row.info));
    return out;
  }
  ASSIGN_OR_RETURN(auto rows, internal::LoadDevices(*tx, *keys_, {row.info.person_hash}));
  for (auto& r : rows) {
    out.push_back(std::move(r.info));
  }
  return out;
}

core::Status DeviceService::BindDeviceMessage(std::string_view device_id, model::Message& m) const {
  ASSIGN_OR_RETURN(auto tx, db_->Begin(storage::TxMode::kRead));
  ASSIGN_OR_RETURN(auto row, internal::LoadDevice(*tx, *keys_, std::string(device_id)));
  if (!row) {
    return core::Unauthenticated("unknown device credential");
  }
  if (m.direction == model::Direction::kInbound) {
    return core::InvalidArgument(
        "direction: a device sends messages: \"inbound\" is not accepted with a device "
        "credential (inbound messages come from the channel's connector)");
  }
  ASSIGN_OR_RETURN(std::vector<std::string> hashes, PersonHashes(*tx, m.from));
  if (std::find(hashes.begin(), hashes.end(), row->info.person_hash) == hashes.end()) {
    return core::PermissionDenied("from: \"" + std::string(core::TruncateUtf8(m.from, 128)) +
                                  "\" is not an identity of the person device " +
                                  std::string(device_id) +
                                  " is enrolled to; a device sends only as its person");
  }
  m.from = directory::NormaliseIdentity(m.from, region_);
  m.device = std::string(device_id);
  m.principal = "device:" + std::string(device_id);
  return core::Status::Ok();
}

core::Result<int> DeviceService::SealLegacyRows() {
  int sealed = 0;
  {
    // Cheap check first: nothing to do on every open but the first after the upgrade.
    ASSIGN_OR_RETURN(auto tx, db_->Begin(storage::TxMode::kRead));
    ASSIGN_OR_RETURN(const std::int64_t pending, internal::CountLegacyRows(*tx));
    if (pending == 0) {
      return 0;
    }
  }
  {
    ASSIGN_OR_RETURN(auto tx, db_->Begin(storage::TxMode::kWrite));
    ASSIGN_OR_RETURN(auto rows, internal::LoadDevices(*tx, *keys_, {}));
    for (DeviceRow& row : rows) {
      if (row.sealed && !row.info.person_hash.empty()) {
        continue;
      }
      ASSIGN_OR_RETURN(row.info.person_id,
                       directory::FindPersonId(*tx, *keys_, row.info.person, region_));
      row.info.person_hash = internal::PersonHash(*keys_, row.info.person_id,
                                                  directory::LookupKey(row.info.person, region_));
      RETURN_IF_ERROR(internal::SaveDevice(*tx, *keys_, row));
      ++sealed;
    }
    ASSIGN_OR_RETURN(auto devices, internal::DevicesWithUnsealedCommands(*tx));
    for (const std::string& device : devices) {
      ASSIGN_OR_RETURN(auto commands, internal::LoadCommands(*tx, *keys_, device));
      for (const Command& c : commands) {
        RETURN_IF_ERROR(internal::SaveCommand(*tx, *keys_, c));
        ++sealed;
      }
    }
    ASSIGN_OR_RETURN(auto events, internal::LegacyEventActors(*tx));
    for (const auto& [event_id, actor] : events) {
      RETURN_IF_ERROR(internal::SetEventActor(*tx, event_id, internal::ActorHash(*keys_, actor)));
      ++sealed;
    }
    if (sealed == 0) {
      tx->Rollback();
      return 0;
    }
    RETURN_IF_ERROR(tx->Commit());
  }
  // The plaintext is overwritten in the file (secure_delete); empty the log that still has it.
  if (const core::Status s = db_->CheckpointWal(); !s.ok()) {
    CUSTOS_LOG_WARN(
        "devices: sealed {} rows; the write-ahead log still holds their old "
        "plaintext until the next checkpoint: {}",
        sealed, s.message());
  }
  return sealed;
}

core::Result<ComplianceReport> DeviceService::Report() const {
  ASSIGN_OR_RETURN(auto devices, List());
  ComplianceReport report;
  for (const auto& d : devices) {
    ++report.devices;
    ++report.by_state[std::string(Name(d.state))];
    ++report.by_lost_state[std::string(Name(d.lost))];
    for (const auto& r : d.results) {
      if (r.outcome == Outcome::kFail) {
        ++report.by_failing_rule[r.rule_id];
      }
    }
  }
  return report;
}

GateResult DeviceService::Check(std::string_view sender_identity, bool has_attachments) const {
  auto devices = DevicesOf(sender_identity);
  if (!devices) {
    // Fail closed only when the identity has devices; an unreadable store blocks.
    return {GateDecision::kBlocked, "device state unavailable: " + devices.error().message(), ""};
  }
  GateResult worst;
  for (const auto& d : *devices) {
    GateResult r = DecideGate(d.access, d.lost, has_attachments);
    r.device_id = d.device_id;
    if (r.decision > worst.decision) {
      worst = r;
    }
  }
  return worst;
}

GateResult DeviceService::CheckDevice(std::string_view device_id, bool has_attachments) const {
  auto d = Get(std::string(device_id));
  if (!d) {
    const bool unknown = d.error().code() == core::StatusCode::kNotFound;
    return {GateDecision::kBlocked,
            unknown ? "unknown device" : "device state unavailable: " + d.error().message(),
            std::string(device_id)};
  }
  GateResult r = DecideGate(d->access, d->lost, has_attachments);
  r.device_id = d->device_id;
  return r;
}

std::vector<std::string> DeviceService::WithheldDevices(std::string_view recipient_identity) const {
  std::vector<std::string> out;
  auto devices = DevicesOf(recipient_identity);
  if (!devices) {
    return out;
  }
  for (const auto& d : *devices) {
    if (DecideGate(d.access, d.lost, false).decision == GateDecision::kBlocked) {
      out.push_back(d.device_id);
    }
  }
  return out;
}

}  // namespace custos::devices
