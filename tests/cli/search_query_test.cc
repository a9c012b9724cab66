// SPDX-License-Identifier: Apache-2.0
// `custos search`, `custos verdicts list` and `custos record history --json` through the real
// binary (issue 13, items 15 and 16): a query the language does not understand is a usage error
// naming the offending part (exit 64), never "no matches" with exit 0; negation, prefixes, OR,
// to:, direction: and the verdict filters select what they say.
#include <algorithm>
#include <map>
#include <string>
#include <vector>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "cli/custos_runner.h"
#include "testing/temp_dir.h"

namespace custos::testing {
namespace {

using nlohmann::json;

constexpr int kExitUsage = 64;

std::string Line(const std::string& id, const std::string& channel, const std::string& conv,
                 const std::string& from, const std::string& to, const std::string& direction,
                 const std::string& text, const std::string& sent_at) {
  return json{{"source", "cli"},    {"source_id", id},
              {"channel", channel}, {"conversation", conv},
              {"from", from},       {"to", {to}},
              {"sent_at", sent_at}, {"direction", direction},
              {"text", text},       {"attachments", json::array()}}
      .dump();
}

class SearchCli : public ::testing::Test {
 protected:
  void SetUp() override {
    data_ = dir_.Path() + "/data";
    const std::string file = dir_.Path() + "/messages.jsonl";
    const std::string client = "+447700900123";
    const std::string advisor = "+447700900045";
    WriteFile(
        file,
        Line("m1", "sms", "conv-a", client, advisor, "inbound",
             "Quarterly outlook: guaranteed returns on the zebra fund", "2026-10-01T09:00:00Z") +
            "\n" +
            Line("m2", "whatsapp", "wa-1", advisor, client, "outbound",
                 "The guarantee holds, see the attached terms", "2026-10-02T09:00:00Z") +
            "\n" +
            Line("m3", "sms", "conv-b", client, advisor, "inbound",
                 "Can you message me on Signal instead?", "2026-10-03T09:00:00Z") +
            "\n" +
            Line("m4", "sms", "conv-a", client, advisor, "inbound", "returns are posted weekly",
                 "2026-10-04T09:00:00Z") +
            "\n");
    const RunResult imported = RunCustos({"import", "jsonl", file, "--data", data_});
    ASSERT_EQ(imported.exit_code, 0) << imported.err;
  }

  // The source ids found by `custos search --json ARGS...`, newest first.
  std::vector<std::string> Found(std::vector<std::string> args) {
    std::vector<std::string> full = {"search", "--data", data_, "--json"};
    full.insert(full.end(), args.begin(), args.end());
    const RunResult r = RunCustos(full);
    EXPECT_EQ(r.exit_code, 0) << r.err;
    std::vector<std::string> out;
    const json body = json::parse(r.out, nullptr, false);
    if (!body.is_object()) {
      ADD_FAILURE() << "not JSON: " << r.out;
      return out;
    }
    for (const json& item : body["results"]) {
      out.push_back(SourceId(item["id"].get<std::int64_t>()));
    }
    return out;
  }

  std::string SourceId(std::int64_t message_id) {
    const RunResult r =
        RunCustos({"record", "history", std::to_string(message_id), "--data", data_, "--json"});
    const json body = json::parse(r.out, nullptr, false);
    return body.is_object() ? body["items"][0].value("source_id", "?") : "?";
  }

