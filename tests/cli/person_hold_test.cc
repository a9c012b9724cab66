// SPDX-License-Identifier: Apache-2.0
// Issue 13 item 7 through the real binary: a hold on a person resolves through the identity
// directory (seeded by `custos demo seed`) to every identity of that person, reports how many
// messages it covers, refuses a person it cannot resolve, holds a raw identity only when asked
// to (--identity, normalised), and retention honours it (docs/retention.md).
#include <algorithm>
#include <cstdint>
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

// A demo client: WhatsApp and SMS with her adviser (src/capture/internal/demo_cast.cc).
constexpr const char* kName = "Aisha Rahman";
constexpr const char* kPhone = "+447700900519";
constexpr const char* kEmail = "aisha.rahman@mail.example";

// Every demo message has expired under this class (the demo ends before this week).
constexpr const char* kEverythingExpires = R"(retention:
  schedule: "off"
  classes:
    - name: chat-1d
      period: 1d
      legal_basis: "test: one day"
      channels: [whatsapp, sms, telegram, slack]
)";

class PersonHold : public ::testing::Test {
 protected:
  void SetUp() override { data_ = CopyDemoData(dir_); }

  RunResult Run(std::vector<std::string> args) const {
    args.push_back("--data");
    args.push_back(data_);
    return RunCustos(args);
  }

  json Json(const std::vector<std::string>& args) const {
    const RunResult r = Run(args);
    EXPECT_EQ(r.exit_code, 0) << r.err;
    return json::parse(r.out, nullptr, false);
  }

  json Hold(const std::string& name, const std::string& person) const {
    return Json({"hold", "create", "--name", name, "--person", person, "--json"});
  }

  TempDir dir_;
  std::string data_;
};

TEST_F(PersonHold, APersonTheDirectoryDoesNotKnowIsRefused) {
  const std::int64_t records = QueryInt(data_, "SELECT COUNT(*) FROM records");
  for (const std::string& person :
       {std::string("Aisha Rahmann"), std::string("+44 7700 900999"),
        std::string("447700900999@s.whatsapp.net"), std::string("nobody@nowhere.example")}) {
    const RunResult r = Run({"hold", "create", "--name", "M", "--person", person});
    EXPECT_NE(r.exit_code, 0) << person << ": " << r.out;
    EXPECT_NE(r.err.find(person), std::string::npos) << r.err;
    EXPECT_NE(r.err.find("directory"), std::string::npos) << r.err;
    EXPECT_NE(r.err.find("--identity"), std::string::npos) << r.err;
    EXPECT_EQ(r.out, "");
  }
  // Raw identities that are no phone number, e-mail address, WhatsApp ID or handle.
  for (const std::string& identity :
       {std::string("Aisha Rahman"), std::string("+44 7700 12"), std::string("group@g.us"),
        std::string("120363025@g.us"), std::string("anna@")}) {
    const RunResult r = Run({"hold", "create", "--name", "M", "--identity", identity});
    EXPECT_NE(r.exit_code, 0) << identity << ": " << r.out;
    EXPECT_NE(r.err.find(identity), std::string::npos) << r.err;
  }
  EXPECT_TRUE(Json({"hold", "list", "--json"})["items"].empty());
  EXPECT_EQ(QueryInt(data_, "SELECT COUNT(*) FROM records"), records);
}

