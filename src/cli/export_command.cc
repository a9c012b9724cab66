// SPDX-License-Identifier: Apache-2.0
// `custos export jsonl [--query Q] [FILE]`: streams the stored messages and events the query
// selects (app/export_service.h) oldest first in the canonical format. A FILE is written as
// FILE.tmp, synced and renamed, so it is never seen half-written; on any error (e.g. a
// conversation: that is not in the archive) no FILE is left behind and the exit code is non-zero.
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <memory>
#include <string>

#include <unistd.h>

#include "capture/jsonl.h"
#include "cli/commands.h"
#include "cli/common.h"
#include "cli/exit_codes.h"

namespace custos::cli {
namespace {

struct ExportArgs {
  std::string data_dir;
  std::string query;
  std::string file;  // "" or "-": stdout
  std::string purpose;
};

core::Status WriteLine(std::FILE* out, const model::Message& m) {
  const std::string line = capture::EncodeMessage(m) + "\n";
  if (std::fwrite(line.data(), 1, line.size(), out) != line.size()) {
    return core::Unavailable(std::string("write failed: ") + std::strerror(errno));
  }
  return core::Status::Ok();
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
  auto custos = OpenForContentRead(args.data_dir);
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
  // Each part of the export is recorded in the access audit before it is written out.
  core::Result<std::int64_t> selected = (*custos)->access().Export(
      (*custos)->exports(), CliAccess(args.purpose), args.query, app::ContentScope(),
      [out](const model::Message& m) { return WriteLine(out, m); });
  core::Status status = selected.has_value() ? core::Status::Ok() : selected.error();
  if (selected.has_value()) {
    count = *selected;
  }
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
  AddPurposeOption(jsonl, &args->purpose);
  jsonl->callback([args, exit_code] { *exit_code = RunExport(*args); });
}

}  // namespace custos::cli
