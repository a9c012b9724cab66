// SPDX-License-Identifier: Apache-2.0
// `custos record show RECORD_ID [--canonical]`: one archive record (docs/formats/records.md).
// With --canonical, its exact canonical bytes and nothing else (no trailing newline), so that
// `(printf '\x00'; custos record show ID --canonical) | sha256sum` is its leaf hash.
// `custos record history MESSAGE_ID [--json]`: a message and every later version of it (edits,
// deletions, reactions), oldest first, with source, time and actor.
// Both open the data directory read-only.
#include <cstdint>
#include <cstdio>
#include <memory>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "cli/commands.h"
#include "cli/common.h"
#include "cli/exit_codes.h"
#include "core/text.h"
#include "core/time.h"
#include "http/resource_json.h"

namespace custos::cli {
namespace {

using Json = nlohmann::ordered_json;

constexpr std::size_t kTextColumnBytes = 60;

struct RecordArgs {
  std::string data_dir;
  std::int64_t id = 0;
  bool canonical = false;
  bool json = false;
};

int RunShow(const RecordArgs& args) {
  auto custos = OpenData(args.data_dir, /*read_only=*/true);
  if (!custos.has_value()) {
    return Fail("record show", custos.error());
  }
  auto bytes = (*custos)->log().RecordCanonical(args.id);
  if (!bytes.has_value()) {
    return Fail("record show", bytes.error());
  }
  if (args.canonical) {
    const core::Status written = WriteStdout(*bytes);
    return written.ok() ? kExitOk : Fail("record show", written);
  }
  const Json record = Json::parse(*bytes, nullptr, /*allow_exceptions=*/false);
  const std::string shown =
      record.is_discarded() ? *bytes : record.dump(2, ' ', false, Json::error_handler_t::replace);
  std::printf("%s\n", shown.c_str());
  return kExitOk;
}

std::string OneLine(std::string_view text) {
  std::string out(core::TruncateUtf8(text, kTextColumnBytes));
  if (out.size() < text.size()) {
    out += "…";
  }
  for (char& c : out) {
    if (c == '\n' || c == '\r' || c == '\t') {
      c = ' ';
    }
  }
  return out;
}

int RunHistory(const RecordArgs& args) {
  auto custos = OpenData(args.data_dir, /*read_only=*/true);
  if (!custos.has_value()) {
    return Fail("record history", custos.error());
  }
  auto history = (*custos)->store().History(args.id);
  if (!history.has_value()) {
    return Fail("record history", history.error());
  }
  if (args.json) {
    Json body = http::HistoryJson(args.id, *history);
    if (const core::Status s = http::AttachVerdicts(**custos, body["items"]); !s.ok()) {
      return Fail("record history", s);
    }
    const std::string out = body.dump(-1, ' ', false, Json::error_handler_t::replace);
    std::printf("%s\n", out.c_str());
    return kExitOk;
  }
  for (const model::Message& m : *history) {
    const std::string source = m.source + (m.source_id.empty() ? "" : ":" + m.source_id);
    std::printf("%s  %-8s  #%-6lld  %s  %s  %s\n", core::FormatRfc3339(m.sent_at).c_str(),
                std::string(model::EventKindName(m.kind)).c_str(), static_cast<long long>(m.id),
                source.c_str(), m.from.c_str(), OneLine(m.text).c_str());
  }
  return kExitOk;
}

}  // namespace

void RegisterRecordCommand(CLI::App& root, int* exit_code) {
  CLI::App* record =
      root.add_subcommand("record", "Archive records: canonical bytes and message versions");
  record->require_subcommand(1);
  auto args = std::make_shared<RecordArgs>();

  CLI::App* show = record->add_subcommand(
      "show", "Print a record (docs/formats/records.md), pretty-printed or byte-exact");
  show->add_option("record_id", args->id, "The record id")->required()->check(CLI::PositiveNumber);
  show->add_flag("--canonical", args->canonical,
                 "Print the exact canonical bytes, no trailing newline: SHA-256(0x00 || bytes) "
                 "is the record's leaf hash");
  AddDataOption(show, &args->data_dir);
  show->callback([args, exit_code] { *exit_code = RunShow(*args); });

  CLI::App* history = record->add_subcommand(
      "history",
      "Show a message and every later version of it (edits, deletions, reactions), oldest first");
  history->add_option("message_id", args->id, "The message id (or the id of an event about it)")
      ->required()
      ->check(CLI::PositiveNumber);
  history->add_flag("--json", args->json,
                    "Print {\"message_id\",\"items\":[message...]} (as GET "
                    "/api/v1/messages/{id}/history)");
  AddDataOption(history, &args->data_dir);
  history->callback([args, exit_code] { *exit_code = RunHistory(*args); });
}

}  // namespace custos::cli
