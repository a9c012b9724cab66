// SPDX-License-Identifier: Apache-2.0
// The log over HTTP on the demo data: checkpoints, the public key, canonical records,
// inclusion and consistency proofs (checked by the tests' independent RFC 6962 code and by
// `custos log verify-*`), message histories, and 4xx answers to bad input.
#include <string>
#include <vector>

#include "cli/custos_runner.h"
#include "cli/rfc6962.h"
#include "e2e/demo_server_test.h"

namespace custos::e2e {
namespace {

using nlohmann::json;
namespace rfc6962 = custos::testing::rfc6962;

std::vector<std::string> Hashes(const json& hex_list) {
  std::vector<std::string> out;
  for (const json& h : hex_list) {
    out.push_back(rfc6962::Unhex(h.get<std::string>()));
  }
  return out;
}

class LogApi : public DemoServerTest {
 protected:
  std::string Key() { return Ok(Get("/api/v1/log/public-key"))["verifier_key"]; }
};

TEST_F(LogApi, CheckpointAndPublicKeyAsJsonOrText) {
  const json key = Ok(Get("/api/v1/log/public-key"));
  const std::string verifier_key = key["verifier_key"];
  EXPECT_EQ(verifier_key.rfind(key["origin"].get<std::string>() + "+", 0), 0U) << key;

  const json cp = Ok(Get("/api/v1/log/checkpoint"));
  const std::string note = cp["checkpoint"];
  const auto opened = rfc6962::OpenCheckpoint(note, verifier_key);
  ASSERT_TRUE(opened.has_value()) << note;
  EXPECT_EQ(cp["tree_size"], opened->size);
  EXPECT_EQ(cp["root_hash"], rfc6962::Hex(opened->root));
  EXPECT_EQ(static_cast<std::int64_t>(opened->size),
            custos::testing::QueryInt(data_, "SELECT COUNT(*) FROM records"));

  httplib::Headers text = server_->Auth();
  text.emplace("Accept", "text/plain");
  auto res = client_->Get("/api/v1/log/checkpoint", text);
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 200);
  EXPECT_EQ(res->body, note);
  EXPECT_EQ(res->get_header_value("Content-Type").rfind("text/plain", 0), 0U);
  res = client_->Get("/api/v1/log/public-key", text);
  ASSERT_TRUE(res);
  EXPECT_EQ(res->body, verifier_key + "\n");

