// SPDX-License-Identifier: Apache-2.0
// `custos policy acknowledgements --version V [--data DIR] [--json]`
// (docs/policy-operations.md, "Acknowledgement"): who has and has not acknowledged pack version
// V, for the compliance officer: every employee of the identity directory, acknowledged at or
// not yet. Opens the data directory read-only, so it works beside a running server.
// Exit 66 for a version never recorded, 64 for no --version.
#include <cstdio>
#include <memory>
#include <string>

#include <nlohmann/json.hpp>

#include "app/self_service.h"
#include "cli/commands.h"
#include "cli/common.h"
#include "cli/exit_codes.h"
#include "core/time.h"
#include "http/self_json.h"

namespace custos::cli {
namespace {

struct AckArgs {
  std::string data_dir = kDefaultDataDir;
  std::string version;
  bool json = false;
};

int Run(const AckArgs& args) {
  auto custos = OpenData(args.data_dir, /*read_only=*/true);
  if (!custos.has_value()) {
    return Fail("policy acknowledgements", custos.error());
  }
  auto listing = app::ListAcknowledgements(**custos, args.version);
  if (!listing.has_value()) {
    return Fail("policy acknowledgements", listing.error());
  }
  if (args.json) {
    std::printf("%s\n", http::AcknowledgementListingJson(*listing)
                            .dump(-1, ' ', false, nlohmann::ordered_json::error_handler_t::replace)
                            .c_str());
    return kExitOk;
  }
  std::printf("policy pack %s%s%s\n", listing->version.c_str(),
              listing->in_force ? " (in force)" : " (not in force)",
              listing->in_force && !listing->requires_acknowledgement
                  ? "; it does not require acknowledgement"
                  : "");
  std::printf("%lld acknowledged, %lld not yet\n", static_cast<long long>(listing->acknowledged),
              static_cast<long long>(listing->pending));
  if (listing->people.empty()) {
    std::printf("no employees in the directory (custos directory import)\n");
    return kExitOk;
  }
  std::printf("%-6s  %-27s  %-14s  %s\n", "PERSON", "ACKNOWLEDGED", "GROUP", "NAME");
  for (const app::AcknowledgementStatus& s : listing->people) {
    const std::string when = s.acknowledgement
                                 ? core::FormatRfc3339(s.acknowledgement->acknowledged_at)
                                 : std::string("not yet");
    std::printf("%-6lld  %-27s  %-14s  %s\n", static_cast<long long>(s.person.id), when.c_str(),
                s.person.group.c_str(), s.person.name.c_str());
  }
  for (const archive::Acknowledgement& a : listing->others) {
    std::printf("%-6lld  %-27s  %-14s  %s\n", static_cast<long long>(a.person_id),
                core::FormatRfc3339(a.acknowledged_at).c_str(), "-",
                "(no longer an employee of the directory)");
  }
  return kExitOk;
}

}  // namespace

void RegisterPolicyAcknowledgementsCommand(CLI::App& policy, int* exit_code) {
  auto args = std::make_shared<AckArgs>();
  CLI::App* cmd = policy.add_subcommand("acknowledgements",
                                        "Who has and has not acknowledged a policy pack version");
  cmd->add_option("--version", args->version,
                  "The pack version (custos policy show, GET /api/v1/policy)")
      ->required();
  cmd->add_flag("--json", args->json, "Machine-readable output");
  AddDataOption(cmd, &args->data_dir);
  cmd->callback([args, exit_code] { *exit_code = Run(*args); });
}

}  // namespace custos::cli
