// SPDX-License-Identifier: Apache-2.0
// The policy engine's entry points (docs/policy-language.md), for the CLI, the API and the
// ingest service:
//
//   LoadPack(dir)           lint + compile: every diagnostic, and the pack when there are no
//                           errors                              (custos policy lint)
//   RunPackTests(pack)      every inline test                   (custos policy test)
//   pack->Evaluate(facts)   one verdict                         (custos policy check)
//   Engine                  the running pack, replaced only by packs that load and pass their
//                           own tests; Engine::Evaluate is the app::IngestService evaluator
//
// Thread-safety: the functions are pure; Engine's methods may be called from any thread.
#pragma once

#include <filesystem>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "core/mutex.h"
#include "core/status.h"
#include "model/message.h"
#include "policy/diagnostics.h"
#include "policy/pack.h"
#include "policy/verdict.h"

namespace custos::policy {

struct LoadOptions {
  // false: the straightforward literal matcher instead of Vectorscan (for comparison tests).
  bool vectorscan = true;
};

struct LoadResult {
  Diagnostics diagnostics;           // sorted by file and position
  std::shared_ptr<const Pack> pack;  // null when diagnostics has errors
  std::string version;               // the content hash, even when the pack failed

  bool ok() const { return pack != nullptr; }
};

// The files of the pack in `dir` as LoadPack reads them (hidden entries skipped, sorted by
// path): (path relative to the pack root, content). kInvalidArgument with the diagnostics when
// the directory or a file cannot be read. LoadPackFromFiles(files) is then LoadPack(dir).
core::Result<std::vector<std::pair<std::string, std::string>>> ReadPackFiles(
    const std::filesystem::path& dir);

// Reads, checks and compiles the pack in directory `dir`. Never stops at the first problem.
LoadResult LoadPack(const std::filesystem::path& dir, const LoadOptions& options = {});

// The same for files in memory: (path relative to the pack root, content) pairs.
LoadResult LoadPackFromFiles(const std::vector<std::pair<std::string, std::string>>& files,
                             const LoadOptions& options = {});

// The YAML files among `files` that the reader refuses before parsing them (anchors and
// aliases, or beyond the size, node and depth limits: loader::GuardYaml), as diagnostic text
// ("rules/x.yaml:3:11: error[yaml_limit]: ..."); nullopt when there are none. For callers that
// answer such input as a malformed request (HTTP 400) rather than as a pack with errors.
std::optional<std::string> YamlLimitErrors(
    const std::vector<std::pair<std::string, std::string>>& files);

struct TestFailure {
  const TestCase* test = nullptr;  // points into the pack
  std::vector<std::string> got;    // rule ids that hit
  Action got_action = Action::kAllow;
  std::string message;  // "expected [a] got [a, b]"
};

struct TestReport {
  int passed = 0;
  std::vector<TestFailure> failures;

  bool ok() const { return failures.empty(); }

  // One line per failure ("rules/x.yaml:40:7: test 'name' of rule 'r': expected ..."), then
  // "N passed, M failed".
  std::string ToText() const;

  // {"passed": n, "failed": m, "failures": [{"rule", "test", "file", "line", "column",
  //  "expected", "got", "action", "message"}]}
  std::string ToJson() const;
};

// Runs every inline test of `pack`; `report.failures` point into `pack`, which must outlive it.
TestReport RunPackTests(const Pack& pack);

// Who the sender of a message is, for `sender.group`: returns "" when unknown.
using GroupLookup = std::function<std::string(const model::Message&)>;

// The running pack. Apply* replaces it only with a pack that has no errors and passes all of
// its inline tests; evaluation never sees a half-loaded pack.
class Engine {
 public:
  Engine() = default;

  // Loads `dir`; kInvalidArgument with the diagnostics (or failed tests) as text when the pack
  // is unusable, and the running pack stays. `*result` (optional) receives the load result.
  core::Status ApplyDir(const std::filesystem::path& dir, LoadResult* result = nullptr);

  // Installs an already loaded pack after running its tests (kInvalidArgument on failures).
  core::Status Apply(std::shared_ptr<const Pack> pack);

  // Installs a pack that already passed its tests when it was first applied (the active pack of
  // a data directory at startup), without running them again.
  void Install(std::shared_ptr<const Pack> pack);

  // The running pack, or null before the first Apply.
  std::shared_ptr<const Pack> Current() const;

  void SetGroupLookup(GroupLookup lookup);

  // The verdict of the running pack (allow with an empty version when there is none).
  Verdict Evaluate(const model::Message& message) const;

  // The app::IngestService evaluator: evaluates each message with the running pack and
  // rejects (kPermissionDenied, with the rules and clauses in the message) an outbound message
  // whose verdict is block; everything else passes. `on_verdict`, when set, sees every verdict
  // (for counting or storing). The Engine must outlive the hook.
  std::function<core::Status(const model::Message&)> IngestHook(
      std::function<void(const model::Message&, const Verdict&)> on_verdict = nullptr) const;

 private:
  mutable core::Mutex mu_;
  std::shared_ptr<const Pack> pack_ CUSTOS_GUARDED_BY(mu_);
  GroupLookup group_lookup_ CUSTOS_GUARDED_BY(mu_);
};

}  // namespace custos::policy
