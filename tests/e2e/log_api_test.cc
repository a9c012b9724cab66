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
  const custos::testing::RunResult cli =
      custos::testing::RunCustos({"record", "show", "17", "--canonical", "--data", data_});
  EXPECT_EQ(canonical->body, cli.out) << cli.err;

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
