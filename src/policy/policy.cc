// SPDX-License-Identifier: Apache-2.0
#include "policy/policy.h"

#include <algorithm>

#include "policy/eval/compiled.h"
#include "policy/loader/checker.h"
#include "policy/loader/collector.h"
#include "policy/loader/compiler.h"
#include "policy/loader/reader.h"

namespace custos::policy {
namespace {

LoadResult Finish(const loader::ReadResult& read, Diagnostics diags, const LoadOptions& options) {
  LoadResult result;
  result.version = read.version;
  const loader::Collection collection = loader::Collect(read, diags);
  const loader::Resolved resolved = loader::Check(collection, diags);
  auto compiled = loader::Compile(collection, resolved, read.version,
                                  loader::CompileOptions{options.vectorscan}, diags);
  if (compiled && !diags.HasErrors()) {
    result.pack = std::make_shared<const Pack>(std::move(compiled));
  }
  diags.Sort();
  result.diagnostics = std::move(diags);
  return result;
}

std::string Join(const std::vector<std::string>& ids) {
  std::string out = "[";
  for (std::size_t i = 0; i < ids.size(); ++i) {
    out += (i > 0 ? ", " : "") + ids[i];
  }
  return out + "]";
}

void AppendJsonArray(std::string& out, const std::vector<std::string>& items) {
  out += "[";
  for (std::size_t i = 0; i < items.size(); ++i) {
    if (i > 0) {
      out += ",";
    }
    AppendJsonString(out, items[i]);
  }
  out += "]";
}

}  // namespace

LoadResult LoadPack(const std::filesystem::path& dir, const LoadOptions& options) {
  Diagnostics diags;
  const loader::ReadResult read = loader::ReadPackDir(dir, diags);
  return Finish(read, std::move(diags), options);
}

core::Result<std::vector<std::pair<std::string, std::string>>> ReadPackFiles(
    const std::filesystem::path& dir) {
  Diagnostics diags;
  const loader::ReadResult read = loader::ReadPackDir(dir, diags);
  Diagnostics read_errors;
  for (const Diagnostic& d : diags.All()) {
    if (d.code == DiagCode::kFileRead) {
      read_errors.Add(d.code, d.pos, d.item_kind, d.item_name, d.message);
    }
  }
  if (read_errors.HasErrors()) {
    return core::InvalidArgument("policy pack " + dir.string() + " cannot be read:\n" +
                                 read_errors.ToText());
  }
  std::vector<std::pair<std::string, std::string>> files;
  files.reserve(read.files.size());
  for (const loader::PackFile& f : read.files) {
    files.emplace_back(f.path, *f.content);
  }
  return files;
}

LoadResult LoadPackFromFiles(const std::vector<std::pair<std::string, std::string>>& files,
                             const LoadOptions& options) {
  std::vector<loader::PackFile> pack_files;
  for (const auto& [path, content] : files) {
    pack_files.push_back(loader::PackFile{path, std::make_shared<const std::string>(content)});
  }
  Diagnostics diags;
  const loader::ReadResult read = loader::ReadPackFiles(std::move(pack_files), diags);
  return Finish(read, std::move(diags), options);
}

std::optional<std::string> YamlLimitErrors(
    const std::vector<std::pair<std::string, std::string>>& files) {
  std::vector<std::pair<std::string, std::string>> sorted = files;
  std::sort(sorted.begin(), sorted.end());
  Diagnostics diags;
  std::size_t pack_nodes = 0;
  for (const auto& [path, content] : sorted) {
    if ((path.ends_with(".yaml") || path.ends_with(".yml")) && !path.starts_with("devices/")) {
      (void)loader::GuardYaml({path, std::make_shared<const std::string>(content)}, diags,
                              pack_nodes);
    }
  }
  if (diags.ErrorCount() == 0) {
    return std::nullopt;
  }
  return diags.ToText();
}

TestReport RunPackTests(const Pack& pack) {
  TestReport report;
  for (const TestCase& test : pack.Tests()) {
    const Verdict verdict = pack.Evaluate(test.message);
    const std::vector<std::string> got = verdict.RuleIds();
    std::string message;
    if (got != test.expect) {
      message = "expected " + Join(test.expect) + " got " + Join(got);
    } else if (test.action && *test.action != verdict.action) {
      message = "expected action " + std::string(ActionName(*test.action)) + " got " +
                std::string(ActionName(verdict.action));
    }
    if (message.empty()) {
      ++report.passed;
    } else {
      report.failures.push_back(TestFailure{&test, got, verdict.action, std::move(message)});
    }
  }
  return report;
}

std::string TestReport::ToText() const {
  std::string out;
  for (const TestFailure& f : failures) {
    const SourcePos& pos = f.test->pos;
    out += pos.file + ":" + std::to_string(pos.line) + ":" + std::to_string(pos.column) +
           ": test '" + f.test->name + "' of rule '" + f.test->rule_id + "': " + f.message + "\n";
  }
  out += std::to_string(passed) + " passed, " + std::to_string(failures.size()) + " failed\n";
  return out;
}

std::string TestReport::ToJson() const {
  std::string out = "{\"passed\":" + std::to_string(passed) +
                    ",\"failed\":" + std::to_string(failures.size()) + ",\"failures\":[";
  for (std::size_t i = 0; i < failures.size(); ++i) {
    const TestFailure& f = failures[i];
    out += i > 0 ? ",{\"rule\":" : "{\"rule\":";
    AppendJsonString(out, f.test->rule_id);
    out += ",\"test\":";
    AppendJsonString(out, f.test->name);
    out += ",\"file\":";
    AppendJsonString(out, f.test->pos.file);
    out += ",\"line\":" + std::to_string(f.test->pos.line) +
           ",\"column\":" + std::to_string(f.test->pos.column) + ",\"expected\":";
    AppendJsonArray(out, f.test->expect);
    out += ",\"got\":";
    AppendJsonArray(out, f.got);
    out += ",\"action\":";
    AppendJsonString(out, ActionName(f.got_action));
    out += ",\"message\":";
    AppendJsonString(out, f.message);
    out += "}";
  }
  return out + "]}";
}

core::Status Engine::ApplyDir(const std::filesystem::path& dir, LoadResult* result) {
  LoadResult loaded = LoadPack(dir);
  std::shared_ptr<const Pack> pack = loaded.pack;
  const std::string diagnostics = loaded.diagnostics.ToText();
  if (result != nullptr) {
    *result = std::move(loaded);
  }
  if (!pack) {
    return core::InvalidArgument("policy pack " + dir.string() + " has errors:\n" + diagnostics);
  }
  return Apply(std::move(pack));
}

core::Status Engine::Apply(std::shared_ptr<const Pack> pack) {
  if (!pack) {
    return core::InvalidArgument("no policy pack");
  }
  const TestReport report = RunPackTests(*pack);
  if (!report.ok()) {
    return core::InvalidArgument("policy pack " + pack->Version() + " fails its own tests:\n" +
                                 report.ToText());
  }
  core::MutexLock lock(&mu_);
  pack_ = std::move(pack);
  return core::Status::Ok();
}

void Engine::Install(std::shared_ptr<const Pack> pack) {
  core::MutexLock lock(&mu_);
  pack_ = std::move(pack);
}

std::shared_ptr<const Pack> Engine::Current() const {
  core::MutexLock lock(&mu_);
  return pack_;
}

void Engine::SetGroupLookup(GroupLookup lookup) {
  core::MutexLock lock(&mu_);
  group_lookup_ = std::move(lookup);
}

Verdict Engine::Evaluate(const model::Message& message) const {
  std::shared_ptr<const Pack> pack;
  GroupLookup lookup;
  {
    core::MutexLock lock(&mu_);
    pack = pack_;
    lookup = group_lookup_;
  }
  if (!pack) {
    return Verdict{};
  }
  return pack->Evaluate(message, lookup ? lookup(message) : std::string());
}

std::function<core::Status(const model::Message&)> Engine::IngestHook(
    std::function<void(const model::Message&, const Verdict&)> on_verdict) const {
  return [this, on_verdict = std::move(on_verdict)](const model::Message& message) {
    const Verdict verdict = Evaluate(message);
    if (on_verdict) {
      on_verdict(message, verdict);
    }
    if (verdict.action != Action::kBlock || message.direction != model::Direction::kOutbound) {
      return core::Status::Ok();
    }
    std::string why = "blocked by policy";
    for (const RuleHit& hit : verdict.hits) {
      if (hit.action == Action::kBlock) {
        why += "; " + hit.rule_id + ": " + hit.clause;
      }
    }
    return core::PermissionDenied(why);
  };
}

}  // namespace custos::policy
