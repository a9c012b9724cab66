// SPDX-License-Identifier: Apache-2.0
// What a caller may do at the HTTP boundary: the permissions routes require (http/routes.h,
// Route::permission) and the table that grants them to roles. An API token carries one role
// (`custos tokens create --role`, app/tokens.h); a device credential and a webhook source get a
// fixed set (http/principal.h). Issue 15's user roles and sessions are further rows here.
// docs/api.md, "Authentication and permissions", lists the same table.
//
// Thread-safety: constants and pure functions.
#pragma once

#include <cstdint>
#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace custos::http {

enum class Permission : std::uint8_t {
  kPublic,              // anyone, no credential (/healthz, /metrics, redeeming an enrollment token)
  kMessagesRead,        // messages, conversations, search, verdicts
  kMessagesWrite,       // POST /api/v1/messages
  kArchiveRead,         // the log: checkpoint, key, proofs, canonical records, evidence
  kHoldsRead,           // GET /api/v1/holds
  kHoldsManage,         // create and release holds
  kRetentionManage,     // run retention (dry runs too: a dry run is the preview of disposal)
  kPolicyRead,          // the pack in force; checking a message against it
  kPolicyManage,        // apply or reload a pack
  kDevicesRead,         // devices, their commands, the compliance report
  kDevicesManage,       // enroll, report lost, found, confirm stolen, MDM reports (AMAPI)
  kDevicesApproveWipe,  // approve a wipe (and never one this principal asked for)
  kImportRunsRead,      // import runs and conversation labels
  kDeviceAgent,         // a device credential: the device agent's and the employee's routes
  kDeviceWebhook,       // an MDM server's webhook (NanoMDM)
  kEventsRead,          // the live event stream (messages and verdicts as they commit)
};

// Every permission, in declaration order.
const std::vector<Permission>& AllPermissions();

// "messages.read"; stable, used in 403 messages and docs.
std::string_view PermissionName(Permission p);

// A set of permissions (a bit per Permission).
class PermissionSet {
 public:
  PermissionSet() = default;

  PermissionSet(std::initializer_list<Permission> ps) {
    for (Permission p : ps) {
      Add(p);
    }
  }

  void Add(Permission p) { bits_ |= Bit(p); }

  bool Has(Permission p) const { return (bits_ & Bit(p)) != 0; }

  bool empty() const { return bits_ == 0; }

  static PermissionSet All();

 private:
  static std::uint32_t Bit(Permission p) { return std::uint32_t{1} << static_cast<unsigned>(p); }

  std::uint32_t bits_ = 0;
};

// The API token roles (app/tokens.h kTokenRoles names the same):
//   admin    everything
//   auditor  read-only: messages, events, archive, holds, policy, devices, import runs
//   ingest   messages.write only (a connector, a bridge)
//   webhook  device.webhook only (NanoMDM's webhook URL)
// nullopt for a role this table does not know (the token then may do nothing).
std::optional<PermissionSet> RolePermissions(std::string_view role);

// The role names RolePermissions knows, in the order above.
const std::vector<std::string_view>& KnownRoles();

}  // namespace custos::http
