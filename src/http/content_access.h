// SPDX-License-Identifier: Apache-2.0
// What every route that hands out message content applies (issue 15, docs/access.md): the
// caller's content scope (a scoped reviewer sees only the messages of its desks; anything else
// is answered 404 exactly like an id that does not exist) and the access audit (the read is
// recorded, durably, before the content is answered: app/access_audit.h). The purpose of a
// read is taken from the `X-Custos-Purpose` header or the `purpose` query parameter.
//
// Thread-safety: free functions over one request's context.
#pragma once

#include <string_view>

#include "app/access_audit.h"
#include "app/content_scope.h"
#include "core/status.h"
#include "http/routes.h"

namespace custos::http {

inline constexpr std::string_view kPurposeHeader = "X-Custos-Purpose";
inline constexpr std::string_view kPurposeParam = "purpose";

// Who reads (the principal's actor and role), from where, why, and the request id.
// kInvalidArgument naming `purpose` when it is longer than app::kMaxPurposeBytes, not UTF-8, or
// given both as a header and as a parameter with different values.
core::Result<app::AccessContext> AccessOf(RequestContext& ctx);

// The caller's content scope: everything for an unscoped principal, else its groups' employees
// (app::Custos::ContentScopeFor).
core::Result<app::ContentScope> ScopeOf(const RequestContext& ctx);

}  // namespace custos::http
