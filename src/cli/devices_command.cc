// SPDX-License-Identifier: Apache-2.0
// `custos devices ...` (docs/devices.md): enroll, list, show, report-lost, found, confirm-stolen,
// approve-wipe, commands, report, posture (submit a report file), simulate (devices_simulate.h),
// and policy import-intune / import-apple (print the equivalent device policy YAML and what could
// not be mapped).
#include <cstdio>
#include <memory>
#include <string>

#include "cli/commands.h"
#include "cli/common.h"
#include "cli/devices_simulate.h"
#include "cli/exit_codes.h"
#include "devices/importers.h"
#include "devices/json_views.h"

namespace custos::cli {
namespace {

struct DevicesArgs {
  std::string data_dir;
  bool json = false;
  std::string person;
  std::string platform;
  std::string ownership;
  std::string device;
  std::string actor = "admin";
  std::string file;
  std::string mdm_id;
  bool unlisted = false;
};

void PrintDevice(const devices::DeviceInfo& d) {
  std::printf(
      "%s  %s  %s/%s  %s  messaging %s  lost %s\n", d.device_id.c_str(), d.person.c_str(),
      std::string(devices::Name(d.platform)).c_str(),
      std::string(devices::Name(d.ownership)).c_str(), std::string(devices::Name(d.state)).c_str(),
      std::string(devices::Name(d.access)).c_str(), std::string(devices::Name(d.lost)).c_str());
}

// Opens the data directory and runs `fn(custos)`, mapping errors to exit codes.
template <typename Fn>
int WithCustos(const DevicesArgs& args, const char* what, bool read_only, Fn fn) {
  auto custos = OpenData(args.data_dir, read_only);
  if (!custos.has_value()) {
    return Fail(what, custos.error());
  }
  return fn(**custos);
}

int RunEnroll(const DevicesArgs& args) {
  auto platform = devices::ParsePlatform(args.platform);
  if (!platform || *platform == devices::Platform::kUnknown) {
    return Fail("devices enroll",
                core::InvalidArgument("--platform: '" + args.platform +
                                      "' is not a platform custos can enroll; expected one of "
                                      "ios, ipados, android"));
  }
  auto ownership = devices::ParseOwnership(args.ownership);
  if (!ownership || *ownership == devices::Ownership::kUnknown) {
    return Fail("devices enroll",
                core::InvalidArgument("--ownership: '" + args.ownership +
                                      "' is not an ownership; expected one of corporate, "
                                      "personal"));
  }
  return WithCustos(args, "devices enroll", false, [&](app::Custos& c) {
    auto e = c.devices().Enroll(args.person, *platform, *ownership, args.actor, args.mdm_id,
                                args.unlisted);
    if (!e) {
      return Fail("devices enroll", e.error());
    }
    if (!e->warning.empty()) {
      std::fprintf(stderr, "custos: devices enroll: warning: %s\n", e->warning.c_str());
    }
    if (args.json) {
      std::printf(
          "{\"device_id\":\"%s\",\"enrollment_token\":\"%s\",\"expires_at\":\"%s\","
          "\"person_id\":%lld}\n",
          e->device_id.c_str(), e->token.c_str(), core::FormatRfc3339(e->expires_at).c_str(),
          static_cast<long long>(e->person_id));
    } else {
      std::printf("device %s enrolled; one-time enrollment token (expires %s):\n%s\n",
                  e->device_id.c_str(), core::FormatRfc3339(e->expires_at).c_str(),
                  e->token.c_str());
    }
    return kExitOk;
  });
}

int RunList(const DevicesArgs& args) {
  return WithCustos(args, "devices list", true, [&](app::Custos& c) {
    auto list = c.devices().List(args.person);
    if (!list) {
      return Fail("devices list", list.error());
    }
    if (args.json) {
      std::printf("%s\n", devices::DeviceListJson(*list).c_str());
    } else if (list->empty()) {
      std::printf("no devices\n");
    }
    for (const auto& d : args.json ? std::vector<devices::DeviceInfo>{} : *list) {
      PrintDevice(d);
    }
    return kExitOk;
  });
}

int RunShow(const DevicesArgs& args) {
  return WithCustos(args, "devices show", true, [&](app::Custos& c) {
    auto d = c.devices().Get(args.device);
    if (!d) {
      return Fail("devices show", d.error());
    }
    if (args.json) {
      std::printf("%s\n", devices::DeviceJson(*d).c_str());
      return kExitOk;
    }
    PrintDevice(*d);
    for (const auto& r : d->results) {
      std::printf("  %-28s %-14s observed: %s; expected: %s\n", r.rule_id.c_str(),
                  std::string(devices::Name(r.outcome)).c_str(), r.observed.c_str(),
                  r.expected.c_str());
    }
    return kExitOk;
  });
}

int RunLost(const DevicesArgs& args, const std::string& verb) {
  const std::string what = "devices " + verb;
  return WithCustos(args, what.c_str(), false, [&](app::Custos& c) {
    core::Status status;
    if (verb == "report-lost") {
      status = c.devices().ReportLost(args.device, args.actor).status();
    } else if (verb == "found") {
      status = c.devices().Found(args.device, args.actor);
    } else if (verb == "confirm-stolen") {
      status = c.devices().ConfirmStolen(args.device, args.actor).status();
    } else {
      status = c.devices().ApproveWipe(args.device, args.actor).status();
    }
    if (!status.ok()) {
      return Fail(what, status);
    }
    auto d = c.devices().Get(args.device);
    std::printf("device %s: lost state %s, messaging %s\n", args.device.c_str(),
                d ? std::string(devices::Name(d->lost)).c_str() : "?",
                d ? std::string(devices::Name(d->access)).c_str() : "?");
    return kExitOk;
  });
}

int RunCommands(const DevicesArgs& args) {
  return WithCustos(args, "devices commands", true, [&](app::Custos& c) {
    auto list = c.devices().Commands(args.device);
    if (!list) {
      return Fail("devices commands", list.error());
    }
    if (args.json) {
      std::printf("%s\n", devices::CommandListJson(*list).c_str());
      return kExitOk;
    }
    for (const auto& cmd : *list) {
      std::printf("%lld  %-13s %-12s %s  by %s\n", static_cast<long long>(cmd.id),
                  std::string(devices::Name(cmd.type)).c_str(),
                  std::string(devices::Name(cmd.state)).c_str(),
                  core::FormatRfc3339(cmd.created_at).c_str(), cmd.actor.c_str());
    }
    return kExitOk;
  });
}

int RunReport(const DevicesArgs& args) {
  return WithCustos(args, "devices report", false, [&](app::Custos& c) {
    if (auto s = c.devices().EvaluateAll(); !s.ok()) {
      return Fail("devices report", s);
    }
    auto report = c.devices().Report();
    if (!report) {
      return Fail("devices report", report.error());
    }
    std::printf("%s\n", devices::ReportJson(*report).c_str());
    return kExitOk;
  });
}

int RunPosture(const DevicesArgs& args) {
  auto text = ReadInput(args.file);
  if (!text) {
    return Fail("devices posture", text.error());
  }
  auto report = devices::ParsePostureJson(*text);
  if (!report) {
    core::Status s = report.error();
    return Fail("devices posture", s.WithContext(args.file));
  }
  return WithCustos(args, "devices posture", false, [&](app::Custos& c) {
    // A file is trusted like a self-report, whatever its `source` says (docs/devices.md).
    auto out =
        c.devices().SubmitPosture(args.device, *report, devices::PostureChannel::kFileImport);
    if (!out) {
      core::Status s = out.error();
      return Fail("devices posture",
                  s.code() == core::StatusCode::kInvalidArgument ? s.WithContext(args.file) : s);
    }
    if (!out->applied) {
      std::printf("device %s: report not applied (%s); still %s, messaging %s\n",
                  args.device.c_str(), out->ignored_reason.c_str(),
                  std::string(devices::Name(out->verdict.state)).c_str(),
                  std::string(devices::Name(out->verdict.access)).c_str());
      return kExitOk;
    }
    std::printf("device %s: %s, messaging %s (privacy: %d values dropped)\n", args.device.c_str(),
                std::string(devices::Name(out->verdict.state)).c_str(),
                std::string(devices::Name(out->verdict.access)).c_str(), out->privacy.dropped);
    return kExitOk;
  });
}

int RunImport(const DevicesArgs& args, bool intune) {
  const char* what = intune ? "devices policy import-intune" : "devices policy import-apple";
  auto text = ReadInput(args.file);
  if (!text) {
    return Fail(what, text.error());
  }
  auto result = intune ? devices::ImportIntunePolicy(*text, args.file)
                       : devices::ImportApplePasscode(*text, args.file);
  if (!result) {
    return Fail(what, result.error());
  }
  if (args.json) {
    std::printf("%s\n", devices::ImportJson(*result).c_str());
    return kExitOk;
  }
  std::printf("%s", devices::PolicyToYaml(result->policy).c_str());
  for (const auto& u : result->unmapped) {
    std::fprintf(stderr, "custos: %s: not mapped: %s\n", args.file.c_str(), u.c_str());
  }
  return kExitOk;
}

CLI::App* WithDevice(CLI::App* cmd, DevicesArgs* args) {
  cmd->add_option("device", args->device, "The device id (`custos devices list`)")->required();
  return cmd;
}

}  // namespace

void RegisterDevicesCommand(CLI::App& root, int* exit_code) {
  CLI::App* dev = root.add_subcommand("devices", "Device posture, compliance, lost and stolen");
  dev->require_subcommand(1);
  auto args = std::make_shared<DevicesArgs>();
  auto common = [&](CLI::App* cmd, bool actor) {
    AddDataOption(cmd, &args->data_dir);
    cmd->add_flag("--json", args->json, "Print JSON");
    if (actor) {
      cmd->add_option("--actor", args->actor, "Who acts, kept in the records")->type_name("WHO");
    }
    return cmd;
  };
  CLI::App* enroll = common(dev->add_subcommand("enroll", "Enroll a device"), true);
  enroll
      ->add_option("--person", args->person,
                   "The employee: an e-mail, phone or handle of a directory person")
      ->required();
  enroll->add_option("--platform", args->platform, "ios | ipados | android")->required();
  enroll->add_option("--ownership", args->ownership, "corporate | personal")->required();
  enroll->add_option("--mdm-id", args->mdm_id, "NanoMDM enrollment id (UDID or EnrollmentID)");
  enroll->add_flag("--unlisted", args->unlisted,
                   "Enroll to a person who is not in the identity directory (this one identity "
                   "only; warns)");
  enroll->callback([args, exit_code] { *exit_code = RunEnroll(*args); });
  CLI::App* list = common(dev->add_subcommand("list", "List devices"), false);
  list->add_option("--person", args->person, "Only this employee's devices");
  list->callback([args, exit_code] { *exit_code = RunList(*args); });
  CLI::App* show = common(WithDevice(dev->add_subcommand("show", "One device"), args.get()), false);
  show->callback([args, exit_code] { *exit_code = RunShow(*args); });
  for (const char* verb : {"report-lost", "found", "confirm-stolen", "approve-wipe"}) {
    CLI::App* cmd =
        common(WithDevice(dev->add_subcommand(verb, "Lost/stolen workflow"), args.get()), true);
    const std::string v = verb;
    cmd->callback([args, exit_code, v] { *exit_code = RunLost(*args, v); });
  }
  CLI::App* commands =
      common(WithDevice(dev->add_subcommand("commands", "A device's commands"), args.get()), false);
  commands->callback([args, exit_code] { *exit_code = RunCommands(*args); });
  CLI::App* report = common(dev->add_subcommand("report", "Compliance summary (JSON)"), false);
  report->callback([args, exit_code] { *exit_code = RunReport(*args); });
  CLI::App* posture =
      common(WithDevice(dev->add_subcommand("posture", "Submit a posture report file"), args.get()),
             false);
  posture->add_option("file", args->file, "Posture report JSON (- for stdin)")->required();
  posture->callback([args, exit_code] { *exit_code = RunPosture(*args); });
  RegisterDevicesSimulate(dev, exit_code);
  CLI::App* policy = dev->add_subcommand("policy", "Import existing device policies");
  policy->require_subcommand(1);
  CLI::App* intune =
      policy->add_subcommand("import-intune", "Intune compliance policy JSON -> device rules");
  CLI::App* apple =
      policy->add_subcommand("import-apple", "Apple passcode payload -> device rules");
  for (CLI::App* cmd : {intune, apple}) {
    cmd->add_option("file", args->file, "The file to import")->required();
    cmd->add_flag("--json", args->json, "Print JSON with mapped and unmapped settings");
  }
  intune->callback([args, exit_code] { *exit_code = RunImport(*args, true); });
  apple->callback([args, exit_code] { *exit_code = RunImport(*args, false); });
}

}  // namespace custos::cli
