// SPDX-License-Identifier: Apache-2.0
// End-to-end tests of `custos record show` and `custos record history` on the demo data.
#include <filesystem>
#include <string>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "custos_runner.h"
#include "demo_archive.h"
#include "rfc6962.h"
#include "testing/temp_dir.h"

namespace custos::testing {
namespace {

using nlohmann::json;

constexpr int kExitNoInput = 66;

TEST(RecordShow, PrintsTheCanonicalRecordExactlyOrPretty) {
  TempDir dir;
  const std::string data = CopyDemoData(dir);
  const RunResult canonical = RunCustos({"record", "show", "7", "--canonical", "--data", data});
  ASSERT_EQ(canonical.exit_code, 0) << canonical.err;
  EXPECT_EQ(canonical.out.rfind("{\"at\":\"", 0), 0U) << canonical.out;
  EXPECT_NE(canonical.out.find(",\"id\":7,\"kind\":\"message\",\"v\":1}"), std::string::npos);
  EXPECT_NE(canonical.out.back(), '\n');
  // Canonical JSON: re-serialising with sorted keys and no whitespace gives the same bytes.
  EXPECT_EQ(json::parse(canonical.out).dump(), canonical.out);

  const RunResult pretty = RunCustos({"record", "show", "7", "--data", data});
  ASSERT_EQ(pretty.exit_code, 0) << pretty.err;
  EXPECT_NE(pretty.out.find("\"kind\": \"message\""), std::string::npos) << pretty.out;
  EXPECT_EQ(json::parse(pretty.out), json::parse(canonical.out));

  const RunResult missing = RunCustos({"record", "show", "99999999", "--data", data});
  EXPECT_EQ(missing.exit_code, kExitNoInput);
  EXPECT_NE(missing.err.find("99999999"), std::string::npos) << missing.err;
}

TEST(RecordHistory, ShowsTheOriginalThenItsEdit) {
  TempDir dir;
  const std::string data = CopyDemoData(dir);
  const std::int64_t edit =
      QueryInt(data, "SELECT id FROM messages WHERE kind = 'edit' ORDER BY id LIMIT 1");
  ASSERT_GT(edit, 0) << "the demo data has no edit";

  RunResult r = RunCustos({"record", "history", std::to_string(edit), "--json", "--data", data});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const json history = json::parse(r.out);
  const json& items = history["items"];
  ASSERT_GE(items.size(), 2U) << r.out;
  const json& original = items[0];
  EXPECT_EQ(history["message_id"], original["id"]);
  EXPECT_FALSE(original.contains("edited_of")) << original;
  bool found = false;
  for (const json& item : items) {
    if (item["id"] == edit) {
      found = true;
      EXPECT_EQ(item["edited_of"], original["source_id"]) << item;
      EXPECT_NE(item["text"], original["text"]);
      EXPECT_FALSE(item["from"].get<std::string>().empty());
    }
  }
  EXPECT_TRUE(found) << r.out;

  // Asking by the original's id gives the same history; the text form names each version.
  r = RunCustos({"record", "history", std::to_string(original["id"].get<std::int64_t>()), "--json",
                 "--data", data});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(json::parse(r.out), history);
  r = RunCustos({"record", "history", std::to_string(edit), "--data", data});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("  message  "), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("  edit     "), std::string::npos) << r.out;

  r = RunCustos({"record", "history", "99999999", "--data", data});
  EXPECT_EQ(r.exit_code, kExitNoInput) << r.err;
}

// Message ids and record ids differ (holds, verdicts and other records share the log): every
// CLI view of a message names its record, and `record show` says which message a record is.
TEST(RecordIds, SearchHistoryAndShowNameTheMessagesRecord) {
  TempDir dir;
  const std::string data = CopyDemoData(dir);
  const std::int64_t id = QueryInt(data,
                                   "SELECT id FROM messages WHERE record_id != id AND"
                                   " kind = 'message' ORDER BY id DESC LIMIT 1");
  ASSERT_GT(id, 0);
  const std::int64_t record_id =
      QueryInt(data, "SELECT record_id FROM messages WHERE id = " + std::to_string(id));
  const std::string rid = std::to_string(record_id);

  RunResult r = RunCustos({"record", "history", std::to_string(id), "--json", "--data", data});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(json::parse(r.out)["items"][0]["record_id"], record_id) << r.out;
  r = RunCustos({"record", "history", std::to_string(id), "--data", data});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("record " + rid), std::string::npos) << r.out;

  r = RunCustos({"record", "show", rid, "--data", data});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.err.find("record " + rid + " is the record of message " + std::to_string(id)),
            std::string::npos)
      << r.err;

  r = RunCustos({"search", "guaranteed", "--json", "--data", data});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const json results = json::parse(r.out)["results"];
  ASSERT_FALSE(results.empty()) << r.out;
  for (const json& hit : results) {
    EXPECT_EQ(hit["record_id"].get<std::int64_t>(),
              QueryInt(data, "SELECT record_id FROM messages WHERE id = " + hit["id"].dump()))
        << hit;
  }
  r = RunCustos({"search", "guaranteed", "--data", data});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("(record " + results[0]["record_id"].dump() + ")"), std::string::npos)
      << r.out;
}

