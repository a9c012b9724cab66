// SPDX-License-Identifier: Apache-2.0
// Helpers shared by the subcommands: the --data option, opening the data directory, reading
// input files, writing exact bytes, and reporting an error with its exit code. Internal to the cli
// module.
#pragma once

#include <cstdint>
#include <limits>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include <CLI/CLI.hpp>

#include "app/custos.h"
#include "core/status.h"

namespace custos::cli {

inline constexpr const char* kDefaultDataDir = "./custos-data";

// Adds `--data DIR` (default ./custos-data) to `cmd`.
void AddDataOption(CLI::App* cmd, std::string* data_dir);

// Opens the data directory; read-only opens fail with kNotFound when it does not exist.
core::Result<std::unique_ptr<app::Custos>> OpenData(const std::string& data_dir, bool read_only);

// Opens the data directory as its writer for a read of message content, which the access audit
// records (docs/access.md): kNotFound when it does not exist (it is not created); kUnavailable
// naming the holder, and saying to read through the API, while a server (or another writer) has
// it open.
core::Result<std::unique_ptr<app::Custos>> OpenForContentRead(const std::string& data_dir);

// Who reads from the command line: actor "cli:<user>" (the login name of the effective user),
// client "cli", and the stated `purpose`.
app::AccessContext CliAccess(const std::string& purpose);

// Adds `--purpose TEXT` (the purpose or matter of a read of content, recorded in the audit).
void AddPurposeOption(CLI::App* cmd, std::string* purpose);

// Prints "custos: <what>: <message>" to stderr and returns the exit code for `status`.
int Fail(std::string_view what, const core::Status& status);

// Prints "custos: <what>: <message>" to stderr ("custos: <what>: FAILED: <message>" when what
// was checked does not hold) and returns VerifyExitCodeFor(status).
int FailVerification(std::string_view what, const core::Status& status);

// The contents of `path` byte for byte ("-": standard input). kNotFound when there is no such
// file; kUnavailable when it cannot be read.
core::Result<std::string> ReadInput(const std::string& path);

// A verifier key given on the command line directly or as the path of a file holding it:
// the bare key (`custos log public-key > key`, or GET /api/v1/log/public-key with Accept:
// text/plain), or the JSON answer of GET /api/v1/log/public-key ({"origin","verifier_key"}),
// trimmed. Errors of ReadInput; kInvalidArgument naming the file for JSON without a
// "verifier_key" string.
core::Result<std::string> KeyArgument(const std::string& key_or_file);

// A check for an integer argument, to use instead of CLI::PositiveNumber or CLI::Range (whose
// messages print a bound of 309 digits): `->check(IntegerArgument("record id"))`. A value
// that is not an integer from `min` to `max` is refused with a human message, e.g. "record id
// must be a positive integer, got 'abc'" or "--tree-size must be an integer from 1 to 1000,
// got '0'" (exit kExitUsage, like every usage error).
CLI::Validator IntegerArgument(std::string what, std::int64_t min = 1,
                               std::int64_t max = std::numeric_limits<std::int64_t>::max());
// A signed checkpoint note from `path` ("-": standard input): the note itself (`custos log
// checkpoint`, or GET /api/v1/log/checkpoint with Accept: text/plain), or the JSON answer of
// GET /api/v1/log/checkpoint ({"tree_size","root_hash","created_at","checkpoint"}), whose
// "checkpoint" member is the note (its tree_size must agree with the note's). Errors of
// ReadInput; kInvalidArgument naming the file for JSON that carries no note.
core::Result<std::string> CheckpointInput(const std::string& path);

// Writes `bytes` to standard output exactly and flushes; kUnavailable when that fails.
core::Status WriteStdout(std::string_view bytes);

// The actor of a change made with the CLI: "cli:<unix user>" ("cli:uid <n>" when the user has
// no name), recorded in access_change records (app/access_records.h).
std::string CliActor();

// Warns on stderr, for `what`, about each of `groups` (items may be comma lists) that no person of
// DIR's identity directory is in: a content scope of such a group shows nothing until someone
// is (app/content_scope.h), which is most often a typo. Names the groups the directory has.
// Silent when the directory cannot be read (the command's own error says why).
void WarnEmptyScopeGroups(std::string_view what, const std::string& data_dir,
                          const std::vector<std::string>& groups);

// A secret from a file: its contents without one trailing "\n" or "\r\n". Errors of ReadInput.
core::Result<std::string> ReadSecretFile(const std::string& path);

}  // namespace custos::cli
