// SPDX-License-Identifier: Apache-2.0
// What a caller may do at the HTTP boundary: the permissions routes require (http/routes.h,
// Route::permission) and the roles that grant them. They live in app/access/permissions.h (one
// table for the server, the CLI and docs/access.md); these aliases keep the HTTP code's names.
//
// Thread-safety: constants and pure functions.
#pragma once

#include "app/access/permissions.h"

namespace custos::http {

using app::AllPermissions;
using app::AllRoles;
using app::Permission;
using app::PermissionName;
using app::PermissionSet;
using app::RolePermissions;
using app::RolesPermissions;

}  // namespace custos::http
