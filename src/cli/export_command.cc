// SPDX-License-Identifier: Apache-2.0
// `custos export jsonl [--query Q] [FILE]`: streams stored messages and events oldest first in
// the canonical format. A FILE is written as FILE.tmp, synced and renamed, so it is never
// seen half-written; on any error (e.g. a conversation: that is not in the archive) no FILE
// is left behind and the exit code is non-zero.
#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <memory>
#include <string>
#include <vector>

#include <unistd.h>

#include "capture/jsonl.h"
#include "cli/commands.h"
#include "cli/common.h"
#include "cli/exit_codes.h"
#include "core/text.h"
#include "search/query.h"

namespace custos::cli {
namespace {

constexpr int kSearchPage = 500;

struct ExportArgs {
  std::string data_dir;
  std::string query;
  std::string file;  // "" or "-": stdout
};

core::Status WriteLine(std::FILE* out, const model::Message& m) {
  const std::string line = capture::EncodeMessage(m) + "\n";
  if (std::fwrite(line.data(), 1, line.size(), out) != line.size()) {
    return core::Unavailable(std::string("write failed: ") + std::strerror(errno));
  }
  return core::Status::Ok();
}

// Full-text or from: queries go through the search index: collect the matching ids (newest
// first), then write them oldest first.
core::Status ExportSearch(app::Custos& custos, const std::string& query, std::FILE* out,
                          std::int64_t* count) {
  std::vector<std::int64_t> ids;
  std::optional<std::string> cursor;
  do {
    ASSIGN_OR_RETURN(app::SearchResults page, custos.Search(query, cursor, kSearchPage));
    for (const app::SearchResult& r : page.results) {
      ids.push_back(r.message.id);
    }
    cursor = page.next_cursor;
  } while (cursor);
  std::reverse(ids.begin(), ids.end());
  for (std::size_t at = 0; at < ids.size(); at += kSearchPage) {
    const std::vector<std::int64_t> batch(
        ids.begin() + static_cast<std::ptrdiff_t>(at),
        ids.begin() + static_cast<std::ptrdiff_t>(std::min(ids.size(), at + kSearchPage)));
    ASSIGN_OR_RETURN(std::vector<model::Message> messages, custos.store().GetMany(batch));
    for (const model::Message& m : messages) {
      RETURN_IF_ERROR(WriteLine(out, m));
      ++*count;
    }
  }
  return core::Status::Ok();
}

core::Status ExportAll(app::Custos& custos, const std::string& query_text, std::FILE* out,
                       std::int64_t* count) {
  ASSIGN_OR_RETURN(search::Query query, search::ParseQuery(query_text));
  // A typo must not pass for "nothing to export": every conversation the query names, wherever
  // in it (with words, under OR or NOT), must exist; no file is left behind.
  for (const std::string& c : query.Values(search::Term::Kind::kConversation)) {
    ASSIGN_OR_RETURN(std::optional<std::int64_t> id, custos.store().ResolveConversation(c));
    if (!id) {
      return core::NotFound("no conversation \"" + std::string(core::TruncateUtf8(c, 200)) +
                            "\" in the archive");
    }
  }
  if (!query.OnlySimpleFilters()) {
    return ExportSearch(custos, query_text, out, count);
  }
  archive::ExportFilter filter;
  if (query.conversation) {
    ASSIGN_OR_RETURN(filter.conversation_id,
                     custos.store().ResolveConversation(*query.conversation));
    if (!filter.conversation_id) {
      // A typo must not pass for "nothing to export": no file is left behind.
      return core::NotFound("no conversation \"" +
                            std::string(core::TruncateUtf8(*query.conversation, 200)) +
                            "\" in the archive");
    }
  }
  if (query.HasText() || query.from) {
    return ExportSearch(custos, query_text, out, count);
  }
  if (query.channel) {
    filter.channel = core::ToLowerAscii(*query.channel);
  }
  filter.after = query.after;
  filter.before = query.before;
  core::Status write_status;
  RETURN_IF_ERROR(custos.store().ExportEach(filter, [&](const model::Message& m) {
    write_status = WriteLine(out, m);
    ++*count;
    return write_status.ok();
  }));
  return write_status;
}

// Closes `out`, syncing it first when `sync`.
core::Status Finish(std::FILE* out, bool sync) {
  bool ok = std::fflush(out) == 0;
  if (ok && sync) {
    ok = ::fsync(::fileno(out)) == 0;
  }
  const bool closed = out == stdout || std::fclose(out) == 0;
  if (!ok || !closed) {
    return core::Unavailable(std::string("write failed: ") + std::strerror(errno));
  }
  return core::Status::Ok();
}

int RunExport(const ExportArgs& args) {
  auto custos = OpenData(args.data_dir, /*read_only=*/true);
  if (!custos.has_value()) {
    return Fail("export", custos.error());
  }
  const bool to_stdout = args.file.empty() || args.file == "-";
  const std::string tmp = args.file + ".tmp";
  std::FILE* out = stdout;
  if (!to_stdout) {
    out = std::fopen(tmp.c_str(), "wb");
    if (out == nullptr) {
      return Fail("export",
                  core::Unavailable("cannot create " + tmp + ": " + std::strerror(errno)));
    }
  }
  std::int64_t count = 0;
  core::Status status = ExportAll(**custos, args.query, out, &count);
  const core::Status finished = Finish(out, !to_stdout);
  if (status.ok()) {
    status = finished;
  }
  if (!to_stdout) {
    if (status.ok() && std::rename(tmp.c_str(), args.file.c_str()) != 0) {
      status = core::Unavailable("cannot rename " + tmp + " to " + args.file + ": " +
                                 std::strerror(errno));
    }
    if (!status.ok()) {
      std::remove(tmp.c_str());
    }
  }
  if (!status.ok()) {
    return Fail("export", status);
  }
  if (!to_stdout) {
    std::fprintf(stderr, "custos: exported %lld records to %s\n", static_cast<long long>(count),
                 args.file.c_str());
  }
  return kExitOk;
}

}  // namespace

void RegisterExportCommand(CLI::App& root, int* exit_code) {
  CLI::App* exp = root.add_subcommand("export", "Export stored messages");
  exp->require_subcommand(1);
  auto args = std::make_shared<ExportArgs>();
  CLI::App* jsonl =
      exp->add_subcommand("jsonl",
                          "Export messages and events oldest first as canonical JSON Lines "
                          "(docs/formats/message-jsonl.md)");
  jsonl->add_option("file", args->file, "Output file (default: stdout); written atomically");
  AddDataOption(jsonl, &args->data_dir);
  jsonl
      ->add_option("--query", args->query,
                   "Only what matches this search query, e.g. 'channel:sms after:2026-10-01'")
      ->type_name("Q");
  jsonl->callback([args, exit_code] { *exit_code = RunExport(*args); });
}

}  // namespace custos::cli
