// SPDX-License-Identifier: Apache-2.0
#include "app/policy_service.h"

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>

#include <fcntl.h>
#include <unistd.h>

#include "archive/verdicts.h"
#include "core/fs.h"
#include "core/log.h"
#include "core/text.h"
#include "devices/policy.h"

namespace custos::app {
namespace {

// The device rules of a pack (devices/*.yaml, docs/devices.md): at most one file, and it must
// parse, or the pack never replaces the running one.
core::Status CheckDeviceRules(const std::vector<std::pair<std::string, std::string>>& files) {
  std::string found;
  for (const auto& [path, content] : files) {
    if (!path.starts_with("devices/") || !(path.ends_with(".yaml") || path.ends_with(".yml"))) {
      continue;
    }
    if (!found.empty()) {
      return core::InvalidArgument("devices/: one device policy per pack; found " + found +
                                   " and " + path);
    }
    found = path;
    RETURN_IF_ERROR(devices::ParsePolicyYaml(content, path).status());
  }
  return core::Status::Ok();
}

namespace fs = std::filesystem;

constexpr std::size_t kMaxPackFiles = 10'000;

}  // namespace

core::Status InstallPackFiles(const std::string& data_dir,
                              const std::vector<std::pair<std::string, std::string>>& files,
                              const std::string& version);

std::string PrintablePath(std::string_view path) {
  std::string out;
  for (const char c : core::TruncateUtf8(path, 200)) {
    const auto u = static_cast<unsigned char>(c);
    if (u < 0x20 || u == 0x7f || c == '"' || c == '\\') {
      char buf[8];
      std::snprintf(buf, sizeof buf, "\\u%04x", u);
      out += buf;
    } else {
      out += c;
    }
  }
  return "\"" + out + (path.size() > 200 ? "...\"" : "\"");
}

core::Status CheckPackFilePath(std::string_view path) {
  const auto bad = [&](std::string_view why) {
    return core::InvalidArgument("file path " + PrintablePath(path) + " " + std::string(why));
  };
  if (path.empty()) {
    return bad("is empty");
  }
  if (path.size() > kMaxPackPathBytes) {
    return bad("is longer than " + std::to_string(kMaxPackPathBytes) + " bytes");
  }
  if (!core::IsValidUtf8(path)) {
    return bad("is not valid UTF-8");
  }
  for (const char c : path) {
    const auto u = static_cast<unsigned char>(c);
    if (u == 0) {
      return bad("contains a NUL byte");
    }
    if (u < 0x20 || u == 0x7f) {
      return bad("contains a control character");
    }
    if (c == '\\') {
      return bad("contains a backslash: separate directories with '/'");
    }
  }
  if (path.front() == '/') {
    return bad("is absolute: give a path relative to the pack");
  }
  std::size_t start = 0;
  while (start <= path.size()) {
    std::size_t end = path.find('/', start);
    if (end == std::string_view::npos) {
      end = path.size();
    }
    const std::string_view part = path.substr(start, end - start);
    if (part.empty()) {
      return bad("has an empty component ('//' or a trailing '/')");
    }
    if (part == "." || part == "..") {
      return bad("has a '" + std::string(part) + "' component: it must stay inside the pack");
    }
    if (part.front() == '.') {
      return bad("has a component starting with '.' (hidden files are not pack files)");
    }
    if (part.size() > kMaxPackPathComponentBytes) {
      return bad("has a component longer than " + std::to_string(kMaxPackPathComponentBytes) +
                 " bytes");
    }
    start = end + 1;
  }
  return core::Status::Ok();
}

std::string DefaultPackDir() {
  if (const char* env = std::getenv("CUSTOS_DEFAULT_PACK"); env != nullptr && *env != '\0') {
    return env;
  }
#ifdef CUSTOS_DEFAULT_PACK_DIR
  return CUSTOS_DEFAULT_PACK_DIR;
#else
  return "";
#endif
}

core::Result<std::unique_ptr<PolicyService>> PolicyService::Open(
    storage::Database* db, const crypto::KeyRing* keys, const core::Clock* clock,
    std::string data_dir, std::string default_pack_dir, bool read_only) {
  std::unique_ptr<PolicyService> s(
      new PolicyService(db, keys, clock, std::move(data_dir), read_only));
  const fs::path active = fs::path(s->data_dir_) / "policy" / "active";
  std::error_code ec;
  core::MutexLock lock(&s->apply_mu_);
  if (fs::exists(active, ec)) {
    ASSIGN_OR_RETURN(auto files, policy::ReadPackFiles(active));
    auto applied = s->ApplyLocked(std::move(files), active.string(), "startup", false);
    if (!applied.has_value()) {
      return core::FailedPrecondition("the active policy pack " + active.string() +
                                      " cannot be used: " + applied.error().message());
    }
    return s;
  }
  if (read_only) {
    return s;
  }
  if (default_pack_dir.empty() || !fs::is_directory(default_pack_dir, ec)) {
    CUSTOS_LOG_WARN(
        "policy: no active pack in {} and no built-in default pack{}; every message "
        "is allowed until `custos policy apply PACK`",
        s->data_dir_, default_pack_dir.empty() ? "" : " at " + default_pack_dir);
    return s;
  }
  ASSIGN_OR_RETURN(auto files, policy::ReadPackFiles(default_pack_dir));
  auto applied = s->ApplyLocked(std::move(files), "default:" + default_pack_dir, "startup", true);
  if (!applied.has_value()) {
    return core::FailedPrecondition("the built-in default policy pack " + default_pack_dir +
                                    " cannot be used: " + applied.error().message());
  }
  return s;
}

core::Result<std::optional<std::string>> PolicyService::VerdictOf(std::int64_t message_id) const {
  ASSIGN_OR_RETURN(auto tx, db_->Begin(storage::TxMode::kRead));
  return archive::ReadVerdictJson(*tx, *keys_, message_id);
}

core::Result<std::optional<std::pair<std::string, std::int64_t>>>
PolicyService::LatestRecordedVersion() const {
  ASSIGN_OR_RETURN(auto tx, db_->Begin(storage::TxMode::kRead));
  ASSIGN_OR_RETURN(auto latest, archive::LatestPolicyPack(*tx));
  if (!latest) {
    return std::optional<std::pair<std::string, std::int64_t>>();
  }
  return std::optional(std::make_pair(latest->version, latest->record_id));
}

core::Result<std::shared_ptr<const policy::Pack>> PolicyService::LatestRecordedPack() const {
  ASSIGN_OR_RETURN(auto tx, db_->Begin(storage::TxMode::kRead));
  ASSIGN_OR_RETURN(auto latest, archive::LatestPolicyPack(*tx));
  if (!latest) {
    return std::shared_ptr<const policy::Pack>();
  }
  ASSIGN_OR_RETURN(auto files, archive::ReadPolicyPackFiles(*tx, *keys_, latest->record_id));
  std::vector<std::pair<std::string, std::string>> pairs;
  for (archive::PackFileContent& f : files) {
    pairs.emplace_back(std::move(f.path), std::move(f.content));
  }
  policy::LoadResult loaded = policy::LoadPackFromFiles(pairs);
  if (!loaded.ok()) {
    return core::DataLoss("the recorded policy pack " + latest->version + " no longer loads:\n" +
                          loaded.diagnostics.ToText());
  }
  return loaded.pack;
}

core::Result<AppliedPolicy> PolicyService::ApplyDir(const fs::path& dir, std::string_view actor) {
  ASSIGN_OR_RETURN(auto files, policy::ReadPackFiles(dir));
  std::error_code ec;
  const fs::path absolute = fs::absolute(dir, ec);
  core::MutexLock lock(&apply_mu_);
  return ApplyLocked(std::move(files), ec ? dir.string() : absolute.string(), actor, true);
}

core::Result<AppliedPolicy> PolicyService::ApplyFiles(
    std::vector<std::pair<std::string, std::string>> files, std::string_view origin,
    std::string_view actor) {
  if (files.empty()) {
    return core::InvalidArgument("the policy pack has no files");
  }
  if (files.size() > kMaxPackFiles) {
    return core::InvalidArgument("the policy pack has more than " + std::to_string(kMaxPackFiles) +
                                 " files");
  }
  for (const auto& [path, content] : files) {
    RETURN_IF_ERROR(CheckPackFilePath(path));
  }
  std::sort(files.begin(), files.end());
  for (std::size_t i = 1; i < files.size(); ++i) {
    if (files[i].first == files[i - 1].first) {
      return core::InvalidArgument("file path \"" + files[i].first + "\" appears twice");
    }
  }
  core::MutexLock lock(&apply_mu_);
  return ApplyLocked(std::move(files), origin, actor, true);
}

core::Result<AppliedPolicy> PolicyService::Reload(std::string_view actor) {
  const fs::path active = fs::path(data_dir_) / "policy" / "active";
  ASSIGN_OR_RETURN(auto files, policy::ReadPackFiles(active));
  core::MutexLock lock(&apply_mu_);
  return ApplyLocked(std::move(files), active.string(), actor, false);
}

core::Result<AppliedPolicy> PolicyService::ApplyLocked(
    std::vector<std::pair<std::string, std::string>> files, std::string_view origin,
    std::string_view actor, bool install_files) {
  policy::LoadResult loaded = policy::LoadPackFromFiles(files);
  if (!loaded.ok()) {
    return core::InvalidArgument("policy pack " + std::string(origin) + " has errors:\n" +
                                 loaded.diagnostics.ToText());
  }
  if (core::Status devices = CheckDeviceRules(files); !devices.ok()) {
    return core::InvalidArgument("policy pack " + std::string(origin) + " has errors:\n" +
                                 devices.message());
  }
  AppliedPolicy out;
  out.version = loaded.version;
  out.warnings = loaded.diagnostics.WarningCount();
  std::optional<archive::AppliedPack> latest;
  {
    ASSIGN_OR_RETURN(auto tx, db_->Begin(storage::TxMode::kRead));
    ASSIGN_OR_RETURN(latest, archive::LatestPolicyPack(*tx));
  }
  const bool recorded = latest && latest->version == loaded.version;
  if (!recorded || install_files) {
    const policy::TestReport report = policy::RunPackTests(*loaded.pack);
    if (!report.ok()) {
      return core::InvalidArgument("policy pack " + std::string(origin) +
                                   " fails its own tests:\n" + report.ToText());
    }
    out.tests_passed = report.passed;
  }
  if (read_only_) {
    if (install_files) {
      return core::FailedPrecondition("the data directory is open read-only");
    }
    engine_.Install(loaded.pack);
    return out;
  }
  if (!recorded) {
    archive::PackRecord record{loaded.version, std::string(origin), std::string(actor), {}};
    for (const auto& [path, content] : files) {
      record.files.push_back({path, content});
    }
    ASSIGN_OR_RETURN(auto tx, db_->Begin(storage::TxMode::kWrite));
    ASSIGN_OR_RETURN(out.record_id, archive::AppendPolicyPack(*tx, *keys_, clock_->Now(), record));
    RETURN_IF_ERROR(tx->Commit());
  }
  if (install_files) {
    RETURN_IF_ERROR(InstallFiles(files, loaded.version));
  }
  const std::shared_ptr<const policy::Pack> running = engine_.Current();
  out.changed = running == nullptr || running->Version() != loaded.version;
  engine_.Install(loaded.pack);
  if (out.changed && (out.record_id > 0 || actor != "startup")) {
    CUSTOS_LOG_INFO("policy: pack {} in force ({}, by {})", loaded.version, origin, actor);
  }
  if (out.changed && on_change_) {
    on_change_();
  }
  return out;
}

core::Result<AcknowledgeOutcome> PolicyService::Acknowledge(std::string_view version,
                                                            std::int64_t person_id,
                                                            std::string_view person,
                                                            std::string_view actor) {
  if (version.empty()) {
    return core::InvalidArgument("version: needs the pack version to acknowledge");
  }
  if (person_id <= 0) {
    return core::InvalidArgument("person: an acknowledgement is made by a directory person");
  }
  const std::shared_ptr<const policy::Pack> running = engine_.Current();
  const std::string wanted(version);
  if (running == nullptr || running->Version() != wanted) {
    ASSIGN_OR_RETURN(auto tx, db_->Begin(storage::TxMode::kRead));
    ASSIGN_OR_RETURN(const bool known, archive::PolicyVersionRecorded(*tx, wanted));
    if (!known) {
      return core::NotFound("version: no policy pack " + PrintablePath(version) +
                            " was ever in force");
    }
    return core::FailedPrecondition("version: policy pack " + wanted + " is superseded" +
                                    (running == nullptr
                                         ? std::string(": no pack is in force")
                                         : " by " + running->Version() + ", the version in force"));
  }
  if (!running->RequiresAcknowledgement()) {
    return core::FailedPrecondition("version: policy pack " + wanted +
                                    " does not require acknowledgement");
  }
  if (read_only_) {
    return core::FailedPrecondition("the data directory is open read-only");
  }
  ASSIGN_OR_RETURN(auto tx, db_->Begin(storage::TxMode::kWrite));
  ASSIGN_OR_RETURN(auto existing, archive::FindAcknowledgement(*tx, wanted, person_id));
  if (existing) {
    return AcknowledgeOutcome{*existing, false};
  }
  ASSIGN_OR_RETURN(
      archive::Acknowledgement ack,
      archive::AppendAcknowledgement(*tx, *keys_, clock_->Now(),
                                     {wanted, person_id, std::string(person), std::string(actor)}));
  RETURN_IF_ERROR(tx->Commit());
  CUSTOS_LOG_INFO("policy: pack {} acknowledged by person {} ({})", wanted, person_id, actor);
  return AcknowledgeOutcome{std::move(ack), true};
}

core::Result<std::optional<archive::Acknowledgement>> PolicyService::AcknowledgementOf(
    std::string_view version, std::int64_t person_id) const {
  ASSIGN_OR_RETURN(auto tx, db_->Begin(storage::TxMode::kRead));
  return archive::FindAcknowledgement(*tx, std::string(version), person_id);
}

core::Result<std::vector<archive::Acknowledgement>> PolicyService::Acknowledgements(
    std::string_view version) const {
  const std::string wanted(version);
  ASSIGN_OR_RETURN(auto tx, db_->Begin(storage::TxMode::kRead));
  ASSIGN_OR_RETURN(const bool known, archive::PolicyVersionRecorded(*tx, wanted));
  if (!known) {
    return core::NotFound("version: no policy pack " + PrintablePath(version) +
                          " was ever in force");
  }
  return archive::AcknowledgementsOf(*tx, wanted);
}

core::Status PolicyService::InstallFiles(
    const std::vector<std::pair<std::string, std::string>>& files,
    const std::string& version) const {
  return InstallPackFiles(data_dir_, files, version);
}

core::Result<AppliedPolicy> PolicyService::StageDir(const std::string& data_dir,
                                                    const fs::path& dir) {
  ASSIGN_OR_RETURN(auto files, policy::ReadPackFiles(dir));
  std::error_code ec;
  const fs::path absolute = fs::absolute(dir, ec);
  const std::string origin = ec ? dir.string() : absolute.string();
  policy::LoadResult loaded = policy::LoadPackFromFiles(files);
  if (!loaded.ok()) {
    return core::InvalidArgument("policy pack " + origin + " has errors:\n" +
                                 loaded.diagnostics.ToText());
  }
  if (core::Status devices = CheckDeviceRules(files); !devices.ok()) {
    return core::InvalidArgument("policy pack " + origin + " has errors:\n" + devices.message());
  }
  const policy::TestReport report = policy::RunPackTests(*loaded.pack);
  if (!report.ok()) {
    return core::InvalidArgument("policy pack " + origin + " fails its own tests:\n" +
                                 report.ToText());
  }
  AppliedPolicy out;
  out.version = loaded.version;
  out.warnings = loaded.diagnostics.WarningCount();
  out.tests_passed = report.passed;
  RETURN_IF_ERROR(InstallPackFiles(data_dir, files, loaded.version));
  return out;
}

core::Status InstallPackFiles(const std::string& data_dir,
                              const std::vector<std::pair<std::string, std::string>>& files,
                              const std::string& version) {
  const fs::path root = fs::path(data_dir) / "policy";
  const fs::path packs = root / "packs";
  const fs::path target = packs / version;
  core::FileSystem& files_fs = core::LocalFileSystem();
  std::error_code ec;
  fs::create_directories(packs, ec);
  if (ec) {
    return core::Unavailable("cannot create " + packs.string() + ": " + ec.message());
  }
  if (!fs::is_directory(target, ec)) {
    const fs::path staging = packs / (".staging-" + version + "-" + std::to_string(::getpid()));
    fs::remove_all(staging, ec);
    for (const auto& [path, content] : files) {
      const fs::path file = staging / path;
      fs::create_directories(file.parent_path(), ec);
      if (ec) {
        return core::Unavailable("cannot create " + file.parent_path().string() + ": " +
                                 ec.message());
      }
      RETURN_IF_ERROR(files_fs.WriteFileAtomic(file.string(), content, {.mode = 0640}));
    }
    fs::create_directories(staging, ec);  // a pack without files still gets its directory
    fs::rename(staging, target, ec);
    if (ec) {
      return core::Unavailable("cannot install " + target.string() + ": " + ec.message());
    }
    RETURN_IF_ERROR(files_fs.SyncDir(packs.string()));
  }
  const fs::path link = root / ("active.tmp-" + std::to_string(::getpid()));
  fs::remove(link, ec);
  fs::create_directory_symlink(fs::path("packs") / version, link, ec);
  if (ec) {
    return core::Unavailable("cannot create " + link.string() + ": " + ec.message());
  }
  fs::rename(link, root / "active", ec);  // atomic replacement of the symlink
  if (ec) {
    return core::Unavailable("cannot switch " + (root / "active").string() + ": " + ec.message());
  }
  return files_fs.SyncDir(root.string());
}

}  // namespace custos::app
