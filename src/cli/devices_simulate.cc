// SPDX-License-Identifier: Apache-2.0
#include "cli/devices_simulate.h"

#include <algorithm>
#include <array>
#include <cstdio>
#include <fstream>
#include <random>
#include <sstream>
#include <utility>
#include <vector>

#include <httplib.h>
#include <nlohmann/json.hpp>

#include "cli/common.h"
#include "cli/exit_codes.h"
#include "core/text.h"
#include "core/time.h"
#include "http/server.h"

namespace custos::cli {
namespace {

using nlohmann::json;

constexpr std::array<const char*, 12> kPeople = {
    "anna.keller", "ben.okafor", "chloe.martin", "david.nguyen", "elena.rossi", "farid.haddad",
    "grace.liu",   "hugo.berg",  "ines.silva",   "jonas.weber",  "kara.smith",  "liam.oconnor"};

// The kinds of device the simulation produces, with their weights (percent).
struct Profile {
  const char* name;
  int weight;
};

// Most devices are well configured; some are in grace (a medium finding or a stale report), a
// few are restricted or blocked (encryption off, rooted, a blocked app) and a few are lost.
constexpr std::array<Profile, 9> kProfiles = {{{"compliant", 63},
                                               {"outdated_os", 7},
                                               {"weak_passcode", 6},
                                               {"old_client", 4},
                                               {"stale", 4},
                                               {"no_encryption", 4},
                                               {"compromised", 3},
                                               {"blocked_app", 2},
                                               {"lost", 7}}};

// The profiles of `count` devices: each profile's share of kProfiles (largest remainder, so
// the counts add up to `count`), dealt in an order shuffled by `rng`. Every fleet is the
// realistic mix whatever the seed (drawing each device's profile independently gave, for some
// seeds, a fifth of the fleet lost); the seed decides which device gets which profile.
std::vector<const char*> DealProfiles(int count, std::mt19937_64& rng) {
  std::vector<const char*> deck;
  deck.reserve(static_cast<std::size_t>(count));
  std::vector<std::pair<int, std::size_t>> remainders;  // (share remainder, profile index)
  for (std::size_t k = 0; k < kProfiles.size(); ++k) {
    const long long exact = static_cast<long long>(count) * kProfiles[k].weight;
    deck.insert(deck.end(), static_cast<std::size_t>(exact / 100), kProfiles[k].name);
    remainders.emplace_back(static_cast<int>(exact % 100), k);
  }
  std::stable_sort(remainders.begin(), remainders.end(),
                   [](const auto& a, const auto& b) { return a.first > b.first; });
  for (std::size_t j = 0; deck.size() < static_cast<std::size_t>(count) && j < remainders.size();
       ++j) {
    deck.push_back(kProfiles[remainders[j].second].name);
  }
  while (deck.size() < static_cast<std::size_t>(count)) {
    deck.push_back("compliant");  // unreachable while the weights add up to 100
  }
  std::shuffle(deck.begin(), deck.end(), rng);
  return deck;
}

// A posture report of the agent format (docs/devices.md) for `profile`. `check` is the
// blocked-app list the server published at check-in: the agent answers which of them are
// installed, never its inventory.
json Report(const std::string& platform, bool personal, const std::string& profile,
            const json& check, std::mt19937_64& rng, core::Micros now) {
  const bool android = platform == "android";
  const core::Micros day = 24LL * 3600 * core::kMicrosPerSecond;
  const core::Micros collected = profile == "stale" ? now - 10 * day : now - 5 * 60'000'000LL;
  json r = {{"schema_version", "1.0"},
            {"report_id", "sim-" + std::to_string(rng() % 1'000'000'000)},
            {"source", "agent"},
            {"collected_at", core::FormatRfc3339(collected)}};
  json os = {{"update_status", "up_to_date"}};
  if (android) {
    os["version"] = profile == "outdated_os" ? "11" : "14";
    os["api_level"] = profile == "outdated_os" ? 30 : 34;
    os["security_patch_level"] =
        core::FormatRfc3339(now - (profile == "outdated_os" ? 200 : 20) * day).substr(0, 10);
  } else {
    os["version"] = profile == "outdated_os" ? "15.7" : "17.5";
  }
  r["os"] = os;
  r["integrity"] = {{"posture", profile == "compromised" ? "compromised" : "secure"},
                    {"attestation", "hardware"},
                    {"dev_mode", false},
                    {"adb", false},
                    {"unknown_sources", false},
                    {"verify_apps", true}};
  r["encryption"] = {{"enabled", profile != "no_encryption"}};
  const bool weak = profile == "weak_passcode";
  r["passcode"] = {{"present", true},
                   {"applied",
                    {{"min_length", weak ? 4 : 6},
                     {"quality", weak ? "numeric" : "numeric_complex"},
                     {"max_inactivity_min", weak ? 15 : 5},
                     {"max_failed_attempts", 10}}}};
  r["biometric"] = {{"allowed", true}};
  json present = json::array();
  if (profile == "blocked_app" && check.is_array() && !check.empty()) {
    present.push_back(check[rng() % check.size()]);
  }
  r["apps"] = {
      {"messaging_client",
       {{"id", "com.custos.messenger"}, {"version", profile == "old_client" ? "1.4.2" : "2.3.0"}}},
      {"blocklist_check",
       {{"checked", check.is_array() ? check : json::array()}, {"present", present}}}};
  if (!personal) {
    r["vpn"] = {{"always_on", true}};  // the company VPN profile of a corporate device
  }
  r["management"] = {{"enrolled", true}, {"last_checkin", core::FormatRfc3339(collected)}};
  r["threat"] = {{"level", profile == "compromised" ? "high" : "secured"}};
  // What a careless agent would send; the privacy filter drops it for personal devices.
  r["location"] = {{"lat", 51.5 + static_cast<double>(rng() % 1000) / 10000.0},
                   {"lon", -0.12},
                   {"accuracy", 25.0}};
  r["hardware"] = {{"serial", "SIM" + std::to_string(rng() % 100'000'000)}};
  if (personal) {
    r["apps"]["all"] = json::array({{{"id", "com.example.game"}, {"version", "1.0"}}});
  }
  return r;
}

core::Result<json> Call(httplib::Client& client, const std::string& method, const std::string& path,
                        const std::string& bearer, const json& body, int expect) {
  httplib::Headers headers = {{"Authorization", "Bearer " + bearer}};
  auto res = method == "GET" ? client.Get(path, headers)
                             : client.Post(path, headers, body.dump(), "application/json");
  if (!res) {
    return core::Unavailable(method + " " + path + ": " + httplib::to_string(res.error()));
  }
  if (res->status != expect) {
    return core::FailedPrecondition(method + " " + path + ": HTTP " + std::to_string(res->status) +
                                    ": " + res->body);
  }
  try {
    return json::parse(res->body);
  } catch (const json::exception&) {
    return core::DataLoss(method + " " + path + ": the answer is not JSON");
  }
}

core::Result<std::string> ReadAdminToken(const std::string& data_dir) {
  const std::string path =
      (data_dir.empty() ? std::string(kDefaultDataDir) : data_dir) + "/admin-token";
  std::ifstream in(path);
  std::string token;
  if (!(in >> token)) {
    return core::InvalidArgument(
        "--token: no admin token given and none readable in " + path +
        " (give --token TOKEN, or --data DIR of the server, whose DIR/admin-token is read)");
  }
  return token;
}

}  // namespace

core::Result<SimulateSummary> SimulateDevices(const std::string& base_url, const std::string& token,
                                              int count, std::uint64_t seed) {
  if (count < 1 || count > 100'000) {
    return core::InvalidArgument("--count: expected 1..100000");
  }
  httplib::Client client(base_url);
  client.set_read_timeout(30);
  std::mt19937_64 rng(seed);
  const core::Micros now = core::SystemClock().Now();
  SimulateSummary out;
  const std::vector<const char*> profiles = DealProfiles(count, rng);
  for (int i = 0; i < count; ++i) {
    const std::string person = std::string(kPeople[rng() % kPeople.size()]) + "@example.com";
    const std::string platform = rng() % 100 < 55 ? (rng() % 5 == 0 ? "ipados" : "ios") : "android";
    const bool personal = rng() % 100 < 40;
    const std::string profile = profiles[static_cast<std::size_t>(i)];
    ASSIGN_OR_RETURN(json e, Call(client, "POST", "/api/v1/devices", token,
                                  {{"person", person},
                                   {"platform", platform},
                                   {"ownership", personal ? "personal" : "corporate"},
                                   // simulated people need not be in the directory
                                   {"unlisted", true}},
                                  201));
    ASSIGN_OR_RETURN(json cred, Call(client, "POST", "/api/v1/device/enroll", "",
                                     {{"enrollment_token", e["enrollment_token"]}}, 201));
    ++out.enrolled;
    const std::string credential = cred.value("credential", "");
    // As the agent does: check in first, learn the blocked-app list, then report.
    ASSIGN_OR_RETURN(json checkin, Call(client, "POST", "/api/v1/device/checkin", credential,
                                        json::object(), 200));
    const json check = checkin.value("check_blocked_apps", json::array());
    ASSIGN_OR_RETURN(json posture, Call(client, "POST", "/api/v1/device/posture", credential,
                                        Report(platform, personal, profile, check, rng, now), 200));
    ++out.reports;
    out.privacy_dropped += posture.value("privacy_dropped", 0);
    ++out.by_profile[profile];
    if (profile == "lost") {
      const std::string id = e.value("device_id", "");
      ASSIGN_OR_RETURN(json lost, Call(client, "POST", "/api/v1/devices/" + id + "/report-lost",
                                       token, json::object(), 200));
      (void)lost;
      ++out.reported_lost;
    }
  }
  ASSIGN_OR_RETURN(json report, Call(client, "GET", "/api/v1/compliance/devices", token, {}, 200));
  out.report_json = report.dump();
  return out;
}

core::Result<SimulateSummary> RunSimulation(const SimulateOptions& o) {
  if (!o.url.empty()) {
    // The server's data directory need not be opened (the server holds it): only its
    // admin-token file is read.
    std::string token = o.token;
    if (token.empty()) {
      ASSIGN_OR_RETURN(token, ReadAdminToken(o.data_dir));
    }
    return SimulateDevices(o.url, token, o.count, o.seed);
  }
  ASSIGN_OR_RETURN(auto custos, OpenData(o.data_dir, /*read_only=*/false));
  ASSIGN_OR_RETURN(auto bootstrap, custos->BootstrapAdminToken());
  std::string token = o.token;
  if (token.empty()) {
    if (bootstrap) {
      token = bootstrap->token;
    } else {
      ASSIGN_OR_RETURN(token, ReadAdminToken(o.data_dir));
    }
  }
  http::Server server(custos.get());
  http::ServerOptions options;
  options.port = 0;
  options.worker_threads = 4;
  RETURN_IF_ERROR(server.Start(options));
  auto summary =
      SimulateDevices("http://127.0.0.1:" + std::to_string(server.port()), token, o.count, o.seed);
  server.Stop();
  return summary;
}

void RegisterDevicesSimulate(CLI::App* devices, int* exit_code) {
  auto o = std::make_shared<SimulateOptions>();
  auto json_out = std::make_shared<bool>(false);
  CLI::App* cmd = devices->add_subcommand(
      "simulate", "Simulated devices and posture reports through the HTTP API");
  AddDataOption(cmd, &o->data_dir);
  cmd->add_option("--count", o->count, "How many devices (default 20)");
  cmd->add_option("--seed", o->seed, "Random seed (default 1)");
  cmd->add_option("--url", o->url, "A running server (else DIR is served in-process)");
  cmd->add_option(
      "--token", o->token,
      "Admin API token (default: read from DIR/admin-token of --data, also with --url)");
  cmd->add_flag("--json", *json_out, "Print the summary as JSON");
  cmd->callback([o, json_out, exit_code] {
    auto s = RunSimulation(*o);
    if (!s) {
      *exit_code = Fail("devices simulate", s.error());
      return;
    }
    if (*json_out) {
      std::printf("%s\n", json{{"enrolled", s->enrolled},
                               {"reports", s->reports},
                               {"reported_lost", s->reported_lost},
                               {"privacy_dropped", s->privacy_dropped},
                               {"profiles", s->by_profile},
                               {"compliance", json::parse(s->report_json)}}
                              .dump()
                              .c_str());
    } else {
      std::printf(
          "simulated %d devices (%d posture reports, %d reported lost, %d values dropped "
          "by the privacy filter)\ncompliance: %s\n",
          s->enrolled, s->reports, s->reported_lost, s->privacy_dropped, s->report_json.c_str());
    }
    *exit_code = kExitOk;
  });
}

}  // namespace custos::cli
