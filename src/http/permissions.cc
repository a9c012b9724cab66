// SPDX-License-Identifier: Apache-2.0
#include "http/permissions.h"

#include <utility>

namespace custos::http {

namespace {

struct PermissionRow {
  Permission permission;
  std::string_view name;
};

constexpr PermissionRow kPermissions[] = {
    {Permission::kPublic, "public"},
    {Permission::kMessagesRead, "messages.read"},
    {Permission::kMessagesWrite, "messages.write"},
    {Permission::kArchiveRead, "archive.read"},
    {Permission::kHoldsRead, "holds.read"},
    {Permission::kHoldsManage, "holds.manage"},
    {Permission::kRetentionManage, "retention.manage"},
    {Permission::kPolicyRead, "policy.read"},
    {Permission::kPolicyManage, "policy.manage"},
    {Permission::kDevicesRead, "devices.read"},
    {Permission::kDevicesManage, "devices.manage"},
    {Permission::kDevicesApproveWipe, "devices.approve_wipe"},
    {Permission::kImportRunsRead, "import_runs.read"},
    {Permission::kDeviceAgent, "device.agent"},
    {Permission::kDeviceWebhook, "device.webhook"},
    {Permission::kEventsRead, "events.read"},
};

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

PermissionSet PermissionSet::All() {
  PermissionSet all;
  for (Permission p : AllPermissions()) {
    all.Add(p);
  }
  return all;
}

std::optional<PermissionSet> RolePermissions(std::string_view role) {
  using P = Permission;
  if (role == "admin") {
    // Everything an API token can be given; a device's and a webhook's own permissions too,
    // as before roles (an admin token was accepted by the NanoMDM webhook).
    return PermissionSet::All();
  }
  if (role == "auditor") {
    return PermissionSet{P::kPublic,    P::kMessagesRead, P::kEventsRead,  P::kArchiveRead,
                         P::kHoldsRead, P::kPolicyRead,   P::kDevicesRead, P::kImportRunsRead};
  }
  if (role == "ingest") {
    return PermissionSet{P::kPublic, P::kMessagesWrite};
  }
  if (role == "webhook") {
    return PermissionSet{P::kPublic, P::kDeviceWebhook};
  }
  return std::nullopt;
}

const std::vector<std::string_view>& KnownRoles() {
  static const std::vector<std::string_view> roles = {"admin", "auditor", "ingest", "webhook"};
  return roles;
}

}  // namespace custos::http
