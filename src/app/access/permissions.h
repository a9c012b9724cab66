// SPDX-License-Identifier: Apache-2.0
// Who may do what, in one place below the front ends: the permissions (what a route or a CLI
// command needs, http/routes.h Route::permission) and the roles that grant them (issue 15,
// docs/access.md "Roles and permissions", whose table is generated from RoleTableMarkdown and
// checked against it by app_access_test). A principal may hold several roles: it may do what any
// of them may (RolesPermissions). The HTTP layer uses these through http/permissions.h.
//
//   admin               users, tokens, configuration, keys, policy and device management; reads
//                       metadata (the log, import runs); NO message content
//   compliance_officer  policy, review, holds, retention, export, devices; all content
//   reviewer            message content (within its scope, http/principal.h), review
//   auditor             read-only: the log, checkpoints, proofs, holds, policy, devices, import
//                       runs and the access audit; no content
//   privacy_officer     the access audit, privacy notices, de-pseudonymisation; no content
//   employee            self-service only (`self`: /api/v1/me)
//   device              the device agent credential (`device.agent`)
//   ingest              an integration token: `messages.write` only
//   webhook             an integration token: `device.webhook` only (NanoMDM)
// `messages.read` means message content (messages, conversations, search, verdicts, canonical
// records and evidence, the event stream has `events.read`).
//
// Thread-safety: constants and pure functions.
#pragma once

#include <cstdint>
#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/status.h"

namespace custos::app {

enum class Permission : std::uint8_t {
  kPublic,              // anyone, no credential (/healthz, /metrics, redeeming an enrollment token)
  kMessagesRead,        // message content: messages, conversations, search, verdicts, records
  kMessagesWrite,       // POST /api/v1/messages
  kArchiveRead,         // the log: checkpoint, public key, proofs (metadata, no content)
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
  kEventsRead,          // the live event stream (messages and verdicts as they commit): content
  kUsersManage,         // add, disable, enable users; set their roles and scope; reset 2FA
  kTokensManage,        // create, list and revoke API tokens
  kConfigManage,        // the server's configuration
  kKeysManage,          // the key ring and the log signing key
  kAuditRead,           // the access audit: who read which content
  kPrivacyManage,       // privacy notices, de-pseudonymisation approvals
  kSelf,                // an employee's self-service (/api/v1/me)
  kExport,              // export message content
  kReviewWork,          // work review items
};

// How many permissions there are (the enum's size).
inline constexpr std::size_t kPermissionCount = 25;

// Every permission, in declaration order.
const std::vector<Permission>& AllPermissions();

// "messages.read"; stable, used in 403 messages and docs.
std::string_view PermissionName(Permission p);

// What the permission allows, one line (docs/access.md).
std::string_view PermissionDescription(Permission p);

// The permission named `name`, or nullopt.
std::optional<Permission> PermissionNamed(std::string_view name);

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

  void AddAll(const PermissionSet& other) { bits_ |= other.bits_; }

  bool Has(Permission p) const { return (bits_ & Bit(p)) != 0; }

  bool empty() const { return bits_ == 0; }

  bool operator==(const PermissionSet& other) const { return bits_ == other.bits_; }

  static PermissionSet All();

 private:
  static_assert(kPermissionCount <= 64, "PermissionSet holds 64 permissions");

  static std::uint64_t Bit(Permission p) { return std::uint64_t{1} << static_cast<unsigned>(p); }

  std::uint64_t bits_ = 0;
};

// Who may hold a role.
struct RoleInfo {
  std::string_view name;
  std::string_view summary;  // one line, docs/access.md
  bool for_users = false;    // a user may hold it (`custos users add --role`)
  bool for_tokens = false;   // an API token may hold it (`custos tokens create --role`)
};

// Every role, in the order of the comment above.
const std::vector<RoleInfo>& AllRoles();

// The role's permissions (each includes `public`); nullopt for a role this table does not know.
std::optional<PermissionSet> RolePermissions(std::string_view role);

// The union of the roles' permissions; unknown roles add nothing but `public`.
PermissionSet RolesPermissions(const std::vector<std::string>& roles);

// True when the roles read message content (messages.read, events.read or export): the roles a
// second factor is required for by default (app/auth_settings.h).
bool RolesReadContent(const std::vector<std::string>& roles);

// Which kind of credential a role list is for.
enum class RoleHolder { kUser, kToken };

// Parses a role list as the CLI and the store take it: names separated by commas (spaces around
// them ignored), at least one, none twice, each one `holder` may hold. Returns them in table
// order. kInvalidArgument "role: ..." naming the unknown or unsuitable role and listing the
// roles `holder` may have.
core::Result<std::vector<std::string>> ParseRoles(const std::vector<std::string>& items,
                                                  RoleHolder holder);

// "admin,compliance_officer": the stored form of a role list.
std::string JoinRoles(const std::vector<std::string>& roles);

// The inverse of JoinRoles (no validation; "" gives none).
std::vector<std::string> SplitRoles(std::string_view joined);

// The roles of the first-start token (`DIR/admin-token`): the operator's break-glass token, so
// `admin` plus `compliance_officer` (content) plus `ingest` (posting messages, as the one token
// of a fresh server could before roles). The `admin` role alone reads no content.
const std::vector<std::string>& BootstrapRoles();

// docs/access.md's "Roles and permissions" tables, in Markdown: permissions × roles (an "x"
// where the role has the permission), then the role summaries. `custos access table --markdown`
// prints it.
std::string RoleTableMarkdown();

}  // namespace custos::app
