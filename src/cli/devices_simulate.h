// SPDX-License-Identifier: Apache-2.0
// `custos devices simulate`: realistic devices and posture reports sent through the real HTTP
// API — the admin enrolls each device (POST /api/v1/devices), the "device" redeems its token
// (POST /api/v1/device/enroll), checks in (POST /api/v1/device/checkin: the blocked-app list)
// and reports its posture (POST /api/v1/device/posture) with the agent's answer to that list.
// Under the default policy most are compliant, some in grace (old OS, weak passcode, old
// client, stale), a few restricted or blocked (encryption off, rooted, a blocked app); personal
// devices send the location, hardware ids and app inventory the privacy filter must drop, and a
// few are reported lost (POST /api/v1/devices/{id}/report-lost). Deterministic for a seed.
// Thread-safety: one call at a time per process (it may start an in-process server).
#pragma once

#include <cstdint>
#include <map>
#include <string>

#include <CLI/CLI.hpp>

#include "core/status.h"

namespace custos::cli {

struct SimulateOptions {
  int count = 20;
  std::uint64_t seed = 1;
  std::string url;    // a running server; empty: serve `data_dir` in-process on 127.0.0.1:0
  std::string token;  // admin API token; empty: DIR/admin-token (also with `url`)
  std::string data_dir;
};

struct SimulateSummary {
  int enrolled = 0;
  int reports = 0;
  int reported_lost = 0;
  int privacy_dropped = 0;
  std::map<std::string, int> by_profile;  // compliant, outdated_os, no_encryption, ...
  std::string report_json;                // GET /api/v1/compliance/devices at the end
};

// Runs the simulation against `base_url` with `token`.
core::Result<SimulateSummary> SimulateDevices(const std::string& base_url, const std::string& token,
                                              int count, std::uint64_t seed);

// Runs it as the options say (starting an in-process server over options.data_dir when no URL
// is given).
core::Result<SimulateSummary> RunSimulation(const SimulateOptions& options);

void RegisterDevicesSimulate(CLI::App* devices, int* exit_code);

}  // namespace custos::cli