  custos::testing::TempDir dir_;
  std::string data_;
};

using Ids = std::vector<std::string>;

TEST_F(SearchCli, BadQueriesAreUsageErrorsNamingTheOffendingPart) {
  for (const auto& [query, offending] : std::vector<std::pair<std::string, std::string>>{
           {"channel:whatsap", "whatsap"},
           {"to:", "to:"},
           {"direction:", "direction:"},
           {"direction:sideways", "sideways"},
           {"recipient:anna", "recipient:"},
           {"flagged:maybe", "maybe"},
           {"action:shout", "shout"},
           {"rule:no.such.rule", "no.such.rule"},
           {"gu*", "gu*"},
           {"zebra OR", "OR"},
           {"👍", "nothing to search for"},
       }) {
    const RunResult r = RunCustos({"search", "--data", data_, query});
    EXPECT_EQ(r.exit_code, kExitUsage) << query << ": " << r.out << r.err;
    EXPECT_NE(r.err.find(offending), std::string::npos) << query << ": " << r.err;
    EXPECT_EQ(r.out.find("no matches"), std::string::npos) << query;
  }
  const RunResult typo = RunCustos({"search", "--data", data_, "zebra", "--jsn"});
  EXPECT_EQ(typo.exit_code, kExitUsage);
  EXPECT_NE(typo.err.find("--jsn"), std::string::npos) << typo.err;
}

TEST_F(SearchCli, NegationPrefixOrToAndDirection) {
  EXPECT_EQ(Found({"guarantee*"}), (Ids{"m2", "m1"}));
  EXPECT_EQ(Found({"guarantee"}), (Ids{"m2"}));
  EXPECT_EQ(Found({"returns"}), (Ids{"m4", "m1"}));
  // A negated word as its own argument, as one quoted query, and after --.
  EXPECT_EQ(Found({"returns", "-guaranteed"}), (Ids{"m4"}));
  EXPECT_EQ(Found({"returns -guaranteed"}), (Ids{"m4"}));
  EXPECT_EQ(Found({"--", "-channel:sms"}), (Ids{"m2"}));
  EXPECT_EQ(Found({"returns NOT zebra"}), (Ids{"m4"}));
  EXPECT_EQ(Found({"zebra OR signal"}), (Ids{"m3", "m1"}));
  EXPECT_EQ(Found({"zebra", "OR", "signal"}), (Ids{"m3", "m1"}));
  EXPECT_EQ(Found({"direction:outbound"}), (Ids{"m2"}));
  EXPECT_EQ(Found({"to:+447700900123"}), (Ids{"m2"}));
  EXPECT_EQ(Found({"to:+447700900045", "channel:sms", "-returns"}), (Ids{"m3"}));
}

TEST_F(SearchCli, VerdictsAreSearchedListedAndInHistory) {
  EXPECT_EQ(Found({"flagged:yes"}), (Ids{"m3"}));
  EXPECT_EQ(Found({"rule:off-channel.client-request"}), (Ids{"m3"}));
  EXPECT_EQ(Found({"action:flag", "channel:sms"}), (Ids{"m3"}));
  EXPECT_EQ(Found({"flagged:no", "channel:sms"}), (Ids{"m4", "m1"}));

  RunResult r = RunCustos({"verdicts", "list", "--data", data_, "--json"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  json listing = json::parse(r.out);
  ASSERT_EQ(listing["items"].size(), 1u) << r.out;
  const json& item = listing["items"][0];
  EXPECT_EQ(item["rules"], json::array({"off-channel.client-request"}));
  EXPECT_EQ(item["channel"], "sms");
  EXPECT_EQ(item["action"], "flag");
  EXPECT_EQ(item["verdict"]["hits"][0]["rule"], "off-channel.client-request");
  const std::int64_t flagged = item["message_id"].get<std::int64_t>();

  // Filters that exclude it, and the table.
  for (const std::vector<std::string>& filter :
       std::vector<std::vector<std::string>>{{"--channel", "whatsapp"},
                                             {"--severity", "critical"},
                                             {"--rule", "promissory.guarantees"},
                                             {"--person", "+447700900045"},
                                             {"--since", "2026-10-04"},
                                             {"--until", "2026-10-02"}}) {
    std::vector<std::string> args = {"verdicts", "list", "--data", data_, "--json"};
    args.insert(args.end(), filter.begin(), filter.end());
    r = RunCustos(args);
    ASSERT_EQ(r.exit_code, 0) << filter[0] << ": " << r.err;
    EXPECT_TRUE(json::parse(r.out)["items"].empty()) << filter[0] << ": " << r.out;
  }
  r = RunCustos({"verdicts", "list", "--data", data_, "--person", "+447700900123", "--since",
                 "2026-10-03", "--until", "2026-10-03"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("off-channel.client-request"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find(std::to_string(flagged)), std::string::npos) << r.out;
  r = RunCustos({"verdicts", "list", "--data", data_, "--severity", "huge"});
  EXPECT_EQ(r.exit_code, kExitUsage);
  EXPECT_NE(r.err.find("huge"), std::string::npos) << r.err;

  // record history --json carries the verdict (rule, clause, severity, action, evidence).
  r = RunCustos({"record", "history", std::to_string(flagged), "--data", data_, "--json"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const json history = json::parse(r.out);
  const json& verdict = history["items"][0]["verdict"];
  ASSERT_TRUE(verdict.is_object()) << r.out;
  EXPECT_EQ(verdict["severity"], "medium");
  EXPECT_EQ(verdict["hits"][0]["action"], "flag");
  EXPECT_FALSE(verdict["hits"][0]["clause"].get<std::string>().empty());
  EXPECT_FALSE(verdict["hits"][0]["evidence"].empty());
}

}  // namespace
}  // namespace custos::testing
