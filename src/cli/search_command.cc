// SPDX-License-Identifier: Apache-2.0
// `custos search QUERY`: full-text search (search/query.h syntax), newest first.
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

namespace custos::cli {
namespace {

constexpr std::size_t kColumnBytes = 28;

struct SearchArgs {
  std::vector<std::string> words;
  std::string data_dir;
  bool json = false;
  int limit = 20;
  std::string cursor;
  std::string purpose;
};

std::string Column(std::string_view s) {
  std::string out(core::TruncateUtf8(s, kColumnBytes));
  if (out.size() < s.size()) {
    out += "…";
  }
  return out;
}

void PrintJson(const app::SearchResults& results) {
  nlohmann::ordered_json out;
  auto& items = out["results"] = nlohmann::ordered_json::array();
  for (const app::SearchResult& r : results.results) {
    const model::Message& m = r.message;
    nlohmann::ordered_json item;
    item["id"] = m.id;
    item["record_id"] = m.record_id;
    item["sent_at"] = core::FormatRfc3339(m.sent_at);
    item["channel"] = m.channel;
    item["conversation"] = m.conversation;
    item["from"] = m.from;
    item["direction"] = std::string(model::DirectionName(m.direction));
    item["kind"] = std::string(model::EventKindName(m.kind));
    item["snippet"] = r.snippet;
    items.push_back(std::move(item));
  }
  out["next_cursor"] = results.next_cursor ? nlohmann::ordered_json(*results.next_cursor)
                                           : nlohmann::ordered_json(nullptr);
  std::printf("%s\n",
              out.dump(-1, ' ', false, nlohmann::ordered_json::error_handler_t::replace).c_str());
}

void PrintText(const app::SearchResults& results) {
  for (const app::SearchResult& r : results.results) {
    const model::Message& m = r.message;
    const std::string when = core::FormatRfc3339(m.sent_at).substr(0, 16);  // to the minute
    std::printf("%s  #%lld (record %lld)  %-8s  %s  %s  %s\n", when.c_str(),
                static_cast<long long>(m.id), static_cast<long long>(m.record_id),
                m.channel.c_str(), Column(m.conversation).c_str(), Column(m.from).c_str(),
                r.snippet.c_str());
  }
  if (results.results.empty()) {
    std::printf("no matches\n");
  } else if (results.next_cursor) {
    std::printf("more: --cursor %s\n", results.next_cursor->c_str());
  }
}

int RunSearch(const SearchArgs& args, const std::vector<std::string>& extras) {
  std::string query;
  bool operators = false;
  for (const std::string& w : args.words) {
    query += (query.empty() ? "" : " ") + w;
    operators = operators || w == "OR" || w == "NOT" || w.find('(') != std::string::npos;
  }
  // Words starting with "-" (negations) that CLI11 did not take as the query: appended in
  // order; unknown --options are errors.
  bool after_separator = false;  // after "--" everything is query words
  for (const std::string& e : extras) {
    if (e == "--" && !after_separator) {
      after_separator = true;
      continue;
    }
    if (!after_separator && e.rfind("--", 0) == 0) {
      std::fprintf(stderr, "custos: search: unknown option \"%s\" (see custos search --help)\n",
                   e.c_str());
      return kExitUsage;
    }
    if (operators) {
      std::fprintf(stderr,
                   "custos: search: \"%s\": with OR, NOT or parentheses, give the query as one "
                   "quoted argument or after --, e.g. custos search -- 'a OR -b'\n",
                   e.c_str());
      return kExitUsage;
    }
    query += (query.empty() ? "" : " ") + e;
  }
  if (core::TrimAscii(query).empty()) {
    std::fprintf(stderr, "custos: search: a query is required (see custos search --help)\n");
    return kExitUsage;
  }
  auto custos = OpenForContentRead(args.data_dir);
  if (!custos.has_value()) {
    return Fail("search", custos.error());
  }
  std::optional<std::string> cursor;
  if (!args.cursor.empty()) {
    cursor = args.cursor;
  }
  auto results = (*custos)->search().Search(query, cursor, args.limit);
  if (!results.has_value()) {
    // A query the language does not accept is a usage error (docs/search.md).
    const int code = Fail("search", results.error());
    return results.error().code() == core::StatusCode::kInvalidArgument ? kExitUsage : code;
  }
  std::vector<model::Message> read;
  for (const app::SearchResult& r : results->results) {
    read.push_back(r.message);
  }
  if (core::Status s = (*custos)->access().RecordRead(
          CliAccess(args.purpose), "search", read, query, static_cast<std::int64_t>(read.size()));
      !s.ok()) {
    return Fail("search", s);
  }
  if (args.json) {
    PrintJson(*results);
  } else {
    PrintText(*results);
  }
  return kExitOk;
}

}  // namespace

void RegisterSearchCommand(CLI::App& root, int* exit_code) {
  auto args = std::make_shared<SearchArgs>();
  CLI::App* search = root.add_subcommand(
      "search",
      "Search the archive, newest first: words, \"phrases\", prefix*, -word, NOT, OR, (...), "
      "channel: from: to: conversation: direction: after: before: rule: flagged: action: "
      "severity: (docs/search.md)");
  search->add_option("query", args->words,
                     "The query, e.g. guarantee* channel:whatsapp -channel:sms flagged:yes");
  AddDataOption(search, &args->data_dir);
  search->add_flag("--json", args->json, "Print the results as JSON");
  AddPurposeOption(search, &args->purpose);
  search->add_option("--limit", args->limit, "Results per page")
      ->check(IntegerArgument("--limit", 1, 1000))
      ->capture_default_str();
  search->add_option("--cursor", args->cursor, "Continue after a previous page");
  // `custos search guarantee -returns`: "-returns" is a negated word, not an option.
  search->allow_extras();
  search->set_help_flag("--help", "Print this help message and exit");
  search->callback(
      [search, args, exit_code] { *exit_code = RunSearch(*args, search->remaining()); });
}

}  // namespace custos::cli
