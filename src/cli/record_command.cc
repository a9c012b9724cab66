// SPDX-License-Identifier: Apache-2.0
// `custos record show RECORD_ID [--canonical]`: one archive record (docs/formats/records.md).
// With --canonical, its exact canonical bytes and nothing else (no trailing newline), so that
// `(printf '\x00'; custos record show ID --canonical) | sha256sum` is its leaf hash.
// `custos record history MESSAGE_ID [--json]`: a message and every later version of it (edits,
// deletions, reactions), oldest first, with source, time and actor.
// `custos record evidence MESSAGE_ID [--out DIR|FILE.json]`: the message's evidence bundle
// (archive/evidence.h; layout in docs/archive.md): JSON on standard output or in FILE.json, or
// a directory of files `custos log verify-inclusion` takes as they are.
// All open the data directory read-only.
#include <cerrno>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <memory>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "archive/evidence.h"
#include "cli/commands.h"
#include "cli/common.h"
#include "cli/exit_codes.h"
#include "core/fs.h"
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
  std::string out;
  std::string purpose;
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
  // A message or verdict record is message content: its read is recorded in the access audit,
  // for which the data directory is opened again, as its writer.
  const Json parsed = Json::parse(*bytes, nullptr, /*allow_exceptions=*/false);
  const std::string kind = parsed.is_object() ? parsed.value("kind", "") : "";
  if ((kind == "message" || kind == "verdict") && parsed.contains("body") &&
      parsed["body"].is_object() && parsed["body"].contains("message_id") &&
      parsed["body"]["message_id"].is_number_integer()) {
    const std::int64_t message_id = parsed["body"]["message_id"].get<std::int64_t>();
    custos->reset();
    auto writer = OpenForContentRead(args.data_dir);
    if (!writer.has_value()) {
      return Fail("record show", writer.error());
    }
    if (core::Status s = (*writer)->access().RecordReadIds(
            CliAccess(args.purpose), "record", {{message_id, args.id}}, {}, std::nullopt);
        !s.ok()) {
      return Fail("record show", s);
    }
  }
  if (args.canonical) {
    const core::Status written = WriteStdout(*bytes);
    return written.ok() ? kExitOk : Fail("record show", written);
  }
  const Json record = Json::parse(*bytes, nullptr, /*allow_exceptions=*/false);
  if (record.is_object() && record.value("kind", "") == "message" && record.contains("body") &&
      record["body"].is_object() && record["body"].contains("message_id")) {
    // Record ids and message ids differ: say which message this is, and where its evidence is.
    std::fprintf(stderr,
                 "custos: record %lld is the record of message %s (`custos record evidence %s` "
                 "for its evidence bundle)\n",
                 static_cast<long long>(args.id), record["body"]["message_id"].dump().c_str(),
                 record["body"]["message_id"].dump().c_str());
  }
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
  auto custos = OpenForContentRead(args.data_dir);
  if (!custos.has_value()) {
    return Fail("record history", custos.error());
  }
  auto history = (*custos)->store().History(args.id);
  if (!history.has_value()) {
    return Fail("record history", history.error());
  }
  if (core::Status s = (*custos)->access().RecordRead(CliAccess(args.purpose), "history", *history);
      !s.ok()) {
    return Fail("record history", s);
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
    std::printf("%s  %-8s  #%-6lld  record %-6lld  %s  %s  %s\n",
                core::FormatRfc3339(m.sent_at).c_str(),
                std::string(model::EventKindName(m.kind)).c_str(), static_cast<long long>(m.id),
                static_cast<long long>(m.record_id), source.c_str(), m.from.c_str(),
                OneLine(m.text).c_str());
  }
  return kExitOk;
}

namespace fs = std::filesystem;

core::Status WriteFileExact(const fs::path& path, std::string_view bytes) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
  out.close();
  if (!out) {
    return core::Unavailable("cannot write " + path.string() + ": " + std::strerror(errno));
  }
  return core::Status::Ok();
}

std::string Quote(const fs::path& p) { return "'" + p.string() + "'"; }

// The files of the bundle in `dir` (docs/archive.md, "Evidence bundles").
core::Status WriteBundleFiles(const archive::EvidenceBundle& bundle, const std::string& json,
                              const fs::path& dir, const fs::path& shown) {
  RETURN_IF_ERROR(WriteFileExact(dir / "bundle.json", json + "\n"));
  RETURN_IF_ERROR(WriteFileExact(dir / "checkpoint", bundle.checkpoint));
  RETURN_IF_ERROR(WriteFileExact(dir / "public-key", bundle.verifier_key + "\n"));
  std::string verify =
      "# Check each record of this bundle against the signed checkpoint, without the archive.\n"
      "# Compare public-key with a copy of the log's key you trust (`custos log public-key`).\n";
  for (const archive::EvidenceItem& item : bundle.items) {
    const std::string proof = item.role + ".proof.json";
    RETURN_IF_ERROR(WriteFileExact(dir / proof, archive::InclusionJson(item.inclusion) + "\n"));
    std::string what;
    if (item.canonical) {
      const std::string record = item.role + ".record";
      RETURN_IF_ERROR(WriteFileExact(dir / record, *item.canonical));
      what = "--record " + Quote(shown / record);
    } else {
      const std::string leaf = item.role + ".leaf-hash";
      RETURN_IF_ERROR(
          WriteFileExact(dir / leaf, archive::HashHex(item.inclusion.leaf_hash) + "\n"));
      what = "--leaf-hash " + archive::HashHex(item.inclusion.leaf_hash);
    }
    verify += "custos log verify-inclusion --public-key " + Quote(shown / "public-key") +
              " --checkpoint " + Quote(shown / "checkpoint") + " " + what + " --proof-json " +
              Quote(shown / proof) + "\n";
  }
  return WriteFileExact(dir / "VERIFY", verify);
}

