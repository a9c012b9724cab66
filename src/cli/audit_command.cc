// SPDX-License-Identifier: Apache-2.0
// `custos audit list [--user U] [--since T] [--until T] [--record ID] [--message ID]
// [--limit N] [--cursor C] [--json]`: the access audit (docs/access.md, "The access audit"),
// newest first: who read which message content, and which requests were refused. Works on the
// data directory with the server running or not (it only reads).
#include <cstdint>
#include <cstdio>
#include <memory>
#include <string>

#include <nlohmann/json.hpp>

#include "cli/commands.h"
#include "cli/common.h"
#include "cli/exit_codes.h"
#include "core/time.h"

namespace custos::cli {
namespace {

using Json = nlohmann::json;

struct AuditArgs {
  std::string data_dir;
  std::string user;
  std::string since;
  std::string until;
  std::int64_t record = 0;
  std::int64_t message = 0;
  std::int64_t cursor = 0;
  int limit = 100;
  bool json = false;
};

// "message 3, 4 (records 7, 9)" / "GET /api/v1/... refused: lacks messages.read".
std::string Summary(const Json& record) {
  const Json body = record.value("body", Json::object());
  if (record.value("kind", "") == "access_refused") {
    if (body.contains("reason")) {
      return body.value("route", "") + " refused: " + body.value("reason", "");
    }
    return body.value("route", "") + " refused: lacks " + body.value("permission", "");
  }
  std::string out = body.value("action", "");
  if (body.contains("query")) {
    out += " \"" + body.value("query", "") + "\"";
  }
  std::string records;
  for (const Json& r : body.value("record_ids", Json::array())) {
    records += (records.empty() ? "" : ",") + r.dump();
  }
  out += " records [" + records + "]";
  if (body.contains("purpose")) {
    out += " purpose \"" + body.value("purpose", "") + "\"";
  }
  return out;
}

int RunList(const AuditArgs& args) {
  auto custos = OpenData(args.data_dir, /*read_only=*/true);
  if (!custos.has_value()) {
    return Fail("audit list", custos.error());
  }
  app::AccessListQuery q;
  q.user = args.user;
  q.since = args.since;
  q.until = args.until;
  if (args.record > 0) {
    q.record = args.record;
  }
  if (args.message > 0) {
    q.message = args.message;
  }
  if (args.cursor > 0) {
    q.before = args.cursor;
  }
  q.limit = args.limit;
  auto listing = (*custos)->access().List(q);
  if (!listing.has_value()) {
    const int code = Fail("audit list", listing.error());
    return listing.error().code() == core::StatusCode::kInvalidArgument ? kExitUsage : code;
  }
  if (args.json) {
    Json items = Json::array();
    for (const archive::AccessListItem& item : listing->items) {
      items.push_back(Json{{"record_id", item.record_id},
                           {"log_index", item.log_index},
                           {"kind", item.kind},
                           {"read_at", core::FormatRfc3339(item.at)},
                           {"record", Json::parse(item.canonical)}});
    }
    const Json next =
        listing->next_before ? Json(std::to_string(*listing->next_before)) : Json(nullptr);
    const std::string out = Json{{"items", std::move(items)}, {"next_cursor", next}}.dump(
        -1, ' ', false, Json::error_handler_t::replace);
    std::printf("%s\n", out.c_str());
    return kExitOk;
  }
  for (const archive::AccessListItem& item : listing->items) {
    const Json record = Json::parse(item.canonical);
    const Json body = record.value("body", Json::object());
    std::printf("%s  record %lld  %s  from %s  %s\n", core::FormatRfc3339(item.at).c_str(),
                static_cast<long long>(item.record_id), body.value("actor", "").c_str(),
                body.value("client", "").c_str(), Summary(record).c_str());
  }
  if (listing->items.empty()) {
    std::printf("no access records\n");
  } else if (listing->next_before) {
    std::printf("more: --cursor %lld\n", static_cast<long long>(*listing->next_before));
  }
  return kExitOk;
}

}  // namespace

void RegisterAuditCommand(CLI::App& root, int* exit_code) {
  CLI::App* audit = root.add_subcommand("audit", "The access audit: who read which content");
  audit->require_subcommand(1);
  auto args = std::make_shared<AuditArgs>();
  CLI::App* list = audit->add_subcommand(
      "list", "List access records (reads of message content and refusals), newest first");
  AddDataOption(list, &args->data_dir);
  list->add_option("--user", args->user, "Only this actor, e.g. token:3 or cli:alice")
      ->type_name("U");
  list->add_option("--since", args->since, "Read at or after (YYYY-MM-DD or RFC 3339)")
      ->type_name("T");
  list->add_option("--until", args->until, "Read before (a YYYY-MM-DD day is included)")
      ->type_name("T");
  list->add_option("--record", args->record, "Only reads of this record")
      ->type_name("ID")
      ->check(IntegerArgument("--record"));
  list->add_option("--message", args->message, "Only reads of this message")
      ->type_name("ID")
      ->check(IntegerArgument("--message"));
  list->add_option("--limit", args->limit, "At most this many (1..1000)")
      ->check(IntegerArgument("--limit", 1, 1000));
  list->add_option("--cursor", args->cursor, "Continue after a previous page")
      ->type_name("C")
      ->check(IntegerArgument("--cursor"));
  list->add_flag("--json", args->json,
                 "Print {\"items\":[{\"record_id\",\"log_index\",\"kind\",\"read_at\","
                 "\"record\"}],\"next_cursor\"} (as GET /api/v1/audit/access)");
  list->callback([args, exit_code] { *exit_code = RunList(*args); });
}

}  // namespace custos::cli
