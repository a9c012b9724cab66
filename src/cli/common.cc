// SPDX-License-Identifier: Apache-2.0
#include "cli/common.h"

#include <cerrno>
#include <charconv>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <optional>
#include <set>
#include <system_error>
#include <vector>

#include <nlohmann/json.hpp>
#include <pwd.h>
#include <unistd.h>

#include "app/access_records.h"
#include "cli/exit_codes.h"
#include "config/config.h"
#include "core/text.h"
#include "directory/directory.h"

namespace custos::cli {

void AddDataOption(CLI::App* cmd, std::string* data_dir) {
  *data_dir = kDefaultDataDir;
  cmd->add_option("--data", *data_dir, "Data directory")->type_name("DIR")->capture_default_str();
}

core::Result<std::unique_ptr<app::Custos>> OpenData(const std::string& data_dir, bool read_only) {
  app::OpenOptions options;
  options.data_dir = data_dir;
  options.read_only = read_only;
  return app::Custos::Open(options);
}

core::Result<std::unique_ptr<app::Custos>> OpenForContentRead(const std::string& data_dir) {
  // A read never creates a data directory (as a read-only open would not).
  std::error_code ec;
  if (!std::filesystem::exists(data_dir + "/custos.db", ec)) {
    return core::NotFound("no custos data directory at " + data_dir);
  }
  auto custos = OpenData(data_dir, /*read_only=*/false);
  if (!custos.has_value() && custos.error().code() == core::StatusCode::kUnavailable) {
    core::Status s = custos.error();
    s.WithContext(
        "a read of message content is recorded in the access audit, which only the writer of "
        "the data directory can append to; while the server runs, read through the API "
        "(GET /api/v1/search, /api/v1/messages/{id}), or stop it");
    return s;
  }
  return custos;
}

app::AccessContext CliAccess(const std::string& purpose) {
  app::AccessContext who;
  // The login name from the environment (USER, else LOGNAME), else the numeric user id.
  const config::EnvLookup env = config::ProcessEnvironment();
  std::string user(core::TrimAscii(env("USER").value_or("")));
  if (user.empty()) {
    user = std::string(core::TrimAscii(env("LOGNAME").value_or("")));
  }
  if (user.empty()) {
    user = "uid" + std::to_string(::geteuid());
  }
  who.actor = "cli:" + user;
  who.client = "cli";
  who.purpose = std::string(core::TrimAscii(purpose));
  return who;
}

void AddPurposeOption(CLI::App* cmd, std::string* purpose) {
  cmd->add_option("--purpose", *purpose,
                  "The purpose or matter of this read of message content, recorded in the "
                  "access audit")
      ->type_name("TEXT")
      ->check([](const std::string& v) {
        return v.size() > app::kMaxPurposeBytes || !core::IsValidUtf8(v)
                   ? std::string("--purpose: at most 500 bytes of UTF-8")
                   : std::string();
      });
}

int Fail(std::string_view what, const core::Status& status) {
  std::fprintf(stderr, "custos: %.*s: %s\n", static_cast<int>(what.size()), what.data(),
               status.message().c_str());
  return ExitCodeFor(status);
}

int FailVerification(std::string_view what, const core::Status& status) {
  const int code = VerifyExitCodeFor(status);
  std::fprintf(stderr, "custos: %.*s: %s%s\n", static_cast<int>(what.size()), what.data(),
               code == kExitIntegrity ? "FAILED: " : "", status.message().c_str());
  return code;
}

core::Result<std::string> ReadInput(const std::string& path) {
  const bool from_stdin = path == "-";
  std::FILE* in = from_stdin ? stdin : std::fopen(path.c_str(), "rb");
  if (in == nullptr) {
    const std::string why = std::error_code(errno, std::generic_category()).message();
    if (errno == ENOENT) {
      return core::NotFound("no such file: " + path);
    }
    return core::Unavailable("cannot open " + path + ": " + why);
  }
  std::string out;
  char buf[1 << 16];
  std::size_t n = 0;
  while ((n = std::fread(buf, 1, sizeof buf, in)) > 0) {
    out.append(buf, n);
  }
  const bool failed = std::ferror(in) != 0;
  if (!from_stdin) {
    std::fclose(in);
  }
  if (failed) {
    return core::Unavailable("cannot read " + path);
  }
  return out;
}

namespace {

// The JSON object in `text` when it looks like one (a REST answer), else nullopt.
core::Result<std::optional<nlohmann::json>> JsonAnswer(std::string_view text,
                                                       const std::string& path) {
  const std::string_view trimmed = core::TrimAscii(text);
  if (trimmed.empty() || trimmed.front() != '{') {
    return std::optional<nlohmann::json>();
  }
  nlohmann::json j = nlohmann::json::parse(trimmed, nullptr, /*allow_exceptions=*/false);
  if (!j.is_object()) {
    return core::InvalidArgument(path + ": starts with '{' but is not a JSON object");
  }
  return std::optional<nlohmann::json>(std::move(j));
}

// The string member `name` of a REST answer read from `path`.
core::Result<std::string> AnswerMember(const nlohmann::json& j, const char* name,
                                       const std::string& path, std::string_view what) {
  const auto it = j.find(name);
  if (it == j.end() || !it->is_string()) {
    return core::InvalidArgument(path + ": a JSON document without a \"" + name +
                                 "\" string; expected " + std::string(what));
  }
  return it->get<std::string>();
}

}  // namespace

core::Result<std::string> KeyArgument(const std::string& key_or_file) {
  std::error_code ec;
  if (!std::filesystem::is_regular_file(key_or_file, ec)) {
    return std::string(core::TrimAscii(key_or_file));
  }
  ASSIGN_OR_RETURN(std::string contents, ReadInput(key_or_file));
  ASSIGN_OR_RETURN(std::optional<nlohmann::json> answer, JsonAnswer(contents, key_or_file));
  if (answer) {
    ASSIGN_OR_RETURN(std::string key,
                     AnswerMember(*answer, "verifier_key", key_or_file,
                                  "a verifier key or the answer of GET /api/v1/log/public-key"));
    return std::string(core::TrimAscii(key));
  }
  return std::string(core::TrimAscii(contents));
}

CLI::Validator IntegerArgument(std::string what, std::int64_t min, std::int64_t max) {
  const std::string expected =
      min == 1 && max == std::numeric_limits<std::int64_t>::max() ? "a positive integer"
      : min == 0 && max == std::numeric_limits<std::int64_t>::max()
          ? "an integer of 0 or more"
          : "an integer from " + std::to_string(min) + " to " + std::to_string(max);
  return CLI::Validator(
      [what = std::move(what), expected, min, max](std::string& value) -> std::string {
        std::int64_t n = 0;
        const char* begin = value.data();
        const char* end = value.data() + value.size();
        const auto [at, ec] = std::from_chars(begin, end, n);
        if (value.empty() || ec != std::errc() || at != end || n < min || n > max) {
          std::string shown(core::TruncateUtf8(value, 40));
          if (shown.size() < value.size()) {
            shown += "...";
          }
          return what + " must be " + expected + ", got '" + shown + "'";
        }
        return std::string();
      },
      "", "INTEGER");
}

core::Result<std::string> CheckpointInput(const std::string& path) {
  ASSIGN_OR_RETURN(std::string contents, ReadInput(path));
  ASSIGN_OR_RETURN(std::optional<nlohmann::json> answer, JsonAnswer(contents, path));
  if (!answer) {
    return contents;
  }
  ASSIGN_OR_RETURN(std::string note, AnswerMember(*answer, "checkpoint", path,
                                                  "a signed checkpoint note or the answer of GET "
                                                  "/api/v1/log/checkpoint"));
  const auto size = answer->find("tree_size");
  if (size != answer->end()) {
    const std::size_t first = note.find('\n');
    const std::string line = first == std::string::npos
                                 ? ""
                                 : note.substr(first + 1, note.find('\n', first + 1) - first - 1);
    if (!size->is_number_unsigned() || line != std::to_string(size->get<std::uint64_t>())) {
      return core::InvalidArgument(path + ": its \"tree_size\" " + size->dump() +
                                   " is not the tree size of its signed checkpoint");
    }
  }
  return note;
}

core::Status WriteStdout(std::string_view bytes) {
  if (std::fwrite(bytes.data(), 1, bytes.size(), stdout) != bytes.size() ||
      std::fflush(stdout) != 0) {
    return core::Unavailable(std::string("cannot write to standard output: ") +
                             std::error_code(errno, std::generic_category()).message());
  }
  return core::Status::Ok();
}

std::string CliActor() {
  const uid_t uid = ::geteuid();

  struct passwd pw {};
  struct passwd* found = nullptr;
  std::vector<char> buf(16384);
  if (::getpwuid_r(uid, &pw, buf.data(), buf.size(), &found) == 0 && found != nullptr &&
      found->pw_name != nullptr && found->pw_name[0] != '\0') {
    return std::string("cli:") + found->pw_name;
  }
  return "cli:uid " + std::to_string(uid);
}

void WarnEmptyScopeGroups(std::string_view what, const std::string& data_dir,
                          const std::vector<std::string>& groups) {
  std::vector<std::string> wanted;
  for (const std::string& item : groups) {
    for (std::string_view g : core::Split(item, ',')) {
      if (!core::TrimAscii(g).empty()) {
        wanted.push_back(core::ToLowerAscii(core::TrimAscii(g)));
      }
    }
  }
  if (wanted.empty()) {
    return;
  }
  auto store = app::OpenAccessStore(data_dir);
  if (!store.has_value()) {
    return;
  }
  const core::SystemClock clock;
  directory::Directory dir(store->db.get(), store->keys.get(), &clock);
  auto people = dir.People();
  if (!people.has_value()) {
    return;
  }
  std::set<std::string> known;
  for (const directory::KnownPerson& p : *people) {
    if (p.employee && !p.group.empty()) {
      known.insert(core::ToLowerAscii(core::TrimAscii(p.group)));
    }
  }
  std::string names;
  for (const std::string& k : known) {
    names += (names.empty() ? "" : ", ") + k;
  }
  for (const std::string& g : wanted) {
    if (known.count(g) == 0) {
      std::fprintf(stderr,
                   "custos: %.*s: warning: no employee of the directory is in group '%s', so this "
                   "scope shows no content until someone is (groups in the directory: %s)\n",
                   static_cast<int>(what.size()), what.data(), g.c_str(),
                   names.empty() ? "none; see custos directory import" : names.c_str());
    }
  }
}

core::Result<std::string> ReadSecretFile(const std::string& path) {
  ASSIGN_OR_RETURN(std::string text, ReadInput(path));
  if (!text.empty() && text.back() == '\n') {
    text.pop_back();
    if (!text.empty() && text.back() == '\r') {
      text.pop_back();
    }
  }
  return text;
}

}  // namespace custos::cli
