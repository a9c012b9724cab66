// SPDX-License-Identifier: Apache-2.0
// Issue 13 item 18 through the real binary: the demo's people are in the identity directory,
// its senders' devices are enrolled (a realistic mix), and it is dated relative to today,
// deterministically for the date and the seed.
#include <cstdint>
#include <ctime>
#include <map>
#include <set>
#include <string>
#include <vector>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "custos_runner.h"
#include "demo_archive.h"
#include "testing/temp_dir.h"

namespace custos::testing {
namespace {

using nlohmann::json;

constexpr std::int64_t kDaySeconds = 86'400;

// YYYY-MM-DD of `seconds` since the epoch (UTC).
std::string Day(std::int64_t seconds) {
  const std::time_t t = seconds;
  std::tm tm{};
  gmtime_r(&t, &tm);
  char out[16];
  std::strftime(out, sizeof out, "%Y-%m-%d", &tm);
  return out;
}

json JsonOf(const RunResult& r) {
  EXPECT_EQ(r.exit_code, 0) << r.err;
  return json::parse(r.out, nullptr, false);
}

class DemoCoherence : public ::testing::Test {
 protected:
  void SetUp() override { data_ = CopyDemoData(dir_); }

  json Json(std::vector<std::string> args) const {
    args.push_back("--data");
    args.push_back(data_);
    return JsonOf(RunCustos(args));
  }

  TempDir dir_;
  std::string data_;
};

TEST_F(DemoCoherence, TheDirectoryHasTheDemoPeopleAndTheirIdentities) {
  const json people = Json({"directory", "list", "--json"})["people"];
  ASSERT_EQ(people.size(), 32U) << people;
  int employees = 0;
  std::set<std::string> identities;
  for (const json& p : people) {
    employees += p["employee"].get<bool>() ? 1 : 0;
    EXPECT_GE(p["identities"].size(), 3U) << p;
    for (const json& id : p["identities"]) {
      identities.insert(id.get<std::string>());
    }
  }
  EXPECT_EQ(employees, 12);
  // Every sender of the demo's messages is someone of the directory: the participants of each
  // conversation are hashed, so ask through a person hold by each of their identities.
  const json hold = Json({"hold", "create", "--name", "x", "--person", "Amelia Hart", "--json"});
  EXPECT_GT(hold["covers"].get<std::int64_t>(), 0) << hold;
  EXPECT_TRUE(identities.count("amelia.hart@northbridge.example") > 0);
}

TEST_F(DemoCoherence, TheEmployeesWhoSendMessagesHaveDevicesInARealisticMix) {
  const json devices = Json({"devices", "list", "--json"})["items"];
  ASSERT_EQ(devices.size(), 12U) << devices;
  std::map<std::string, int> by_state;
  std::set<std::string> persons;
  int lost = 0;
  for (const json& d : devices) {
    ++by_state[d["state"].get<std::string>()];
    persons.insert(d["person"].get<std::string>());
    lost += d["lost_state"] != "active" ? 1 : 0;
    EXPECT_FALSE(d["posture_at"].is_null()) << d;
  }
  EXPECT_EQ(persons.size(), 12U);
  EXPECT_EQ(lost, 1) << devices;
  EXPECT_GE(by_state.size(), 2U) << devices;
  // Each device's person is an employee of the directory whose messages are in the archive.
  const json people = Json({"directory", "list", "--json"})["people"];
  for (const std::string& person : persons) {
    bool found = false;
    for (const json& p : people) {
      for (const json& id : p["identities"]) {
        found = found || (id == person && p["employee"].get<bool>());
      }
    }
    EXPECT_TRUE(found) << person;
    const json hold =
        Json({"hold", "create", "--name", "h " + person, "--person", person, "--json"});
    EXPECT_GT(hold["covers"].get<std::int64_t>(), 0) << person;
  }
}

TEST_F(DemoCoherence, TheDemoIsRecentAndNothingIsInTheFuture) {
  const std::int64_t now = std::time(nullptr);
  const json recent = Json({"search", "after:" + Day(now - 30 * kDaySeconds), "--json"});
  EXPECT_FALSE(recent["results"].empty()) << "nothing in the last 30 days";
  const json future = Json({"search", "after:" + Day(now + kDaySeconds), "--json"});
  EXPECT_TRUE(future["results"].empty()) << future;
}

TEST(DemoDates, TheSameDateAndSeedGiveTheSameDataAndAnotherDateShiftsIt) {
  TempDir dir;
  auto seeded = [&](const std::string& name, const std::string& as_of, const std::string& seed) {
    const std::string data = dir.File(name);
    const RunResult r =
        RunCustos({"demo", "seed", "--data", data, "--as-of", as_of, "--seed", seed});
    EXPECT_EQ(r.exit_code, 0) << r.err;
    EXPECT_NE(r.out.find("demo data: imported "), std::string::npos) << r.out;
    EXPECT_NE(r.out.find(", duplicates 0, rejected 0 (32 people, "), std::string::npos) << r.out;
    const RunResult exported = RunCustos({"export", "jsonl", "--data", data});
    EXPECT_EQ(exported.exit_code, 0) << exported.err;
    return exported.out;
  };
  const std::string a = seeded("a", "2027-03-10", "7");
  const std::string b = seeded("b", "2027-03-10", "7");
  EXPECT_EQ(a, b);
  EXPECT_NE(a.find("\"sent_at\":\"2027-02-"), std::string::npos);
  EXPECT_EQ(a.find("\"sent_at\":\"2027-03-1"), std::string::npos);  // nothing after the date
  const std::string c = seeded("c", "2027-05-10", "7");
  EXPECT_NE(a, c);
  EXPECT_NE(c.find("\"sent_at\":\"2027-04-"), std::string::npos);
  EXPECT_EQ(c.find("\"sent_at\":\"2027-02-"), std::string::npos);
  // A bad date is an error naming it.
  const RunResult bad =
      RunCustos({"demo", "seed", "--data", dir.File("d"), "--as-of", "yesterday"});
  EXPECT_NE(bad.exit_code, 0);
  EXPECT_NE(bad.err.find("yesterday"), std::string::npos) << bad.err;
}

}  // namespace
}  // namespace custos::testing
