// SPDX-License-Identifier: Apache-2.0
// `custos verdicts list [--rule R] [--severity S] [--action A] [--channel C] [--person P]
// [--since D] [--until D] [--limit N] [--cursor C] [--json]`: the flagged messages, newest first,
// each with its verdict (the same listing as GET /api/v1/verdicts; docs/search.md).
#include <cstdio>
#include <memory>
#include <string>

#include <nlohmann/json.hpp>

#include "cli/commands.h"
#include "cli/common.h"
#include "cli/exit_codes.h"
#include "core/time.h"
#include "http/resource_json.h"

namespace custos::cli {
namespace {

struct VerdictsArgs {
  app::VerdictQuery query;
  std::string data_dir;
  bool json = false;
  int limit = 50;
  std::string cursor;
};

std::string JoinRules(const std::vector<std::string>& rules) {
  std::string out;
  for (const std::string& r : rules) {
    out += (out.empty() ? "" : ",") + r;
  }
  return out;
}

int RunList(const VerdictsArgs& args) {
  auto custos = OpenData(args.data_dir, /*read_only=*/true);
  if (!custos.has_value()) {
    return Fail("verdicts list", custos.error());
  }
  std::optional<std::string> cursor;
  if (!args.cursor.empty()) {
    cursor = args.cursor;
  }
  auto listing = (*custos)->ListVerdicts(args.query, cursor, args.limit);
  if (!listing.has_value()) {
    // An unknown rule, severity, action or channel or a bad date is a usage error.
    const int code = Fail("verdicts list", listing.error());
    return listing.error().code() == core::StatusCode::kInvalidArgument ? kExitUsage : code;
  }
  if (args.json) {
    const std::string out = http::VerdictListJson(*listing).dump(
        -1, ' ', false, nlohmann::ordered_json::error_handler_t::replace);
    std::printf("%s\n", out.c_str());
    return kExitOk;
  }
  if (listing->items.empty()) {
    std::printf("no flagged messages\n");
    return kExitOk;
  }
  std::printf("%-16s  %-8s  %8s  %6s  %-8s  %-8s  %s\n", "SENT", "CHANNEL", "MESSAGE", "CONV",
              "ACTION", "SEVERITY", "RULES");
  for (const app::VerdictItem& v : listing->items) {
    const std::string when = core::FormatRfc3339(v.row.sent_at).substr(0, 16);  // to the minute
    const archive::VerdictSummary& s = v.row.summary;
    std::printf("%-16s  %-8s  %8lld  %6lld  %-8s  %-8s  %s%s\n", when.c_str(),
                v.row.channel.c_str(), static_cast<long long>(s.message_id),
                static_cast<long long>(v.row.conversation_id), s.action.c_str(), s.severity.c_str(),
                JoinRules(s.rules).c_str(), s.blocked ? "  (blocked)" : "");
  }
  if (listing->next_cursor) {
    std::printf("more: --cursor %s\n", listing->next_cursor->c_str());
  }
  return kExitOk;
}

}  // namespace

void RegisterVerdictsCommand(CLI::App& root, int* exit_code) {
  CLI::App* verdicts =
      root.add_subcommand("verdicts", "Policy verdicts: what the policy flagged (docs/search.md)");
  verdicts->require_subcommand(1);
  auto args = std::make_shared<VerdictsArgs>();
  CLI::App* list = verdicts->add_subcommand(
      "list", "Flagged messages, newest first, with their rules, severity and action");
  list->add_option("--rule", args->query.rule, "Only verdicts with this rule id");
  list->add_option("--severity", args->query.severity,
                   "Only this highest severity: info, low, medium, high, critical");
  list->add_option("--action", args->query.action,
                   "Only this action: allow, warn, flag, escalate, redact, block");
  list->add_option("--channel", args->query.channel, "Only this channel, e.g. whatsapp");
  list->add_option(
      "--person", args->query.person,
      "Only messages sent by this person (a directory name or any identity) or handle");
  list->add_option("--since", args->query.since, "Sent on or after (YYYY-MM-DD or RFC 3339)");
  list->add_option("--until", args->query.until,
                   "Sent before (RFC 3339), or up to and including a day (YYYY-MM-DD)");
  AddDataOption(list, &args->data_dir);
  list->add_flag("--json", args->json, "Print the listing as JSON (as GET /api/v1/verdicts)");
  list->add_option("--limit", args->limit, "Verdicts per page")
      ->check(CLI::Range(1, 500))
      ->capture_default_str();
  list->add_option("--cursor", args->cursor, "Continue after a previous page");
  list->callback([args, exit_code] { *exit_code = RunList(*args); });
}

}  // namespace custos::cli
