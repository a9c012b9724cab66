// SPDX-License-Identifier: Apache-2.0
// `custos demo seed`: ingests the demo data set (capture/demo.h), dated relative to today
// (deterministic for the week and the seed), puts its people and their identities into the
// identity directory (employees, and clients as external people), and enrolls a device for each
// employee through the devices service (enroll + posture): most compliant, a few in grace or
// non-compliant, one reported lost. Seeding twice in a week stores nothing new: every message
// is reported as a duplicate, people are updated in place, and employees who have a device
// enrolled get no second one.
#include <algorithm>
#include <cstdio>
#include <future>
#include <iterator>
#include <memory>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "capture/demo.h"
#include "cli/commands.h"
#include "cli/common.h"
#include "cli/devices_simulate.h"
#include "cli/exit_codes.h"
#include "core/fs.h"
#include "core/time.h"
#include "devices/service.h"
#include "directory/people_file.h"

namespace custos::cli {
namespace {

constexpr std::size_t kChunk = 1000;

struct DemoArgs {
  std::string data_dir;
  bool json = false;
  int devices = 0;    // simulated devices sent through the HTTP API (docs/devices.md)
  std::string as_of;  // YYYY-MM-DD or RFC 3339; empty: now
  std::uint64_t seed = capture::kDefaultDemoSeed;
};

// The directory entries of the demo's people: employees, and clients as external people.
std::vector<directory::PersonEntry> DirectoryEntries(const capture::DemoData& data) {
  std::vector<directory::PersonEntry> out;
  for (const model::Person& p : data.people) {
    directory::PersonEntry e;
    e.name = p.display_name;
    e.group = p.group;
    e.employee = p.employee;
    for (const model::Identity& id : p.identities) {
      if (id.handle.empty()) {
        continue;
      }
      if (id.kind == "email") {
        e.emails.push_back(id.handle);
      } else if (id.kind == "phone") {
        e.phones.push_back(id.handle);
      } else {
        e.handles.push_back(id.handle);
      }
    }
    e.where = "demo: " + p.display_name;
    out.push_back(std::move(e));
  }
  return out;
}

// The posture kinds of the demo's devices, one per employee in order (rotated by the seed):
// most compliant, two in grace (an old OS, an old messaging app), one non-compliant (encryption
// off), one reported lost.
constexpr const char* kDeviceProfiles[] = {"compliant", "compliant", "outdated_os",   "compliant",
                                           "compliant", "lost",      "compliant",     "old_client",
                                           "compliant", "compliant", "no_encryption", "compliant"};

devices::PostureReport DemoPosture(const std::string& profile, bool android, bool personal,
                                   core::Micros now, std::size_t n) {
  devices::PostureReport r;
  r.report_id = "demo-" + std::to_string(n) + "-" + std::to_string(now / core::kMicrosPerSecond);
  r.platform = android ? devices::Platform::kAndroid : devices::Platform::kIos;
  r.ownership = personal ? devices::Ownership::kPersonal : devices::Ownership::kCorporate;
  r.privacy_tier = personal ? devices::PrivacyTier::kByod : devices::PrivacyTier::kCorporate;
  // Corporate devices report through their MDM (Apple MDM, Android Management API); personal
  // ones through the messaging app's agent, attested.
  r.source = personal  ? devices::Source::kAgent
             : android ? devices::Source::kAmapi
                       : devices::Source::kAppleMdm;
  r.management_mode = personal ? (android ? "work_profile" : "user_enrollment")
                               : (android ? "fully_managed" : "supervised");
  r.collected_at = now - 5 * 60 * core::kMicrosPerSecond;
  const bool old_os = profile == "outdated_os";
  if (android) {
    r.os_version = old_os ? "11" : "14";
    r.api_level = old_os ? 30 : 34;
    r.security_patch_level =
        core::FormatRfc3339(now - (old_os ? 200 : 20) * 86'400 * core::kMicrosPerSecond)
            .substr(0, 10);
  } else {
    r.os_version = old_os ? "15.7" : "17.5";
  }
  r.update_status = "up_to_date";
  r.integrity = devices::IntegrityPosture::kSecure;
  r.attestation = devices::Attestation::kHardware;
  if (android) {
    r.dev_mode = devices::Tri::kFalse;
    r.adb = devices::Tri::kFalse;
    r.unknown_sources = devices::Tri::kFalse;
    r.verify_apps = devices::Tri::kTrue;
  }
  r.encryption_enabled = profile == "no_encryption" ? devices::Tri::kFalse : devices::Tri::kTrue;
  r.passcode_present = devices::Tri::kTrue;
  r.passcode.min_length = 6;
  r.passcode.quality = "numeric_complex";
  r.passcode.max_inactivity_min = 5;
  r.passcode.max_failed_attempts = 10;
  r.biometric_allowed = devices::Tri::kTrue;
  r.vpn_always_on = personal ? devices::Tri::kUnknown : devices::Tri::kTrue;
  r.messaging_client =
      devices::AppInfo{"com.custos.messenger", profile == "old_client" ? "1.4.2" : "2.3.0"};
  if (!personal) {
    r.apps_all = std::vector<devices::AppInfo>{{"com.custos.messenger", "2.3.0"},
                                               {"com.microsoft.Office.Outlook", "4.2410.0"}};
  }
  r.enrolled = devices::Tri::kTrue;
  r.supervised = personal ? devices::Tri::kFalse : devices::Tri::kTrue;
  r.last_checkin = r.collected_at;
  r.threat = devices::ThreatLevel::kSecured;
  return r;
}

struct DemoDevices {
  int enrolled = 0;
  int lost = 0;
  int already = 0;  // employees who had a device enrolled before
};

// Enrolls a device for each demo employee (by the phone number their messages come from) who has
// none yet, and reports its posture.
core::Result<DemoDevices> EnrollDemoDevices(app::Custos& custos, const capture::DemoData& data,
                                            std::uint64_t seed, core::Micros now) {
  DemoDevices out;
  std::size_t n = 0;
  for (const model::Person& p : data.people) {
    if (!p.employee) {
      continue;
    }
    const std::size_t index = n++;
    std::string phone;
    for (const model::Identity& id : p.identities) {
      if (id.kind == "phone") {
        phone = id.handle;
      }
    }
    if (phone.empty()) {
      continue;
    }
    ASSIGN_OR_RETURN(std::vector<devices::DeviceInfo> existing, custos.devices().List(phone));
    if (!existing.empty()) {
      ++out.already;
      continue;
    }
    const std::size_t kinds = std::size(kDeviceProfiles);
    const std::string profile = kDeviceProfiles[(index + seed) % kinds];
    const bool android = (index + seed / 7) % 3 == 1;
    const bool personal = index % 6 == 4;
    ASSIGN_OR_RETURN(
        devices::Enrollment e,
        custos.devices().Enroll(
            phone, android ? devices::Platform::kAndroid : devices::Platform::kIos,
            personal ? devices::Ownership::kPersonal : devices::Ownership::kCorporate, "demo"));
    // The demo plays the channels a real deployment has: the agent on personal phones, the
    // MDM (Apple MDM / Android Management API) on corporate ones.
    ASSIGN_OR_RETURN(
        devices::PostureOutcome posture,
        custos.devices().SubmitPosture(
            e.device_id, DemoPosture(profile, android, personal, now, index),
            personal ? devices::PostureChannel::kAgent : devices::PostureChannel::kMdm));
    (void)posture;
    ++out.enrolled;
    if (profile == "lost") {
      RETURN_IF_ERROR(custos.devices().ReportLost(e.device_id, "demo").status());
      ++out.lost;
    }
  }
  return out;
}

struct DemoUser {
  std::string login;
  std::string role;
  std::string password;  // generated, shown once
  std::string note;
};

// A user of each role a person may hold, for trying the dashboard and the API as each of them:
// the reviewer scoped to the first demo desk, the employee linked to that desk's first
// employee. Passwords are generated (app::GeneratePassword) and returned to be printed; a login
// that exists already (seeded before) is left as it is.
core::Result<std::vector<DemoUser>> AddDemoUsers(app::Custos& custos) {
  ASSIGN_OR_RETURN(const std::vector<directory::KnownPerson> people, custos.directory().People());
  const directory::KnownPerson* employee = nullptr;
  for (const directory::KnownPerson& p : people) {
    if (p.employee && !p.group.empty()) {
      employee = &p;
      break;
    }
  }

  struct Wanted {
    const char* login;
    const char* role;
  };

  static constexpr Wanted kWanted[] = {
      {"demo-admin", "admin"},
      {"demo-compliance", "compliance_officer"},
      {"demo-reviewer", "reviewer"},
      {"demo-auditor", "auditor"},
      {"demo-privacy", "privacy_officer"},
      {"demo-employee", "employee"},
  };
  std::vector<DemoUser> out;
  for (const Wanted& w : kWanted) {
    if (custos.users().FindByLogin(w.login).has_value()) {
      continue;
    }
    app::NewUserRequest request;
    request.login = w.login;
    request.roles = {w.role};
    DemoUser user{w.login, w.role, "", ""};
    if (std::string_view(w.role) == "reviewer" && employee != nullptr) {
      request.scope_groups = {employee->group};
      user.note = "scoped to the " + employee->group + " desk";
    }
    if (std::string_view(w.role) == "employee" && employee != nullptr) {
      request.person_id = employee->id;
      request.display_name = employee->name;
      user.note = employee->name + " of the " + employee->group + " desk";
    }
    ASSIGN_OR_RETURN(app::NewUser added, custos.users().Add(request, "cli:demo seed"));
    if (added.info.must_enrol_2fa ||
        app::SecondFactorRequired(custos.auth_settings(), added.info)) {
      user.note += std::string(user.note.empty() ? "" : "; ") +
                   "enrols a second factor (TOTP) at first login";
    }
    user.password = added.generated_password;
    out.push_back(std::move(user));
  }
  return out;
}

// The demo users as printed, and as kept in DIR/demo-users (mode 0600) for later runs.
std::string DemoUsersText(const std::vector<DemoUser>& users) {
  std::string out;
  for (const DemoUser& u : users) {
    out += "  " + u.login + std::string(u.login.size() < 17 ? 17 - u.login.size() : 1, ' ') +
           u.password + "  " + u.role + (u.note.empty() ? "" : " (" + u.note + ")") + "\n";
  }
  return out;
}

int RunSeed(const DemoArgs& args) {
  capture::DemoOptions options;
  options.seed = args.seed;
  options.as_of = core::SystemClock().Now();
  if (!args.as_of.empty()) {
    const std::string text = args.as_of.size() == 10 ? args.as_of + "T12:00:00Z" : args.as_of;
    auto parsed = core::ParseRfc3339(text);
    if (!parsed.has_value()) {
      return Fail("demo seed", core::InvalidArgument("--as-of \"" + args.as_of.substr(0, 40) +
                                                     "\" is not a date (YYYY-MM-DD) or an RFC "
                                                     "3339 time"));
    }
    options.as_of = *parsed;
  }
  auto custos = OpenData(args.data_dir, /*read_only=*/false);
  if (!custos.has_value()) {
    return Fail("demo seed", custos.error());
  }
  capture::DemoData data = capture::GenerateDemoData(options);
  std::set<std::string> conversations;
  for (const model::Message& m : data.messages) {
    conversations.insert(m.conversation);
  }
  std::vector<std::future<std::vector<app::IngestOutcome>>> pending;
  for (std::size_t at = 0; at < data.messages.size(); at += kChunk) {
    const std::size_t end = std::min(data.messages.size(), at + kChunk);
    std::vector<model::Message> chunk(
        std::make_move_iterator(data.messages.begin() + static_cast<std::ptrdiff_t>(at)),
        std::make_move_iterator(data.messages.begin() + static_cast<std::ptrdiff_t>(end)));
    // Demo history: verdicts are recorded, nothing is blocked.
    pending.push_back((*custos)->ingest().Submit(std::move(chunk), app::Enforcement::kRecordOnly));
  }
  long long imported = 0;
  long long duplicates = 0;
  long long rejected = 0;
  std::string first_error;
  for (auto& f : pending) {
    for (const app::IngestOutcome& o : f.get()) {
      imported += o.status == app::IngestStatus::kAccepted ? 1 : 0;
      duplicates += o.status == app::IngestStatus::kDuplicate ? 1 : 0;
      if (o.status == app::IngestStatus::kRejected || o.status == app::IngestStatus::kFailed) {
        ++rejected;
        if (first_error.empty()) {
          first_error = o.error;
        }
      }
    }
  }
  (*custos)->ingest().Shutdown();
  if (rejected > 0) {
    return Fail("demo seed", core::Internal("a demo message was not stored: " + first_error));
  }
  // The demo's people in the identity directory, then their devices (after the messages, so
  // the demo history is not gated by the lost device).
  auto people = (*custos)->directory().ImportPeople(DirectoryEntries(data));
  if (!people.has_value()) {
    return Fail("demo seed", people.error());
  }
  auto enrolled = EnrollDemoDevices(**custos, data, args.seed, core::SystemClock().Now());
  if (!enrolled.has_value()) {
    return Fail("demo seed", enrolled.error());
  }
  auto demo_users = AddDemoUsers(**custos);
  if (!demo_users.has_value()) {
    return Fail("demo seed: users", demo_users.error());
  }
  const std::string users_file = args.data_dir + "/demo-users";
  if (!demo_users->empty()) {
    const core::Status written = core::LocalFileSystem().WriteFileAtomic(
        users_file, "# custos demo users (demo only; log in at the server's URL)\n" +
                        DemoUsersText(*demo_users));
    if (!written.ok()) {
      return Fail("demo seed: " + users_file, written);
    }
  }
  if (args.devices > 0) {
    custos->reset();  // the simulation serves the data directory itself
    SimulateOptions sim;
    sim.count = args.devices;
    sim.data_dir = args.data_dir;
    auto simulated = RunSimulation(sim);
    if (!simulated) {
      return Fail("demo seed --devices", simulated.error());
    }
    std::printf("demo devices: %d enrolled through the API, %d reported lost\n",
                simulated->enrolled, simulated->reported_lost);
  }
  if (args.json) {
    std::printf("{\"imported\":%lld,\"duplicates\":%lld,\"rejected\":%lld}\n", imported, duplicates,
                rejected);
  } else {
    std::printf(
        "demo data: imported %lld, duplicates %lld, rejected %lld (%zu people, %zu "
        "conversations)\n",
        imported, duplicates, rejected, data.people.size(), conversations.size());
    const core::Micros first = data.messages.empty() ? 0 : data.messages.front().sent_at;
    const core::Micros last = data.messages.empty() ? 0 : data.messages.back().sent_at;
    std::printf("demo dates: %s to %s\n", core::FormatRfc3339(first).substr(0, 10).c_str(),
                core::FormatRfc3339(last).substr(0, 10).c_str());
    std::printf("demo directory: %lld people added, %lld updated, %lld identities\n",
                static_cast<long long>(people->added), static_cast<long long>(people->updated),
                static_cast<long long>(people->identities));
    std::printf("demo devices: %d enrolled (%d reported lost), %d employees had one already\n",
                enrolled->enrolled, enrolled->lost, enrolled->already);
    if (demo_users->empty()) {
      std::printf("demo users: added before (their passwords are in %s)\n", users_file.c_str());
    } else {
      std::printf("demo users (login, password, role; demo only, also in %s, mode 0600):\n%s",
                  users_file.c_str(), DemoUsersText(*demo_users).c_str());
    }
  }
  return kExitOk;
}

}  // namespace

void RegisterDemoCommand(CLI::App& root, int* exit_code) {
  CLI::App* demo = root.add_subcommand("demo", "Demo data");
  demo->require_subcommand(1);
  auto args = std::make_shared<DemoArgs>();
  CLI::App* seed = demo->add_subcommand(
      "seed",
      "Store the demo data set: a fictional firm's desks and clients on WhatsApp, SMS, "
      "Telegram and Slack over the six weeks before this week, their people in the identity "
      "directory and the employees' devices (deterministic for the week and the seed; seeding "
      "twice stores nothing new)");
  AddDataOption(seed, &args->data_dir);
  seed->add_flag("--json", args->json, "Print the counts as JSON");
  seed->add_option("--devices", args->devices,
                   "Also simulate N devices with posture reports through the HTTP API "
                   "(`custos devices simulate`; added on every run)");
  seed->add_option("--as-of", args->as_of,
                   "Date the demo as if today were DATE (YYYY-MM-DD; default: today)")
      ->type_name("DATE");
  seed->add_option("--seed", args->seed, "The generator's seed (same week and seed: same data)")
      ->type_name("N");
  seed->callback([args, exit_code] { *exit_code = RunSeed(*args); });
}

}  // namespace custos::cli
