// SPDX-License-Identifier: Apache-2.0
// `custos policy lint|test|check|apply` (docs/policy-language.md, "Command line"):
//   lint PACK             every error and warning at once, file:line:column and the rule id
//   test PACK             every inline test case; non-zero exit when any fails
//   check PACK --text T   the verdict for one message, with explanations
//   apply PACK            make PACK the pack in force for a data directory; when a server runs
//                         on it (it holds DIR/lock), the pack is installed as DIR/policy/active
//                         and the server, named by DIR/serve.pid, records and loads it on SIGHUP
// `custos policy backtest` is in policy_backtest_command.cc.
#include <cerrno>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include <nlohmann/json.hpp>
#include <signal.h>

#include "app/data_lock.h"
#include "cli/commands.h"
#include "cli/common.h"
#include "cli/exit_codes.h"
#include "core/text.h"
#include "core/time.h"
#include "model/message.h"
#include "policy/case_file.h"
#include "policy/policy.h"

namespace custos::cli {
namespace {

// Test failures: distinct from a pack that does not load (kExitDataError).
constexpr int kExitTestsFailed = 1;

// How long `policy apply` waits for a running server to record the pack, and how often it looks.
constexpr int kServerReloadTimeoutMs = 30'000;
constexpr int kPollMs = 50;

struct PolicyArgs {
  std::string pack;
  bool json = false;
  // check
  std::string text;
  std::string channel = "whatsapp";
  std::string direction = "outbound";
  std::string from = "employee@example.com";
  std::vector<std::string> to{"+447700900456"};
  std::string group;
  // apply
  std::string data_dir;
  // test
  std::vector<std::string> cases;
};

// Loads the pack and prints its diagnostics when it has errors (all of them, sorted).
std::optional<policy::LoadResult> LoadOrReport(const PolicyArgs& args, int* exit_code) {
  policy::LoadResult loaded = policy::LoadPack(args.pack);
  if (loaded.ok()) {
    return loaded;
  }
  if (args.json) {
    std::printf("%s\n", loaded.diagnostics.ToJson().c_str());
  } else {
    std::fprintf(stderr, "%s", loaded.diagnostics.ToText().c_str());
    std::fprintf(stderr, "custos: policy: %s does not compile\n", args.pack.c_str());
  }
  *exit_code = kExitDataError;
  return std::nullopt;
}

int RunLint(const PolicyArgs& args) {
  const policy::LoadResult loaded = policy::LoadPack(args.pack);
  if (args.json) {
    nlohmann::json out = nlohmann::json::parse(loaded.diagnostics.ToJson());
    out["version"] = loaded.version;
    out["ok"] = loaded.ok();
    std::printf("%s\n", out.dump().c_str());
  } else {
    std::printf("%s", loaded.diagnostics.ToText().c_str());
    if (loaded.ok()) {
      std::printf("custos: policy: %s compiles (version %s, %zu rules)\n", args.pack.c_str(),
                  loaded.version.c_str(), loaded.pack->Rules().size());
    }
  }
  return loaded.ok() ? kExitOk : kExitDataError;
}

int RunTest(const PolicyArgs& args) {
  std::vector<policy::cases::CaseFile> case_files;
  for (const std::string& dir : args.cases) {
    std::string error;
    if (!policy::cases::ReadCaseFiles(dir, &case_files, &error)) {
      std::fprintf(stderr, "custos: policy test: --cases: %s\n", error.c_str());
      return kExitDataError;
    }
  }
  int exit_code = kExitOk;
  const std::optional<policy::LoadResult> loaded = LoadOrReport(args, &exit_code);
  if (!loaded) {
    return exit_code;
  }
  const policy::TestReport report = policy::RunPackTests(*loaded->pack);
  // Per-category recall and false positives: of the case files when --cases is given (a
  // corpus the pack was not written against), else of the inline tests.
  std::optional<policy::cases::CaseReport> cases;
  if (!args.cases.empty()) {
    cases = policy::cases::RunCases(*loaded->pack, case_files);
  }
  const std::vector<policy::cases::CategoryStats> categories =
      cases ? cases->categories : policy::cases::TallyInlineTests(*loaded->pack);
  if (args.json) {
    nlohmann::json out = nlohmann::json::parse(report.ToJson());
    out["categories"] = nlohmann::json::parse(policy::cases::CategoriesJson(categories));
    out["categories_from"] = cases ? "cases" : "inline_tests";
    if (cases) {
      nlohmann::json c = nlohmann::json::parse(cases->ToJson());
      c.erase("categories");
      out["cases"] = std::move(c);
    }
    std::printf("%s\n", out.dump().c_str());
  } else {
    std::printf("%s", report.ToText().c_str());
    if (cases) {
      std::printf("%s", cases->ToText().c_str());
    } else {
      std::printf("%s", policy::cases::CategoriesText(categories).c_str());
    }
  }
  return report.ok() ? kExitOk : kExitTestsFailed;
}

int RunCheck(const PolicyArgs& args) {
  if (!model::IsKnownChannel(args.channel)) {
    std::fprintf(stderr, "custos: policy check: --channel: unknown channel \"%s\" (known: %s)\n",
                 std::string(core::TruncateUtf8(args.channel, 40)).c_str(),
                 std::string(model::KnownChannelsList()).c_str());
    return kExitUsage;
  }
  model::Message m;
  m.source = "policy-check";
  m.channel = args.channel;
  m.conversation = "policy-check";
  m.from = args.from;
  m.to = args.to;
  m.text = args.text;
  m.sent_at = core::SystemClock().Now();
  auto direction = model::ParseDirection(args.direction);
  if (!direction.has_value()) {
    std::fprintf(stderr, "custos: policy check: --direction: %s\n",
                 direction.error().message().c_str());
    return kExitUsage;
  }
  m.direction = *direction;
  if (!core::IsValidUtf8(m.text)) {
    std::fprintf(stderr, "custos: policy check: --text is not valid UTF-8\n");
    return kExitDataError;
  }
  int exit_code = kExitOk;
  const std::optional<policy::LoadResult> loaded = LoadOrReport(args, &exit_code);
  if (!loaded) {
    return exit_code;
  }
  const policy::Verdict verdict = loaded->pack->Evaluate(m, args.group);
  std::printf("%s\n", args.json ? verdict.ToJson().c_str() : verdict.ToText().c_str());
  return kExitOk;
}

// The pid in DIR/serve.pid; 0 when there is none.
long ServePid(const std::string& data_dir) {
  std::ifstream in(data_dir + "/serve.pid");
  long pid = 0;
  if (!(in >> pid) || pid <= 1) {
    return 0;
  }
  return pid;
}

void PrintApplied(const PolicyArgs& args, const app::AppliedPolicy& applied, long server_pid) {
  if (args.json) {
    nlohmann::json out = {{"version", applied.version},   {"tests_passed", applied.tests_passed},
                          {"warnings", applied.warnings}, {"record_id", applied.record_id},
                          {"changed", applied.changed},   {"server_signalled", server_pid}};
    std::printf("%s\n", out.dump().c_str());
    return;
  }
  std::printf("custos: policy pack %s in force (%d inline tests passed, %d warnings)\n",
              applied.version.c_str(), applied.tests_passed, applied.warnings);
  if (applied.record_id > 0) {
    std::printf("custos: recorded as archive record %lld\n",
                static_cast<long long>(applied.record_id));
  } else {
    std::printf("custos: this pack version was recorded before\n");
  }
  if (server_pid > 0) {
    std::printf("custos: running server (pid %ld) reloaded it (SIGHUP)\n", server_pid);
  }
}

// A server holds the data directory (app/data_lock.h), so this process may not write to its
// database: the pack is checked and installed as DIR/policy/active, the server is sent SIGHUP
// and records and swaps it in (PolicyService::Reload); this waits until the archive shows it.
int ApplyThroughServer(const PolicyArgs& args, long server_pid) {
  auto reader = OpenData(args.data_dir, /*read_only=*/true);
  if (!reader.has_value()) {
    return Fail("policy apply", reader.error());
  }
  auto before = (*reader)->policy().LatestRecordedVersion();
  if (!before.has_value()) {
    return Fail("policy apply", before.error());
  }
  auto staged = app::PolicyService::StageDir(args.data_dir, args.pack);
  if (!staged.has_value()) {
    return Fail("policy apply", staged.error());
  }
  if (::kill(static_cast<pid_t>(server_pid), SIGHUP) != 0) {
    return Fail("policy apply",
                core::Unavailable("cannot signal the server (pid " + std::to_string(server_pid) +
                                  "): " + std::strerror(errno) + "; " + args.data_dir +
                                  "/policy/active now names the pack, a restart applies it"));
  }
  const bool recorded_before = *before && (*before)->first == staged->version;
  for (int waited_ms = 0; waited_ms < kServerReloadTimeoutMs; waited_ms += kPollMs) {
    auto latest = (*reader)->policy().LatestRecordedVersion();
    if (!latest.has_value()) {
      return Fail("policy apply", latest.error());
    }
    if (*latest && (*latest)->first == staged->version) {
      app::AppliedPolicy applied = *staged;
      applied.record_id = recorded_before ? 0 : (*latest)->second;
      applied.changed = !recorded_before;
      if (recorded_before) {
        // Nothing new to record, so nothing to wait for: give the server a moment to swap.
        std::this_thread::sleep_for(std::chrono::milliseconds(kPollMs));
      }
      PrintApplied(args, applied, server_pid);
      return kExitOk;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(kPollMs));
  }
  return Fail(
      "policy apply",
      core::Unavailable("the server (pid " + std::to_string(server_pid) + ") did not record pack " +
                        staged->version + " within " +
                        std::to_string(kServerReloadTimeoutMs / 1000) + " s; its log says why. " +
                        args.data_dir + "/policy/active names the pack, so a restart applies it"));
}

int RunApply(const PolicyArgs& args) {
  auto custos = OpenData(args.data_dir, /*read_only=*/false);
  if (!custos.has_value()) {
    // Held by a running server: hand the pack to it. Held by anything else: the lock's error.
    const long server = ServePid(args.data_dir);
    if (custos.error().code() == core::StatusCode::kUnavailable && server > 0 &&
        app::DataLock::RecordedHolder(args.data_dir).pid == server) {
      return ApplyThroughServer(args, server);
    }
    return Fail("policy apply", custos.error());
  }
  // This process holds the writer lock: no server runs on the directory (a serve.pid left by
  // one that was killed names nobody, and is not signalled).
  auto applied = (*custos)->policy().ApplyDir(args.pack, "cli");
  if (!applied.has_value()) {
    return Fail("policy apply", applied.error());
  }
  (*custos)->ingest().Shutdown();
  PrintApplied(args, *applied, 0);
  return kExitOk;
}

CLI::App* AddPackCommand(CLI::App* policy, const char* name, const char* help,
                         const std::shared_ptr<PolicyArgs>& args) {
  CLI::App* cmd = policy->add_subcommand(name, help);
  cmd->add_option("PACK", args->pack, "Policy pack directory")->required();
  cmd->add_flag("--json", args->json, "Machine-readable output");
  return cmd;
}

}  // namespace

void RegisterPolicyCommand(CLI::App& root, int* exit_code) {
  auto args = std::make_shared<PolicyArgs>();
  CLI::App* policy = root.add_subcommand("policy", "Lint, test, check, backtest and apply packs");
  policy->require_subcommand(1);

  AddPackCommand(policy, "lint", "Report every error and warning of a pack", args)
      ->callback([args, exit_code] { *exit_code = RunLint(*args); });
  CLI::App* test = AddPackCommand(policy, "test", "Run every inline test case of a pack", args);
  test->add_option("--cases", args->cases,
                   "Also measure the pack on *.case files (a file or folder, repeatable): "
                   "per-category recall and false positives (docs/policy-operations.md)");
  test->callback([args, exit_code] { *exit_code = RunTest(*args); });

  CLI::App* check =
      AddPackCommand(policy, "check", "Evaluate one message and explain the verdict", args);
  check->add_option("--text", args->text, "The message text")->required();
  check->add_option("--channel", args->channel, "Channel")->capture_default_str();
  check->add_option("--direction", args->direction, "inbound, outbound or internal")
      ->capture_default_str();
  check->add_option("--from", args->from, "Sender handle")->capture_default_str();
  check->add_option("--to", args->to, "Recipient handles");
  check->add_option("--group", args->group, "The sender's desk or group (sender.group)");
  check->callback([args, exit_code] { *exit_code = RunCheck(*args); });

  CLI::App* apply =
      AddPackCommand(policy, "apply", "Make a pack the one in force (after its tests)", args);
  AddDataOption(apply, &args->data_dir);
  apply->callback([args, exit_code] { *exit_code = RunApply(*args); });

  RegisterPolicyBacktestCommand(*policy, exit_code);
  RegisterPolicyAcknowledgementsCommand(*policy, exit_code);
}

}  // namespace custos::cli
