// SPDX-License-Identifier: Apache-2.0
// `custos policy lint|test|check|apply` (docs/policy-language.md, "Command line"):
//   lint PACK             every error and warning at once, file:line:column and the rule id
//   test PACK             every inline test case; non-zero exit when any fails
//   check PACK --text T   the verdict for one message, with explanations
//   apply PACK            make PACK the pack in force for a data directory (and a running
//                         server: SIGHUP via DIR/serve.pid)
// `custos policy backtest` is in policy_backtest_command.cc.
#include <cstdio>
#include <fstream>
#include <memory>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>
#include <signal.h>

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

// Sends SIGHUP to the server named by DIR/serve.pid when it is alive; its pid, or 0.
long SignalRunningServer(const std::string& data_dir) {
  std::ifstream in(data_dir + "/serve.pid");
  long pid = 0;
  if (!(in >> pid) || pid <= 1) {
    return 0;
  }
  if (::kill(static_cast<pid_t>(pid), SIGHUP) != 0) {
    return 0;  // a stale file: the server is gone
  }
  return pid;
}

int RunApply(const PolicyArgs& args) {
  auto custos = OpenData(args.data_dir, /*read_only=*/false);
  if (!custos.has_value()) {
    return Fail("policy apply", custos.error());
  }
  auto applied = (*custos)->policy().ApplyDir(args.pack, "cli");
  if (!applied.has_value()) {
    return Fail("policy apply", applied.error());
  }
  (*custos)->ingest().Shutdown();
  const long pid = SignalRunningServer(args.data_dir);
  if (args.json) {
    nlohmann::json out = {{"version", applied->version},   {"tests_passed", applied->tests_passed},
                          {"warnings", applied->warnings}, {"record_id", applied->record_id},
                          {"changed", applied->changed},   {"server_signalled", pid}};
    std::printf("%s\n", out.dump().c_str());
  } else {
    std::printf("custos: policy pack %s in force (%d inline tests passed, %d warnings)\n",
                applied->version.c_str(), applied->tests_passed, applied->warnings);
    if (applied->record_id > 0) {
      std::printf("custos: recorded as archive record %lld\n",
                  static_cast<long long>(applied->record_id));
    } else {
      std::printf("custos: this pack version was recorded before\n");
    }
    if (pid > 0) {
      std::printf("custos: running server (pid %ld) asked to reload (SIGHUP)\n", pid);
    }
  }
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
}

}  // namespace custos::cli
