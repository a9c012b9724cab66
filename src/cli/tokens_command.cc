// SPDX-License-Identifier: Apache-2.0
// `custos tokens create --role ROLE[,ROLE] [--role ...] [--scope GROUP] [--name N]
// [--expires 90d|DATE]`, `custos tokens list`, `custos tokens revoke ID` (docs/operations.md, "API
// tokens"): API tokens managed on the data directory itself, by whoever can read and write it, with
// the server running or stopped (app/tokens.h) — the way back in when the admin token is lost. A
// new token is printed once; only its SHA-256 is stored.
#include <cstdint>
#include <cstdio>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "app/access/permissions.h"
#include "app/tokens.h"
#include "cli/commands.h"
#include "cli/common.h"
#include "cli/exit_codes.h"
#include "config/duration.h"
#include "core/time.h"

namespace custos::cli {
namespace {

struct TokensArgs {
  std::string data_dir;
  std::vector<std::string> roles;
  std::vector<std::string> scope;
  std::string name = "admin";
  std::string expires;
  std::int64_t id = 0;
  bool json = false;
};

// "90d", "1y" (from now), "2027-01-31" (midnight UTC) or an RFC 3339 time.
core::Result<core::Micros> ParseExpiry(const std::string& text) {
  if (auto duration = config::ParseDuration(text); duration.has_value()) {
    return duration->After(core::SystemClock().Now());
  }
  if (text.size() == 10) {
    if (auto day = core::ParseRfc3339(text + "T00:00:00Z"); day.has_value()) {
      return *day;
    }
  }
  if (auto time = core::ParseRfc3339(text); time.has_value()) {
    return *time;
  }
  return core::InvalidArgument("--expires \"" + text +
                               "\": expected a duration from now (90d, 12w, 6m, 1y), a date "
                               "(2027-01-31) or an RFC 3339 time");
}

std::string Optional(const std::optional<core::Micros>& t) {
  return t ? core::FormatRfc3339(*t) : "-";
}

nlohmann::json TokenJson(const app::TokenInfo& t) {
  nlohmann::json out = {{"id", t.id},
                        {"name", t.name},
                        {"role", app::JoinRoles(t.roles)},
                        {"roles", t.roles},
                        {"scope", t.scope_groups},
                        {"created_at", core::FormatRfc3339(t.created_at)},
                        {"created_by", t.created_by},
                        {"expires_at", nullptr},
                        {"revoked_at", nullptr},
                        {"last_used_at", nullptr}};
  if (t.last_used_at) {
    out["last_used_at"] = core::FormatRfc3339(*t.last_used_at);
  }
  if (t.expires_at) {
    out["expires_at"] = core::FormatRfc3339(*t.expires_at);
  }
  if (t.revoked_at) {
    out["revoked_at"] = core::FormatRfc3339(*t.revoked_at);
  }
  return out;
}

std::string State(const app::TokenInfo& t) {
  if (t.revoked_at) {
    return "revoked";
  }
  if (t.expires_at && *t.expires_at <= core::SystemClock().Now()) {
    return "expired";
  }
  return "active";
}

int RunCreate(const TokensArgs& args) {
  std::optional<core::Micros> expires;
  if (!args.expires.empty()) {
    auto parsed = ParseExpiry(args.expires);
    if (!parsed.has_value()) {
      std::fprintf(stderr, "custos: tokens create: %s\n", parsed.error().message().c_str());
      return kExitUsage;
    }
    expires = *parsed;
  }
  app::TokenRequest request;
  request.roles = args.roles;
  request.name = args.name;
  request.scope_groups = args.scope;
  request.expires_at = expires;
  request.actor = CliActor();
  auto created = app::CreateToken(args.data_dir, request);
  if (!created.has_value()) {
    return Fail("tokens create", created.error());
  }
  WarnEmptyScopeGroups("tokens create", args.data_dir, created->info.scope_groups);
  if (args.json) {
    nlohmann::json out = TokenJson(created->info);
    out["token"] = created->token;
    std::printf("%s\n", out.dump().c_str());
    return kExitOk;
  }
  const std::string scope = created->info.scope_groups.empty()
                                ? ""
                                : ", scope " + app::JoinRoles(created->info.scope_groups);
  std::printf("custos: token %lld (roles %s%s, name \"%s\", expires %s) created; shown once:\n%s\n",
              static_cast<long long>(created->info.id), app::JoinRoles(created->info.roles).c_str(),
              scope.c_str(), created->info.name.c_str(), Optional(created->info.expires_at).c_str(),
              created->token.c_str());
  std::fprintf(stderr,
               "custos: send it as 'Authorization: Bearer <token>'; it works at once, also "
               "against a running server; revoke it with `custos tokens revoke %lld`\n",
               static_cast<long long>(created->info.id));
  return kExitOk;
}

int RunList(const TokensArgs& args) {
  auto tokens = app::ListTokens(args.data_dir);
  if (!tokens.has_value()) {
    return Fail("tokens list", tokens.error());
  }
  if (args.json) {
    nlohmann::json out = nlohmann::json::array();
    for (const app::TokenInfo& t : *tokens) {
      out.push_back(TokenJson(t));
      out.back()["state"] = State(t);
    }
    std::printf("%s\n", nlohmann::json{{"tokens", out}}.dump().c_str());
    return kExitOk;
  }
  if (tokens->empty()) {
    std::printf("no API tokens in %s\n", args.data_dir.c_str());
    return kExitOk;
  }
  std::printf("%-5s %-26s %-8s %-24s %-24s %-24s %s\n", "ID", "ROLES", "STATE", "CREATED",
              "EXPIRES", "LAST USED", "NAME");
  for (const app::TokenInfo& t : *tokens) {
    std::string roles = app::JoinRoles(t.roles);
    if (!t.scope_groups.empty()) {
      roles += " [" + app::JoinRoles(t.scope_groups) + "]";
    }
    std::printf("%-5lld %-26s %-8s %-24s %-24s %-24s %s\n", static_cast<long long>(t.id),
                roles.c_str(), State(t).c_str(), core::FormatRfc3339(t.created_at).c_str(),
                Optional(t.expires_at).c_str(), Optional(t.last_used_at).c_str(), t.name.c_str());
  }
  return kExitOk;
}

int RunRevoke(const TokensArgs& args) {
  auto revoked = app::RevokeToken(args.data_dir, args.id, CliActor());
  if (!revoked.has_value()) {
    return Fail("tokens revoke", revoked.error());
  }
  if (args.json) {
    std::printf("%s\n", TokenJson(*revoked).dump().c_str());
  } else {
    std::printf("custos: token %lld (\"%s\") revoked; it is refused from the next request on\n",
                static_cast<long long>(revoked->id), revoked->name.c_str());
  }
  return kExitOk;
}

}  // namespace

void RegisterTokensCommand(CLI::App& root, int* exit_code) {
  CLI::App* tokens = root.add_subcommand(
      "tokens", "API tokens: create (e.g. when the admin token is lost), list, revoke");
  tokens->require_subcommand(1);
  auto args = std::make_shared<TokensArgs>();

  CLI::App* create = tokens->add_subcommand("create",
                                            "Create an API token and print it once (server running "
                                            "or not)");
  create
      ->add_option("--role", args->roles,
                   "The token's roles (repeat or comma-separate): admin, compliance_officer, "
                   "reviewer, auditor, privacy_officer, ingest, webhook (docs/access.md)")
      ->allow_extra_args(false)
      ->required();
  create
      ->add_option("--scope", args->scope,
                   "Read content only of these directory groups (repeat or comma-separate); "
                   "default unscoped")
      ->allow_extra_args(false)
      ->type_name("GROUP");
  create->add_option("--name", args->name, "A name to tell tokens apart")->capture_default_str();
  create
      ->add_option("--expires", args->expires,
                   "When it stops working: 90d, 12w, 6m, 1y from now, a date (2027-01-31) or "
                   "an RFC 3339 time; default never")
      ->type_name("WHEN");
  create->add_flag("--json", args->json, "Print {\"id\",\"token\",...}");
  AddDataOption(create, &args->data_dir);
  create->callback([args, exit_code] { *exit_code = RunCreate(*args); });

  CLI::App* list = tokens->add_subcommand("list", "List the API tokens (never the tokens)");
  list->add_flag("--json", args->json, "Print {\"tokens\":[...]}");
  AddDataOption(list, &args->data_dir);
  list->callback([args, exit_code] { *exit_code = RunList(*args); });

  CLI::App* revoke = tokens->add_subcommand("revoke", "Revoke an API token at once");
  revoke->add_option("id", args->id, "The token's id (`custos tokens list`)")
      ->required()
      ->check(IntegerArgument("token id"));
  revoke->add_flag("--json", args->json, "Print the revoked token as JSON");
  AddDataOption(revoke, &args->data_dir);
  revoke->callback([args, exit_code] { *exit_code = RunRevoke(*args); });
}

}  // namespace custos::cli