// Writes the bundle as a directory `out`: built beside it, then renamed into place, so a
// failure leaves nothing half-written. `out` must not exist or be an empty directory.
core::Status WriteBundleDir(const archive::EvidenceBundle& bundle, const std::string& json,
                            const fs::path& out) {
  std::error_code ec;
  if (fs::exists(out, ec) && !(fs::is_directory(out, ec) && fs::is_empty(out, ec))) {
    return core::AlreadyExists(out.string() +
                               " exists and is not an empty directory; give a new directory or "
                               "a FILE.json");
  }
  const fs::path parent = out.has_parent_path() ? out.parent_path() : fs::path(".");
  const fs::path staging = parent / ("." + out.filename().string() + ".partial");
  fs::remove_all(staging, ec);
  if (!fs::create_directories(staging, ec) || ec) {
    return core::Unavailable("cannot create " + staging.string() + ": " + ec.message());
  }
  core::Status written = WriteBundleFiles(bundle, json, staging, out);
  if (written.ok()) {
    fs::rename(staging, out, ec);
    if (ec) {
      written = core::Unavailable("cannot rename " + staging.string() + " to " + out.string() +
                                  ": " + ec.message());
    }
  }
  if (!written.ok()) {
    fs::remove_all(staging, ec);
  }
  return written;
}

int RunEvidence(const RecordArgs& args) {
  constexpr const char* kWhat = "record evidence";
  auto custos = OpenForContentRead(args.data_dir);
  if (!custos.has_value()) {
    return Fail(kWhat, custos.error());
  }
  auto bundle = (*custos)->log().Evidence(args.id);
  if (!bundle.has_value()) {
    return Fail(kWhat, bundle.error());
  }
  std::vector<std::pair<std::int64_t, std::int64_t>> read;
  for (const archive::EvidenceItem& item : bundle->items) {
    if (item.canonical) {
      read.emplace_back(args.id, item.inclusion.record_id);
    }
  }
  if (core::Status s = (*custos)->access().RecordReadIds(CliAccess(args.purpose), "evidence", read,
                                                         {}, std::nullopt);
      !s.ok()) {
    return Fail(kWhat, s);
  }
  const std::string json = archive::EvidenceJson(*bundle);
  if (args.out.empty() || args.out == "-") {
    std::printf("%s\n", json.c_str());
    return kExitOk;
  }
  const fs::path out(args.out);
  std::error_code ec;
  core::Status written;
  if (out.extension() == ".json" || fs::is_regular_file(out, ec)) {
    written = core::LocalFileSystem().WriteFileAtomic(out.string(), json + "\n", {.mode = 0644});
  } else {
    written = WriteBundleDir(*bundle, json, out);
  }
  if (!written.ok()) {
    return Fail(kWhat, written);
  }
  std::fprintf(stderr, "custos: evidence of message %lld (record %lld) written to %s\n",
               static_cast<long long>(args.id),
               static_cast<long long>(bundle->items.front().inclusion.record_id), args.out.c_str());
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
  show->add_option("record_id", args->id, "The record id")
      ->required()
      ->check(IntegerArgument("record id"));
  show->add_flag("--canonical", args->canonical,
                 "Print the exact canonical bytes, no trailing newline: SHA-256(0x00 || bytes) "
                 "is the record's leaf hash");
  AddDataOption(show, &args->data_dir);
  AddPurposeOption(show, &args->purpose);
  show->callback([args, exit_code] { *exit_code = RunShow(*args); });

  CLI::App* history = record->add_subcommand(
      "history",
      "Show a message and every later version of it (edits, deletions, reactions), oldest first");
  history->add_option("message_id", args->id, "The message id (or the id of an event about it)")
      ->required()
      ->check(IntegerArgument("message id"));
  history->add_flag("--json", args->json,
                    "Print {\"message_id\",\"items\":[message...]} (as GET "
                    "/api/v1/messages/{id}/history)");
  AddDataOption(history, &args->data_dir);
  AddPurposeOption(history, &args->purpose);
  history->callback([args, exit_code] { *exit_code = RunHistory(*args); });

  CLI::App* evidence = record->add_subcommand(
      "evidence",
      "Write a message's evidence bundle: its canonical record, its verdict's record, their "
      "inclusion proofs, the signed checkpoint and the log's public key (docs/archive.md)");
  evidence->add_option("message_id", args->id, "The message id (not the record id)")
      ->required()
      ->check(CLI::PositiveNumber);
  evidence
      ->add_option("--out", args->out,
                   "A new directory of files for `custos log verify-inclusion` (see its VERIFY "
                   "file), or FILE.json for the bundle as one JSON document; default: the JSON "
                   "on standard output")
      ->type_name("DIR|FILE");
  AddDataOption(evidence, &args->data_dir);
  AddPurposeOption(evidence, &args->purpose);
  evidence->callback([args, exit_code] { *exit_code = RunEvidence(*args); });
}

}  // namespace custos::cli
