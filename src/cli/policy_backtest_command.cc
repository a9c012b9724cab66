// SPDX-License-Identifier: Apache-2.0
// `custos policy backtest PACK [--since 30d] [--json]`: evaluates a candidate pack over the
// archive, read-only, beside the pack in force (DIR/policy/active, else the last pack recorded
// in the archive), and reports per rule the messages it hits under the candidate versus the
// current pack: new, lost and unchanged, with sample message ids. Every rule of the candidate
// has a row, zeros included (a rule that never fires is worth seeing). Nothing is written.
#include <algorithm>
#include <cstdio>
#include <map>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "cli/commands.h"
#include "cli/common.h"
#include "cli/exit_codes.h"
#include "config/duration.h"
#include "core/time.h"
#include "policy/policy.h"

namespace custos::cli {
namespace {

struct BacktestArgs {
  std::string pack;
  std::string data_dir;
  std::string since = "30d";
  int samples = 5;
  bool json = false;
};

struct RuleDelta {
  std::int64_t added = 0;  // hits under the candidate only
  std::int64_t lost = 0;   // hits under the current pack only
  std::int64_t unchanged = 0;
  std::vector<std::int64_t> added_samples;
  std::vector<std::int64_t> lost_samples;
};

void Sample(std::vector<std::int64_t>& samples, std::int64_t id, int limit) {
  if (static_cast<int>(samples.size()) < limit) {
    samples.push_back(id);
  }
}

// The current pack of the data directory: the active one, else the last one recorded.
core::Result<std::shared_ptr<const policy::Pack>> CurrentPack(app::Custos& custos) {
  if (auto active = custos.policy().current(); active != nullptr) {
    return active;
  }
  return custos.policy().LatestRecordedPack();
}

std::set<std::string> Hits(const policy::Verdict& v) {
  std::set<std::string> out;
  for (const policy::RuleHit& h : v.hits) {
    out.insert(h.rule_id);
  }
  return out;
}

int RunBacktest(const BacktestArgs& args) {
  auto since = config::ParseDuration(args.since);
  if (!since.has_value()) {
    std::fprintf(stderr, "custos: policy backtest: --since: %s\n", since.error().message().c_str());
    return kExitUsage;
  }
  policy::LoadResult candidate = policy::LoadPack(args.pack);
  if (!candidate.ok()) {
    std::fprintf(stderr, "%s", candidate.diagnostics.ToText().c_str());
    std::fprintf(stderr, "custos: policy backtest: %s does not compile\n", args.pack.c_str());
    return kExitDataError;
  }
  auto custos = OpenData(args.data_dir, /*read_only=*/true);
  if (!custos.has_value()) {
    return Fail("policy backtest", custos.error());
  }
  auto current = CurrentPack(**custos);
  if (!current.has_value()) {
    return Fail("policy backtest", current.error());
  }
  const core::Micros start = core::SteadyNowMicros();
  archive::ExportFilter filter;
  filter.after = since->Before(core::SystemClock().Now());
  std::map<std::string, RuleDelta> rules;
  for (const policy::RuleInfo& rule : candidate.pack->Rules()) {
    rules[rule.id];  // every candidate rule has a row, with 0 when it hits nothing
  }
  std::int64_t evaluated = 0;
  const core::Status status = (*custos)->store().ExportEach(filter, [&](const model::Message& m) {
    ++evaluated;
    const std::set<std::string> now = Hits(candidate.pack->Evaluate(m));
    const std::set<std::string> before =
        *current ? Hits((*current)->Evaluate(m)) : std::set<std::string>();
    for (const std::string& rule : now) {
      RuleDelta& d = rules[rule];
      if (before.contains(rule)) {
        ++d.unchanged;
      } else {
        ++d.added;
        Sample(d.added_samples, m.id, args.samples);
      }
    }
    for (const std::string& rule : before) {
      if (!now.contains(rule)) {
        RuleDelta& d = rules[rule];
        ++d.lost;
        Sample(d.lost_samples, m.id, args.samples);
      }
    }
    return true;
  });
  if (!status.ok()) {
    return Fail("policy backtest", status);
  }
  const double seconds = static_cast<double>(core::SteadyNowMicros() - start) / 1e6;
  const std::string current_version = *current ? (*current)->Version() : "";
  if (args.json) {
    nlohmann::json out = {{"candidate", candidate.version},
                          {"current", current_version},
                          {"since", args.since},
                          {"messages", evaluated},
                          {"seconds", seconds},
                          {"rules", nlohmann::json::array()}};
    for (const auto& [rule, d] : rules) {
      out["rules"].push_back({{"rule", rule},
                              {"new", d.added},
                              {"lost", d.lost},
                              {"unchanged", d.unchanged},
                              {"new_samples", d.added_samples},
                              {"lost_samples", d.lost_samples}});
    }
    std::printf("%s\n", out.dump().c_str());
    return kExitOk;
  }
  std::printf("backtest of %s over %lld messages since %s (%.2f s)\n", candidate.version.c_str(),
              static_cast<long long>(evaluated), args.since.c_str(), seconds);
  std::printf("current pack: %s\n", current_version.empty() ? "(none)" : current_version.c_str());
  std::printf("%-32s %8s %8s %10s  samples (new | lost)\n", "rule", "new", "lost", "unchanged");
  for (const auto& [rule, d] : rules) {
    std::string samples;
    for (std::int64_t id : d.added_samples) {
      samples += std::to_string(id) + " ";
    }
    samples += "|";
    for (std::int64_t id : d.lost_samples) {
      samples += " " + std::to_string(id);
    }
    std::printf("%-32s %8lld %8lld %10lld  %s\n", rule.c_str(), static_cast<long long>(d.added),
                static_cast<long long>(d.lost), static_cast<long long>(d.unchanged),
                samples.c_str());
  }
  return kExitOk;
}

}  // namespace

void RegisterPolicyBacktestCommand(CLI::App& policy, int* exit_code) {
  auto args = std::make_shared<BacktestArgs>();
  CLI::App* cmd = policy.add_subcommand(
      "backtest", "Compare a candidate pack with the pack in force over the archive (read-only)");
  cmd->add_option("PACK", args->pack, "Candidate policy pack directory")->required();
  AddDataOption(cmd, &args->data_dir);
  cmd->add_option("--since", args->since, "How far back: 30d, 12w, 6m, 1y")->capture_default_str();
  cmd->add_option("--samples", args->samples, "Sample message ids per rule and change")
      ->check(IntegerArgument("--samples", 0, 100))
      ->capture_default_str();
  cmd->add_flag("--json", args->json, "Machine-readable output");
  cmd->callback([args, exit_code] { *exit_code = RunBacktest(*args); });
}

}  // namespace custos::cli