// `custos record evidence ID --out DIR`: files that `custos log verify-inclusion` accepts as
// they are (the commands are in DIR/VERIFY), and that the tests' own RFC 6962 code accepts.
TEST(RecordEvidence, TheBundleDirectoryVerifiesWithoutTheArchive) {
  namespace fs = std::filesystem;
  TempDir dir;
  const std::string data = CopyDemoData(dir);
  const std::int64_t id =
      QueryInt(data, "SELECT message_id FROM verdicts ORDER BY message_id DESC LIMIT 1");
  ASSERT_GT(id, 0);
  const std::string out = dir.File("evidence");
  RunResult r = RunCustos({"record", "evidence", std::to_string(id), "--out", out, "--data", data});
  ASSERT_EQ(r.exit_code, 0) << r.out << r.err;
  for (const char* name :
       {"bundle.json", "checkpoint", "public-key", "message.record", "message.proof.json",
        "verdict.record", "verdict.proof.json", "VERIFY"}) {
    EXPECT_TRUE(fs::is_regular_file(fs::path(out) / name)) << name;
  }
  const json message = json::parse(ReadFile(out + "/message.record"));
  EXPECT_EQ(message["kind"], "message");
  EXPECT_EQ(message["body"]["message_id"], id);
  EXPECT_EQ(message["id"],
            QueryInt(data, "SELECT record_id FROM messages WHERE id = " + std::to_string(id)));
  EXPECT_EQ(json::parse(ReadFile(out + "/verdict.record"))["kind"], "verdict");
  EXPECT_EQ(ReadFile(out + "/public-key"), RunCustos({"log", "public-key", "--data", data}).out);

  // Independently: the signed note under the archive's key, each leaf in it.
  const std::string key = ReadFile(out + "/public-key");
  const auto cp =
      rfc6962::OpenCheckpoint(ReadFile(out + "/checkpoint"), key.substr(0, key.size() - 1));
  ASSERT_TRUE(cp.has_value());
  for (const char* role : {"message", "verdict"}) {
    const json proof = json::parse(ReadFile(out + "/" + role + ".proof.json"));
    std::vector<std::string> path;
    for (const json& h : proof["proof"]) {
      path.push_back(rfc6962::Unhex(h.get<std::string>()));
    }
    EXPECT_TRUE(rfc6962::VerifyInclusion(proof["leaf_index"].get<std::uint64_t>(), cp->size,
                                         rfc6962::LeafHash(ReadFile(out + "/" + role + ".record")),
                                         path, cp->root))
        << role;
  }
  // With the CLI, exactly as DIR/VERIFY says.
  const std::string commands = ReadFile(out + "/VERIFY");
  int ran = 0;
  for (std::size_t at = 0;
       (at = commands.find("custos log verify-inclusion", at)) != std::string::npos; ++at) {
    const std::size_t end = commands.find('\n', at);
    std::vector<std::string> args;
    std::string line = commands.substr(at + 7, end - at - 7);
    std::size_t pos = 0;
    while (pos < line.size()) {
      if (line[pos] == ' ') {
        ++pos;
        continue;
      }
      if (line[pos] == '\'') {
        const std::size_t close = line.find('\'', pos + 1);
        args.push_back(line.substr(pos + 1, close - pos - 1));
        pos = close + 1;
      } else {
        const std::size_t space = std::min(line.find(' ', pos), line.size());
        args.push_back(line.substr(pos, space - pos));
        pos = space;
      }
    }
    r = RunCustos(args);
    EXPECT_EQ(r.exit_code, 0) << line << "\n" << r.out << r.err;
    ++ran;
  }
  EXPECT_EQ(ran, 2) << commands;

  // A tampered record no longer verifies.
  std::string record = ReadFile(out + "/message.record");
  record[record.find("\"text\":\"") + 8] ^= 0x01;
  WriteFile(out + "/message.record", record);
  r = RunCustos({"log", "verify-inclusion", "--public-key", out + "/public-key", "--checkpoint",
                 out + "/checkpoint", "--record", out + "/message.record", "--proof-json",
                 out + "/message.proof.json"});
  EXPECT_EQ(r.exit_code, 3) << r.out << r.err;

  // One JSON document on standard output or in FILE.json; the same records. (Each evidence read
  // is an access record of the log, so a later bundle is proved against a larger tree.)
  const auto same_records = [](const json& a, const json& b) {
    EXPECT_EQ(a["message_id"], b["message_id"]);
    EXPECT_EQ(a["record_id"], b["record_id"]);
    ASSERT_EQ(a["records"].size(), b["records"].size());
    for (std::size_t i = 0; i < a["records"].size(); ++i) {
      for (const char* member : {"role", "record_id", "leaf_hash", "canonical_base64"}) {
        EXPECT_EQ(a["records"][i][member], b["records"][i][member]) << member;
      }
    }
  };
  r = RunCustos({"record", "evidence", std::to_string(id), "--data", data});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  same_records(json::parse(r.out), json::parse(ReadFile(out + "/bundle.json")));
  r = RunCustos(
      {"record", "evidence", std::to_string(id), "--out", dir.File("b.json"), "--data", data});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  same_records(json::parse(ReadFile(dir.File("b.json"))),
               json::parse(ReadFile(out + "/bundle.json")));

  // Bad input: an unknown message, a directory that is in use; nothing written.
  r = RunCustos({"record", "evidence", "99999999", "--out", dir.File("none"), "--data", data});
  EXPECT_EQ(r.exit_code, kExitNoInput) << r.err;
  EXPECT_NE(r.err.find("no message 99999999"), std::string::npos) << r.err;
  EXPECT_FALSE(fs::exists(dir.File("none")));
  r = RunCustos({"record", "evidence", std::to_string(id), "--out", out, "--data", data});
  EXPECT_NE(r.exit_code, 0);
  EXPECT_NE(r.err.find("not an empty directory"), std::string::npos) << r.err;
}

}  // namespace
}  // namespace custos::testing