TEST_F(PersonHold, ByNameOrAnyIdentityItIsTheSamePersonWithEveryIdentity) {
  const json by_name = Hold("by name", kName);
  EXPECT_EQ(by_name["scope"], "person");
  EXPECT_EQ(by_name["person"], kName);
  EXPECT_EQ(by_name["person_name"], kName);
  ASSERT_GT(by_name["person_id"].get<std::int64_t>(), 0) << by_name;
  const auto& ids = by_name["identities"];
  EXPECT_NE(std::find(ids.begin(), ids.end(), kPhone), ids.end()) << by_name;
  EXPECT_NE(std::find(ids.begin(), ids.end(), kEmail), ids.end()) << by_name;
  const std::int64_t covers = by_name["covers"];
  EXPECT_GT(covers, 0) << by_name;

  for (const std::string& other :
       {std::string("07700 900519"), std::string("+44 (0)7700-900519"),
        std::string("447700900519@s.whatsapp.net"), std::string("AISHA.RAHMAN@mail.example"),
        std::string("aisha rahman")}) {
    const json h = Hold("by " + other, other);
    EXPECT_EQ(h["person_id"], by_name["person_id"]) << other << ": " << h;
    EXPECT_EQ(h["person_name"], kName) << other;
    EXPECT_EQ(h["covers"], covers) << other;
  }
  // The text output says what the hold covers.
  const RunResult text = Run({"hold", "create", "--name", "text", "--person", "07700900519"});
  ASSERT_EQ(text.exit_code, 0) << text.err;
  EXPECT_NE(text.out.find("covers " + std::to_string(covers) + " messages"), std::string::npos)
      << text.out;
  EXPECT_NE(text.out.find(kName), std::string::npos) << text.out;
  const RunResult list = Run({"hold", "list"});
  EXPECT_NE(list.out.find("covers " + std::to_string(covers) + " messages"), std::string::npos)
      << list.out;
}

TEST_F(PersonHold, ARawIdentityIsHeldNormalisedOnlyWhenAskedFor) {
  const json h = Json({"hold", "create", "--name", "raw", "--identity", "07700 900999",
                       "--identity", "Someone@Example.COM", "--json"});
  EXPECT_EQ(h["scope"], "person");
  EXPECT_EQ(h["person"], "+447700900999");
  EXPECT_FALSE(h.contains("person_id")) << h;
  EXPECT_EQ(h["identities"], json::array({"+447700900999", "someone@example.com"}));
  EXPECT_EQ(h["covers"], 0);
  // A raw identity a directory person has brings in all of theirs.
  const json known = Json(
      {"hold", "create", "--name", "known", "--identity", "447700900519@s.whatsapp.net", "--json"});
  EXPECT_EQ(known["person_name"], kName) << known;
  EXPECT_GT(known["covers"].get<std::int64_t>(), 0);
}

TEST_F(PersonHold, RetentionDisposesOfEverythingButThePersonsMessages) {
  WriteFile(data_ + "/custos.yaml", kEverythingExpires);
  const std::int64_t all = Json({"retention", "run", "--dry-run", "--json"})["count"];
  ASSERT_GT(all, 0);
  // Held by a spelling of her phone number that no message carries.
  const json hold = Hold("Matter 9", "+44 7700 900519");
  const std::int64_t covers = hold["covers"];
  ASSERT_GT(covers, 0);
  const json dry = Json({"retention", "run", "--dry-run", "--json"});
  EXPECT_EQ(dry["count"].get<std::int64_t>(), all - covers) << dry["count"];

  const json run = Json({"retention", "run", "--json"});
  EXPECT_EQ(run["count"], dry["count"]);
  // Her messages are all still there; nothing else is.
  EXPECT_EQ(QueryInt(data_,
                     "SELECT COUNT(*) FROM messages m JOIN records r ON r.id ="
                     " m.record_id WHERE r.payload IS NOT NULL"),
            covers);
  const json list = Json({"hold", "list", "--json"});
  ASSERT_EQ(list["items"].size(), 1U);
  EXPECT_EQ(list["items"][0]["covers"], covers);

  // Released, they go at the next run.
  Json({"hold", "release", std::to_string(hold["id"].get<std::int64_t>())});
  EXPECT_EQ(Json({"retention", "run", "--json"})["count"], covers);
  EXPECT_EQ(Json({"hold", "list", "--json"})["items"][0]["covers"], 0);
}

}  // namespace
}  // namespace custos::testing
