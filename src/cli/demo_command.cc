// SPDX-License-Identifier: Apache-2.0
// `custos demo seed`: ingests the deterministic demo data set (capture/demo.h). Seeding twice
// stores nothing new: every message is reported as a duplicate.
#include <cstdio>
#include <future>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include "capture/demo.h"
#include "cli/commands.h"
#include "cli/common.h"
#include "cli/devices_simulate.h"
#include "cli/exit_codes.h"

namespace custos::cli {
namespace {

constexpr std::size_t kChunk = 1000;

struct DemoArgs {
  std::string data_dir;
  bool json = false;
  int devices = 0;  // simulated devices sent through the HTTP API (docs/devices.md)
};

int RunSeed(const DemoArgs& args) {
  auto custos = OpenData(args.data_dir, /*read_only=*/false);
  if (!custos.has_value()) {
    return Fail("demo seed", custos.error());
  }
  capture::DemoData data = capture::GenerateDemoData();
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
  }
  if (rejected > 0) {
    return Fail("demo seed", core::Internal("a demo message was not stored: " + first_error));
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
      "Telegram and Slack over six weeks (deterministic; seeding twice stores nothing new)");
  AddDataOption(seed, &args->data_dir);
  seed->add_flag("--json", args->json, "Print the counts as JSON");
  seed->add_option("--devices", args->devices,
                   "Also simulate N devices with posture reports through the HTTP API "
                   "(`custos devices simulate`; added on every run)");
  seed->callback([args, exit_code] { *exit_code = RunSeed(*args); });
}

}  // namespace custos::cli
