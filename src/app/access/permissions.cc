// SPDX-License-Identifier: Apache-2.0
#include "app/access/permissions.h"

#include <algorithm>
#include <iterator>

#include "core/text.h"

namespace custos::app {

namespace {

struct PermissionRow {
  Permission permission;
  std::string_view name;
  std::string_view description;
};

constexpr PermissionRow kPermissions[] = {
    {Permission::kPublic, "public", "no credential: `/healthz`, `/metrics`, device enrolment"},
    {Permission::kMessagesRead, "messages.read",
     "message content: messages, conversations, search, verdicts, canonical records, evidence"},
    {Permission::kMessagesWrite, "messages.write", "`POST /api/v1/messages`"},
    {Permission::kArchiveRead, "archive.read", "the log: checkpoint, public key, proofs"},
    {Permission::kHoldsRead, "holds.read", "list legal holds"},
    {Permission::kHoldsManage, "holds.manage", "create and release legal holds"},
    {Permission::kRetentionManage, "retention.manage", "run retention (dry runs too)"},
    {Permission::kPolicyRead, "policy.read", "the pack in force, `policy/check`"},
    {Permission::kPolicyManage, "policy.manage", "apply and reload a policy pack"},
    {Permission::kDevicesRead, "devices.read", "devices, their commands, the compliance report"},
    {Permission::kDevicesManage, "devices.manage",
     "enrol, report lost, found, confirm stolen, MDM reports"},
    {Permission::kDevicesApproveWipe, "devices.approve_wipe",
     "approve a wipe (never one the same principal asked for)"},
    {Permission::kImportRunsRead, "import_runs.read", "import runs, conversation labels"},
    {Permission::kDeviceAgent, "device.agent", "a device credential's routes (agent, employee)"},
    {Permission::kDeviceWebhook, "device.webhook", "`POST /hooks/nanomdm`"},
    {Permission::kEventsRead, "events.read", "the live event stream (content)"},
    {Permission::kUsersManage, "users.manage",
     "add, disable, enable users; set roles and scope; reset passwords and 2FA"},
    {Permission::kTokensManage, "tokens.manage", "create, list and revoke API tokens"},
    {Permission::kConfigManage, "config.manage", "the server's configuration"},
    {Permission::kKeysManage, "keys.manage", "the key ring and the log signing key"},
    {Permission::kAuditRead, "audit.read", "the access audit: who read which content"},
    {Permission::kPrivacyManage, "privacy.manage",
     "privacy notices, de-pseudonymisation approvals"},
    {Permission::kSelf, "self",
     "self-service: `/api/v1/me` (who I am; own devices, policies to acknowledge, notices)"},
    {Permission::kExport, "export", "export message content"},
    {Permission::kReviewWork, "review.work", "work review items"},
};

static_assert(std::size(kPermissions) == kPermissionCount);

struct RoleRow {
  RoleInfo info;
  std::vector<Permission> permissions;  // `public` is added to every role
};

using P = Permission;

const std::vector<RoleRow>& RoleRows() {
  static const std::vector<RoleRow> rows = {
      {{"admin",
        "users, tokens, configuration, keys, policy and devices; metadata only, no content", true,
        true},
       {P::kUsersManage, P::kTokensManage, P::kConfigManage, P::kKeysManage, P::kPolicyRead,
        P::kPolicyManage, P::kDevicesRead, P::kDevicesManage, P::kDevicesApproveWipe,
        P::kDeviceWebhook, P::kImportRunsRead, P::kArchiveRead, P::kHoldsRead, P::kSelf}},
      {{"compliance_officer",
        "policy, review, holds, retention, export, devices and all message content", true, true},
       {P::kMessagesRead, P::kEventsRead, P::kExport, P::kReviewWork, P::kArchiveRead,
        P::kHoldsRead, P::kHoldsManage, P::kRetentionManage, P::kPolicyRead, P::kPolicyManage,
        P::kDevicesRead, P::kDevicesManage, P::kDevicesApproveWipe, P::kImportRunsRead, P::kSelf}},
      {{"reviewer", "works review items; reads content only within its scope", true, true},
       {P::kMessagesRead, P::kReviewWork, P::kPolicyRead, P::kSelf}},
      {{"auditor",
        "read-only: the log, checkpoints, proofs, holds, policy, devices, import runs, the access "
        "audit; no content",
        true, true},
       {P::kArchiveRead, P::kHoldsRead, P::kPolicyRead, P::kDevicesRead, P::kImportRunsRead,
        P::kAuditRead, P::kSelf}},
      {{"privacy_officer",
        "the access audit, privacy notices, de-pseudonymisation approvals; no content", true, true},
       {P::kAuditRead, P::kPrivacyManage, P::kSelf}},
      {{"employee", "self-service only: own devices, policies to acknowledge, own notices", true,
        false},
       {P::kSelf}},
      {{"device", "the device agent's credential (not for users or tokens)", false, false},
       {P::kDeviceAgent, P::kSelf}},
      {{"ingest", "an integration token that posts messages (a connector, a bridge)", false, true},
       {P::kMessagesWrite}},
      {{"webhook", "an integration token for an MDM server's webhook (NanoMDM)", false, true},
       {P::kDeviceWebhook}},
  };
  return rows;
}

const RoleRow* FindRole(std::string_view name) {
  for (const RoleRow& row : RoleRows()) {
    if (row.info.name == name) {
      return &row;
    }
  }
  return nullptr;
}

}  // namespace

const std::vector<Permission>& AllPermissions() {
  static const std::vector<Permission> all = [] {
    std::vector<Permission> out;
    for (const PermissionRow& row : kPermissions) {
      out.push_back(row.permission);
    }
    return out;
  }();
  return all;
}

std::string_view PermissionName(Permission p) {
  for (const PermissionRow& row : kPermissions) {
    if (row.permission == p) {
      return row.name;
    }
  }
  return "unknown";
}

std::string_view PermissionDescription(Permission p) {
  for (const PermissionRow& row : kPermissions) {
    if (row.permission == p) {
      return row.description;
    }
  }
  return "";
}

std::optional<Permission> PermissionNamed(std::string_view name) {
  for (const PermissionRow& row : kPermissions) {
    if (row.name == name) {
      return row.permission;
    }
  }
  return std::nullopt;
}

PermissionSet PermissionSet::All() {
  PermissionSet all;
  for (Permission p : AllPermissions()) {
    all.Add(p);
  }
  return all;
}

const std::vector<RoleInfo>& AllRoles() {
  static const std::vector<RoleInfo> roles = [] {
    std::vector<RoleInfo> out;
    for (const RoleRow& row : RoleRows()) {
      out.push_back(row.info);
    }
    return out;
  }();
  return roles;
}

std::optional<PermissionSet> RolePermissions(std::string_view role) {
  const RoleRow* row = FindRole(role);
  if (row == nullptr) {
    return std::nullopt;
  }
  PermissionSet set{P::kPublic};
  for (Permission p : row->permissions) {
    set.Add(p);
  }
  return set;
}

PermissionSet RolesPermissions(const std::vector<std::string>& roles) {
  PermissionSet set{P::kPublic};
  for (const std::string& role : roles) {
    if (auto perms = RolePermissions(role)) {
      set.AddAll(*perms);
    }
  }
  return set;
}

bool RolesReadContent(const std::vector<std::string>& roles) {
  const PermissionSet perms = RolesPermissions(roles);
  return perms.Has(P::kMessagesRead) || perms.Has(P::kEventsRead) || perms.Has(P::kExport);
}

core::Result<std::vector<std::string>> ParseRoles(const std::vector<std::string>& items,
                                                  RoleHolder holder) {
  const auto may_hold = [holder](const RoleInfo& info) {
    return holder == RoleHolder::kUser ? info.for_users : info.for_tokens;
  };
  std::string allowed;
  for (const RoleInfo& info : AllRoles()) {
    if (may_hold(info)) {
      allowed += (allowed.empty() ? "" : ", ") + std::string(info.name);
    }
  }
  const std::string_view holder_name = holder == RoleHolder::kUser ? "a user" : "an API token";
  std::vector<std::string> names;
  for (const std::string& item : items) {
    for (std::string_view part : core::Split(item, ',')) {
      const std::string name(core::TrimAscii(part));
      if (name.empty()) {
        return core::InvalidArgument("role: empty role name in \"" +
                                     std::string(core::TruncateUtf8(item, 80)) + "\"");
      }
      const RoleRow* row = FindRole(name);
      if (row == nullptr) {
        return core::InvalidArgument(
            "role: unknown role \"" + std::string(core::TruncateUtf8(name, 40)) +
            "\"; the roles of " + std::string(holder_name) + " are " + allowed);
      }
      if (!may_hold(row->info)) {
        std::string message = "role: ";
        message.append(holder_name)
            .append(" cannot have the role ")
            .append(name)
            .append("; its roles are ")
            .append(allowed);
        return core::InvalidArgument(message);
      }
      if (std::find(names.begin(), names.end(), name) != names.end()) {
        return core::InvalidArgument("role: " + name + " is given twice");
      }
      names.push_back(name);
    }
  }
  if (names.empty()) {
    return core::InvalidArgument("role: at least one role is required; the roles of " +
                                 std::string(holder_name) + " are " + allowed);
  }
  std::vector<std::string> ordered;
  for (const RoleInfo& info : AllRoles()) {
    if (std::find(names.begin(), names.end(), info.name) != names.end()) {
      ordered.emplace_back(info.name);
    }
  }
  return ordered;
}

std::string JoinRoles(const std::vector<std::string>& roles) {
  std::string out;
  for (const std::string& r : roles) {
    out += (out.empty() ? "" : ",") + r;
  }
  return out;
}

std::vector<std::string> SplitRoles(std::string_view joined) {
  std::vector<std::string> out;
  if (joined.empty()) {
    return out;
  }
  for (std::string_view part : core::Split(joined, ',')) {
    if (!part.empty()) {
      out.emplace_back(part);
    }
  }
  return out;
}

const std::vector<std::string>& BootstrapRoles() {
  static const std::vector<std::string> roles = {"admin", "compliance_officer", "ingest"};
  return roles;
}

std::string RoleTableMarkdown() {
  std::string out = "| permission |";
  std::string rule = "| --- |";
  for (const RoleInfo& role : AllRoles()) {
    out += " `" + std::string(role.name) + "` |";
    rule += " :-: |";
  }
  out += " what it allows |\n" + rule + " --- |\n";
  for (const PermissionRow& row : kPermissions) {
    out += "| `" + std::string(row.name) + "` |";
    for (const RoleInfo& role : AllRoles()) {
      out += RolePermissions(role.name)->Has(row.permission) ? " x |" : "  |";
    }
    out += " " + std::string(row.description) + " |\n";
  }
  out += "\n| role | users | tokens | summary |\n| --- | :-: | :-: | --- |\n";
  for (const RoleInfo& role : AllRoles()) {
    out += "| `" + std::string(role.name) + "` | " + (role.for_users ? "yes" : "no") + " | " +
           (role.for_tokens ? "yes" : "no") + " | " + std::string(role.summary) + " |\n";
  }
  return out;
}

}  // namespace custos::app
