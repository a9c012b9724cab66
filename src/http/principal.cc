// SPDX-License-Identifier: Apache-2.0
#include "http/principal.h"

#include <utility>

namespace custos::http {

std::string_view PrincipalKindName(PrincipalKind kind) {
  switch (kind) {
    case PrincipalKind::kAnonymous:
      return "anonymous";
    case PrincipalKind::kApiToken:
      return "token";
    case PrincipalKind::kDeviceCredential:
      return "device";
    case PrincipalKind::kWebhook:
      return "webhook";
    case PrincipalKind::kUserSession:
      return "user";
  }
  return "unknown";
}

std::string Principal::Actor() const {
  switch (kind) {
    case PrincipalKind::kAnonymous:
      return "anonymous";
    case PrincipalKind::kApiToken:
      return "token:" + id + " (" + name + ")";
    case PrincipalKind::kWebhook:
      return "webhook:" + name + " (token:" + id + ")";
    case PrincipalKind::kDeviceCredential:
      return "device:" + device_id;
    case PrincipalKind::kUserSession:
      return "user:" + id + " (" + name + ")";
  }
  return "unknown";
}

Principal Principal::Anonymous() {
  Principal p;
  p.permissions.Add(Permission::kPublic);
  return p;
}

Principal Principal::ApiToken(std::int64_t id, std::string name, std::vector<std::string> roles) {
  Principal p;
  p.kind = PrincipalKind::kApiToken;
  p.id = std::to_string(id);
  p.name = std::move(name);
  p.permissions = RolesPermissions(roles);
  p.role = app::JoinRoles(roles);
  p.roles = std::move(roles);
  return p;
}

Principal Principal::ApiToken(std::int64_t id, std::string name, std::string_view roles) {
  return ApiToken(id, std::move(name), app::SplitRoles(roles));
}

Principal Principal::Webhook(std::string source, std::int64_t token_id,
                             std::vector<std::string> roles) {
  Principal p = ApiToken(token_id, std::move(source), std::move(roles));
  p.kind = PrincipalKind::kWebhook;
  return p;
}

Principal Principal::Webhook(std::string source, std::int64_t token_id, std::string_view roles) {
  return Webhook(std::move(source), token_id, app::SplitRoles(roles));
}

Principal Principal::Device(std::string device_id) {
  Principal p;
  p.kind = PrincipalKind::kDeviceCredential;
  p.id = device_id;
  p.device_id = std::move(device_id);
  p.role = "device";
  p.roles = {"device"};
  p.permissions = RolePermissions("device").value_or(PermissionSet{Permission::kPublic});
  return p;
}

Principal Principal::User(const app::UserInfo& user, std::int64_t session) {
  Principal p;
  p.kind = PrincipalKind::kUserSession;
  p.id = std::to_string(user.id);
  p.name = user.login;
  p.permissions = RolesPermissions(user.roles);
  p.role = app::JoinRoles(user.roles);
  p.roles = user.roles;
  if (user.person_id) {
    p.person_id = std::to_string(*user.person_id);
  }
  p.scoped = !user.scope_groups.empty();
  p.scope_groups = user.scope_groups;
  p.session_id = session;
  return p;
}

}  // namespace custos::http
