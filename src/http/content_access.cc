// SPDX-License-Identifier: Apache-2.0
#include "http/content_access.h"

#include <optional>
#include <string>

#include "core/text.h"

namespace custos::http {

core::Result<app::AccessContext> AccessOf(RequestContext& ctx) {
  app::AccessContext who;
  who.actor = ctx.principal.Actor();
  who.roles = ctx.principal.roles;
  who.client = ctx.client_address;
  who.request_id = ctx.request_id;
  const std::optional<std::string_view> header = ctx.request.headers.Get(kPurposeHeader);
  const std::optional<std::string_view> param = ctx.request.Param(kPurposeParam);
  if (header && param && *header != *param) {
    return ctx.Fail(core::InvalidArgument("purpose: given as the X-Custos-Purpose header and as "
                                          "the purpose parameter with different values"),
                    {0, "purpose"});
  }
  const std::string_view purpose = core::TrimAscii(header ? *header : param.value_or(""));
  if (purpose.size() > app::kMaxPurposeBytes) {
    return ctx.Fail(core::InvalidArgument("purpose: at most " +
                                          std::to_string(app::kMaxPurposeBytes) + " bytes"),
                    {0, "purpose"});
  }
  if (!core::IsValidUtf8(purpose)) {
    return ctx.Fail(core::InvalidArgument("purpose: not valid UTF-8"), {0, "purpose"});
  }
  who.purpose = std::string(purpose);
  return who;
}

core::Result<app::ContentScope> ScopeOf(const RequestContext& ctx) {
  if (!ctx.principal.scoped) {
    return app::ContentScope();
  }
  return ctx.custos.ContentScopeFor(ctx.principal.scope_groups);
}

}  // namespace custos::http