  ExpectError(client_->Get("/api/v1/log/checkpoint"), 401, "unauthenticated");
}

TEST_F(LogApi, InclusionProofOfCanonicalBytesVerifiesIndependentlyAndWithTheCli) {
  const std::string key = Key();
  auto canonical = Get("/api/v1/records/17/canonical");
  ASSERT_TRUE(canonical);
  ASSERT_EQ(canonical->status, 200) << canonical->body;
  EXPECT_EQ(canonical->get_header_value("Content-Type"), "application/octet-stream");
  // The CLI shows a message record only as the data directory's writer, since the read is
  // recorded in the access audit (docs/access.md): beside the server it says to use the API.
  const custos::testing::RunResult cli =
      custos::testing::RunCustos({"record", "show", "17", "--canonical", "--data", data_});
  EXPECT_EQ(cli.exit_code, 69) << cli.out << cli.err;
  EXPECT_NE(cli.err.find("read through the API"), std::string::npos) << cli.err;

  auto res = Get("/api/v1/log/proof/inclusion/17");
  const json proof = Ok(res);
  const std::string leaf = rfc6962::LeafHash(canonical->body);
  EXPECT_EQ(proof["leaf_hash"], rfc6962::Hex(leaf));
  EXPECT_EQ(proof["leaf_index"], 16);
  const auto cp = rfc6962::OpenCheckpoint(proof["checkpoint"].get<std::string>(), key);
  ASSERT_TRUE(cp.has_value());
  EXPECT_TRUE(rfc6962::VerifyInclusion(16, cp->size, leaf, Hashes(proof["proof"]), cp->root));

  const std::string at = std::to_string(cp->size);
  EXPECT_EQ(Ok(Get("/api/v1/log/proof/inclusion/17?tree_size=" + at)), proof);

  custos::testing::WriteFile(dir_.File("proof.json"), res->body);
  custos::testing::WriteFile(dir_.File("record"), canonical->body);
  const custos::testing::RunResult verified =
      custos::testing::RunCustos({"log", "verify-inclusion", "--public-key", key, "--record",
                                  dir_.File("record"), "--proof-json", dir_.File("proof.json")});
  EXPECT_EQ(verified.exit_code, 0) << verified.err;
}

TEST_F(LogApi, ConsistencyProofBetweenCheckpointsBeforeAndAfterAHold) {
  const std::string key = Key();
  const json before = Ok(Get("/api/v1/log/checkpoint"));
  Ok(Post("/api/v1/holds", R"({"name":"grow","query":"guaranteed"})"), 201);
  const json after = Ok(Get("/api/v1/log/checkpoint"));
  ASSERT_GT(after["tree_size"].get<std::uint64_t>(), before["tree_size"].get<std::uint64_t>());

  const json proof = Ok(Get("/api/v1/log/proof/consistency?old=" + before["tree_size"].dump() +
                            "&new=" + after["tree_size"].dump()));
  EXPECT_EQ(proof["old_checkpoint"], before["checkpoint"]);
  EXPECT_EQ(proof["new_checkpoint"], after["checkpoint"]);
  const auto old_cp = rfc6962::OpenCheckpoint(before["checkpoint"].get<std::string>(), key);
  const auto new_cp = rfc6962::OpenCheckpoint(after["checkpoint"].get<std::string>(), key);
  ASSERT_TRUE(old_cp && new_cp);
  EXPECT_TRUE(rfc6962::VerifyConsistency(old_cp->size, new_cp->size, Hashes(proof["proof"]),
                                         old_cp->root, new_cp->root));
}

TEST_F(LogApi, MessageHistoryShowsAnEdit) {
  const std::int64_t edit = custos::testing::QueryInt(
      data_, "SELECT id FROM messages WHERE kind = 'edit' ORDER BY id LIMIT 1");
  ASSERT_GT(edit, 0);
  const json history = Ok(Get("/api/v1/messages/" + std::to_string(edit) + "/history"));
  ASSERT_GE(history["items"].size(), 2U) << history;
  EXPECT_EQ(history["message_id"], history["items"][0]["id"]);
  bool found = false;
  for (const json& item : history["items"]) {
    found = found || (item["id"] == edit && item["edited_of"] == history["items"][0]["source_id"]);
  }
  EXPECT_TRUE(found) << history;
}

// What an outside auditor does: plain GETs of the checkpoint, the public key, the proof and the
// record, saved to files as they come (JSON, the default answer), then `custos log
// verify-inclusion` on those files. It must succeed, also with the text answers, and fail on a
// tampered record.
TEST_F(LogApi, AnAuditorsDownloadsFeedVerifyInclusionAsTheyCome) {
  namespace t = custos::testing;
  auto cp = Get("/api/v1/log/checkpoint");
  const json checkpoint = Ok(cp);
  t::WriteFile(dir_.File("checkpoint.json"), cp->body);
  auto key = Get("/api/v1/log/public-key");
  Ok(key);
  t::WriteFile(dir_.File("key.json"), key->body);
  // The text answers now: reading the record below is an access record, so the log grows.
  httplib::Headers text = server_->Auth();
  text.emplace("Accept", "text/plain");
  auto cp_text = client_->Get("/api/v1/log/checkpoint", text);
  auto key_text = client_->Get("/api/v1/log/public-key", text);
  ASSERT_TRUE(cp_text && key_text);
  // The last message: in the demo, holds and verdicts make its record id differ from its id.
  const std::int64_t record_id =
      t::QueryInt(data_, "SELECT record_id FROM messages ORDER BY id DESC LIMIT 1");
  ASSERT_GT(record_id, 0);
  const std::string rid = std::to_string(record_id);
  auto proof =
      Get("/api/v1/log/proof/inclusion/" + rid + "?tree_size=" + checkpoint["tree_size"].dump());
  Ok(proof);
  t::WriteFile(dir_.File("proof.json"), proof->body);
  auto record = Get("/api/v1/records/" + rid + "/canonical");
  ASSERT_TRUE(record);
  ASSERT_EQ(record->status, 200) << record->body;
  t::WriteFile(dir_.File("record"), record->body);

  auto verify = [&](const std::string& key_file, const std::string& cp_file,
                    const std::string& record_file) {
    return t::RunCustos({"log", "verify-inclusion", "--public-key", key_file, "--checkpoint",
                         cp_file, "--record", record_file, "--proof-json",
                         dir_.File("proof.json")});
  };
  t::RunResult r = verify(dir_.File("key.json"), dir_.File("checkpoint.json"), dir_.File("record"));
  EXPECT_EQ(r.exit_code, 0) << r.out << r.err;
  EXPECT_NE(r.out.find("OK: record " + rid), std::string::npos) << r.out;

  // The text answers (Accept: text/plain) are the same bytes as `custos log checkpoint` and
  // `custos log public-key`, and verify too.
  EXPECT_EQ(cp_text->body, checkpoint["checkpoint"].get<std::string>());
  t::WriteFile(dir_.File("checkpoint.txt"), cp_text->body);
  t::WriteFile(dir_.File("key.txt"), key_text->body);
  r = verify(dir_.File("key.txt"), dir_.File("checkpoint.txt"), dir_.File("record"));
  EXPECT_EQ(r.exit_code, 0) << r.out << r.err;
  r = verify(dir_.File("key.json"), dir_.File("checkpoint.txt"), dir_.File("record"));
  EXPECT_EQ(r.exit_code, 0) << r.out << r.err;

  // A tampered record fails (exit 3), with either form of key and checkpoint.
  std::string tampered = record->body;
  const std::size_t at = tampered.find("\"text\":\"");
  ASSERT_NE(at, std::string::npos) << tampered;
  tampered[at + 8] = tampered[at + 8] == 'X' ? 'Y' : 'X';
  t::WriteFile(dir_.File("tampered"), tampered);
  r = verify(dir_.File("key.json"), dir_.File("checkpoint.json"), dir_.File("tampered"));
  EXPECT_EQ(r.exit_code, 3) << r.out << r.err;
  r = verify(dir_.File("key.txt"), dir_.File("checkpoint.txt"), dir_.File("tampered"));
  EXPECT_EQ(r.exit_code, 3) << r.out << r.err;

  // A JSON file that is not one of those answers is a clear error naming the file.
  t::WriteFile(dir_.File("other.json"), R"({"origin":"x"})");
  r = verify(dir_.File("other.json"), dir_.File("checkpoint.json"), dir_.File("record"));
  EXPECT_NE(r.exit_code, 0);
  EXPECT_NE(r.err.find("other.json"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("verifier_key"), std::string::npos) << r.err;
  json lying = checkpoint;
  lying["tree_size"] = checkpoint["tree_size"].get<std::uint64_t>() + 1;
  t::WriteFile(dir_.File("lying.json"), lying.dump());
  r = verify(dir_.File("key.json"), dir_.File("lying.json"), dir_.File("record"));
  EXPECT_NE(r.exit_code, 0);
  EXPECT_NE(r.err.find("lying.json"), std::string::npos) << r.err;
}

// Every message view names the message's record; the record's body names the message back.
TEST_F(LogApi, MessageViewsCarryTheirRecordId) {
  const std::int64_t id = custos::testing::QueryInt(
      data_,
      "SELECT id FROM messages WHERE record_id != id AND kind = 'message' ORDER BY id"
      " DESC LIMIT 1");
  ASSERT_GT(id, 0) << "the demo should have messages whose record id is not their id";
  const std::int64_t record_id = custos::testing::QueryInt(
      data_, "SELECT record_id FROM messages WHERE id = " + std::to_string(id));
  const json message = Ok(Get("/api/v1/messages/" + std::to_string(id)));
  EXPECT_EQ(message["id"], id);
  EXPECT_EQ(message["record_id"], record_id) << message;
  auto canonical = Get("/api/v1/records/" + std::to_string(record_id) + "/canonical");
  ASSERT_TRUE(canonical);
  EXPECT_EQ(json::parse(canonical->body)["body"]["message_id"], id);

  const json history = Ok(Get("/api/v1/messages/" + std::to_string(id) + "/history"));
  EXPECT_EQ(history["items"][0]["record_id"], record_id) << history;
  const json page =
      Ok(Get("/api/v1/conversations/" + message["conversation_id"].dump() + "/messages?limit=200"));
  bool found = false;
  for (const json& m : page["items"]) {
    EXPECT_TRUE(m.contains("record_id")) << m;
    found = found || (m["id"] == id && m["record_id"] == record_id);
  }
  EXPECT_TRUE(found) << page;
  const json results = Ok(Get("/api/v1/search?q=guaranteed&limit=20"));
  EXPECT_FALSE(results["results"].empty()) << results;
  for (const json& r : results["results"]) {
    EXPECT_TRUE(r["message"].contains("record_id")) << r;
  }
}

// GET /api/v1/messages/{id}/evidence: everything needed to check a message without the archive,
// accepted by the tests' own RFC 6962 / signed-note code and by `custos log verify-inclusion`.
TEST_F(LogApi, TheEvidenceBundleOfAFlaggedMessageVerifiesIndependently) {
  namespace t = custos::testing;
  const std::int64_t id = t::QueryInt(data_,
                                      "SELECT message_id FROM verdicts ORDER BY"
                                      " message_id DESC LIMIT 1");
  ASSERT_GT(id, 0);
  const json bundle = Ok(Get("/api/v1/messages/" + std::to_string(id) + "/evidence"));
  EXPECT_EQ(bundle["format"], "custos-evidence/1");
  EXPECT_EQ(bundle["message_id"], id);
  EXPECT_EQ(bundle["record_id"],
            t::QueryInt(data_, "SELECT record_id FROM messages WHERE id = " + std::to_string(id)));
  EXPECT_EQ(bundle["verifier_key"], Key());
  const auto cp = rfc6962::OpenCheckpoint(bundle["checkpoint"].get<std::string>(), Key());
  ASSERT_TRUE(cp.has_value()) << bundle;
  EXPECT_EQ(bundle["tree_size"], cp->size);
  ASSERT_EQ(bundle["records"].size(), 2U) << bundle;
  EXPECT_EQ(bundle["records"][0]["role"], "message");
  EXPECT_EQ(bundle["records"][1]["role"], "verdict");
  t::WriteFile(dir_.File("key"), bundle["verifier_key"].get<std::string>());
  t::WriteFile(dir_.File("checkpoint"), bundle["checkpoint"].get<std::string>());
  for (const json& r : bundle["records"]) {
    const std::string bytes = rfc6962::Base64Decode(r["canonical_base64"].get<std::string>());
    const json record = json::parse(bytes);
    EXPECT_EQ(record["id"], r["record_id"]);
    EXPECT_EQ(record["body"]["message_id"], id);
    const std::string leaf = rfc6962::LeafHash(bytes);
    EXPECT_EQ(r["leaf_hash"], rfc6962::Hex(leaf));
    EXPECT_TRUE(rfc6962::VerifyInclusion(r["leaf_index"].get<std::uint64_t>(), cp->size, leaf,
                                         Hashes(r["proof"]["proof"]), cp->root))
        << r;
    t::WriteFile(dir_.File("record"), bytes);
    t::WriteFile(dir_.File("proof.json"), r["proof"].dump());
    const t::RunResult v =
        t::RunCustos({"log", "verify-inclusion", "--public-key", dir_.File("key"), "--checkpoint",
                      dir_.File("checkpoint"), "--record", dir_.File("record"), "--proof-json",
                      dir_.File("proof.json")});
    EXPECT_EQ(v.exit_code, 0) << v.out << v.err;
  }
  ExpectError(Get("/api/v1/messages/abc/evidence"), 400, "invalid_argument");
  ExpectError(Get("/api/v1/messages/99999999/evidence"), 404, "not_found");
}

TEST_F(LogApi, BadInputIsA4xxWithAJsonError) {
  ExpectError(Get("/api/v1/log/proof/inclusion/abc"), 400, "invalid_argument");
  ExpectError(Get("/api/v1/log/proof/inclusion/0"), 400, "invalid_argument");
  ExpectError(Get("/api/v1/log/proof/inclusion/99999999"), 404, "not_found");
  ExpectError(Get("/api/v1/log/proof/inclusion/5?tree_size=x"), 400, "invalid_argument");
  ExpectError(Get("/api/v1/log/proof/inclusion/5?tree_size=0"), 400, "invalid_argument");
  ExpectError(Get("/api/v1/log/proof/consistency"), 400, "invalid_argument");
  ExpectError(Get("/api/v1/log/proof/consistency?old=5"), 400, "invalid_argument");
  ExpectError(Get("/api/v1/log/proof/consistency?old=9&new=3"), 400, "invalid_argument");
  ExpectError(Get("/api/v1/records/abc/canonical"), 400, "invalid_argument");
  ExpectError(Get("/api/v1/records/99999999/canonical"), 404, "not_found");
  ExpectError(Get("/api/v1/messages/abc/history"), 400, "invalid_argument");
  ExpectError(Get("/api/v1/messages/99999999/history"), 404, "not_found");
}

}  // namespace
}  // namespace custos::e2e
