// SPDX-License-Identifier: Apache-2.0
// End-to-end tests of `custos log ...` and `custos record show --canonical` on the demo data:
// what custos publishes (checkpoint, key, canonical bytes, proofs) is checked both by custos'
// standalone verifier and by an independent RFC 6962 / signed-note implementation (rfc6962.h).
#include <cstdio>
#include <filesystem>
#include <string>
#include <vector>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "custos_runner.h"
#include "demo_archive.h"
#include "rfc6962.h"
#include "testing/temp_dir.h"

namespace custos::testing {
namespace {

using nlohmann::json;

constexpr int kExitIntegrity = 3;
constexpr int kExitUsage = 64;
constexpr int kExitNoInput = 66;

std::vector<std::string> Hashes(const json& hex_list) {
  std::vector<std::string> out;
  for (const json& h : hex_list) {
    out.push_back(rfc6962::Unhex(h.get<std::string>()));
  }
  return out;
}

std::string Joined(const json& hex_list) {
  std::string out;
  for (const json& h : hex_list) {
    out += (out.empty() ? "" : ",") + h.get<std::string>();
  }
  return out;
}

class LogProof : public ::testing::Test {
 protected:
  void SetUp() override { data_ = CopyDemoData(dir_); }

  // `custos args... --data <the demo copy>`
  RunResult Run(std::vector<std::string> args) const {
    args.push_back("--data");
    args.push_back(data_);
    return RunCustos(args);
  }

  // Runs a command that must succeed and returns its stdout.
  std::string Output(const std::vector<std::string>& args) const {
    const RunResult r = Run(args);
    EXPECT_EQ(r.exit_code, 0) << args[0] << ": " << r.err;
    return r.out;
  }

  std::string Save(const std::string& name, const std::string& content) const {
    const std::string path = dir_.File(name);
    WriteFile(path, content);
    return path;
  }

  std::string Key() const {
    std::string key = Output({"log", "public-key"});
    if (!key.empty() && key.back() == '\n') {
      key.pop_back();
    }
    return key;
  }

  TempDir dir_;
  std::string data_;
};

TEST_F(LogProof, CheckpointIsASignedNoteOverEveryRecord) {
  const std::string note = Output({"log", "checkpoint"});
  const std::string key = Key();
  EXPECT_EQ(key.rfind("custos/", 0), 0U) << key;
  const auto cp = rfc6962::OpenCheckpoint(note, key);
  ASSERT_TRUE(cp.has_value()) << "an independent signed-note check rejects:\n" << note;
  EXPECT_EQ(cp->origin + "+", key.substr(0, cp->origin.size() + 1));
  EXPECT_EQ(static_cast<std::int64_t>(cp->size), QueryInt(data_, "SELECT COUNT(*) FROM records"));
  EXPECT_GT(cp->size, 1500U);
}

TEST_F(LogProof, InclusionProofIsAcceptedByAnIndependentRfc6962Implementation) {
  const std::string key = Key();
  const std::int64_t last = QueryInt(data_, "SELECT MAX(id) FROM records");
  for (const std::int64_t id : {std::int64_t{1}, std::int64_t{17}, last / 2 + 3, last}) {
    SCOPED_TRACE("record " + std::to_string(id));
    const std::string canonical = Output({"record", "show", std::to_string(id), "--canonical"});
    ASSERT_FALSE(canonical.empty());
    EXPECT_EQ(canonical.back(), '}') << "no trailing newline";
    const json proof =
        json::parse(Output({"log", "proof", "inclusion", std::to_string(id), "--json"}));
    for (const char* member :
         {"leaf_index", "tree_size", "leaf_hash", "proof", "root_hash", "checkpoint"}) {
      ASSERT_TRUE(proof.contains(member)) << member << " missing: " << proof.dump();
    }
    const std::string leaf = rfc6962::LeafHash(canonical);
    EXPECT_EQ(rfc6962::Hex(leaf), proof["leaf_hash"]);
    EXPECT_EQ(proof["leaf_index"], id - 1);

    const auto cp = rfc6962::OpenCheckpoint(proof["checkpoint"].get<std::string>(), key);
    ASSERT_TRUE(cp.has_value()) << proof["checkpoint"];
    EXPECT_EQ(cp->size, proof["tree_size"].get<std::uint64_t>());
    EXPECT_EQ(rfc6962::Hex(cp->root), proof["root_hash"]);

    const std::vector<std::string> path = Hashes(proof["proof"]);
    const auto index = proof["leaf_index"].get<std::uint64_t>();
    EXPECT_TRUE(rfc6962::VerifyInclusion(index, cp->size, leaf, path, cp->root));
    // The independent check is not a rubber stamp.
    std::string altered = canonical;
    altered[altered.size() / 2] ^= 0x01;
    EXPECT_FALSE(
        rfc6962::VerifyInclusion(index, cp->size, rfc6962::LeafHash(altered), path, cp->root));
    if (!path.empty()) {
      const std::vector<std::string> shorter(path.begin(), path.end() - 1);
      EXPECT_FALSE(rfc6962::VerifyInclusion(index, cp->size, leaf, shorter, cp->root));
    }
  }
}

TEST_F(LogProof, ShaSumOfZeroByteAndCanonicalBytesIsTheLeafHash) {
  const std::string file = Save("record-5", Output({"record", "show", "5", "--canonical"}));
  const std::string command = "(printf '\\000'; cat '" + file + "') | sha256sum";
  std::FILE* pipe = ::popen(command.c_str(), "r");
  ASSERT_NE(pipe, nullptr);
  char buf[128] = {};
  const std::size_t n = std::fread(buf, 1, sizeof buf - 1, pipe);
  ::pclose(pipe);
  const json proof = json::parse(Output({"log", "proof", "inclusion", "5", "--json"}));
  EXPECT_EQ(std::string(buf, std::min<std::size_t>(n, 64)), proof["leaf_hash"]);
}

TEST_F(LogProof, StandaloneVerifierNeedsOnlyTheExaminersFiles) {
  const std::string key = Key();
  const std::string key_file = Save("key", key + "\n");
  const std::string record = Save("record", Output({"record", "show", "42", "--canonical"}));
  const std::string proof_text = Output({"log", "proof", "inclusion", "42", "--json"});
  const std::string proof_file = Save("proof.json", proof_text);
  const json proof = json::parse(proof_text);
  const std::string note = Save("checkpoint", proof["checkpoint"].get<std::string>());
  const std::string leaf_hash = proof["leaf_hash"].get<std::string>();
  const std::string path = Joined(proof["proof"]);
  const std::string other = dir_.File("other");
  ASSERT_EQ(RunCustos({"import", "jsonl", "-", "--data", other}, Save("one", MessageLine(1) + "\n"))
                .exit_code,
            0);
  const std::string other_key = RunCustos({"log", "public-key", "--data", other}).out;
  std::filesystem::remove_all(data_);  // the examiner has no archive

  RunResult r = RunCustos({"log", "verify-inclusion", "--checkpoint", note, "--public-key",
                           key_file, "--record", record, "--proof-json", proof_file});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out.rfind("OK: record 42 (leaf 41)", 0), 0U) << r.out;
  r = RunCustos({"log", "verify-inclusion", "--public-key", key, "--checkpoint", note,
                 "--leaf-hash", leaf_hash, "--index", "41", "--proof", path});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  r = RunCustos({"log", "verify-inclusion", "--public-key", key, "--record", record, "--proof-json",
                 proof_file});  // the checkpoint inside the proof file
  EXPECT_EQ(r.exit_code, 0) << r.err;

  // Anything altered is an integrity failure (exit 3) that says why.
  std::string bytes = ReadFile(record);
  bytes.replace(bytes.find("\"v\":1"), 5, "\"v\":2");
  r = RunCustos({"log", "verify-inclusion", "--checkpoint", note, "--public-key", key, "--record",
                 Save("altered", bytes), "--proof-json", proof_file});
  EXPECT_EQ(r.exit_code, kExitIntegrity) << r.err;
  EXPECT_NE(r.err.find("FAILED"), std::string::npos) << r.err;
  r = RunCustos({"log", "verify-inclusion", "--checkpoint", note, "--public-key", other_key,
                 "--record", record, "--proof-json", proof_file});
  EXPECT_EQ(r.exit_code, kExitIntegrity) << r.err;
  std::string forged = proof["checkpoint"].get<std::string>();
  const std::size_t size_line = forged.find('\n') + 1;
  forged.insert(size_line, "1");
  r = RunCustos({"log", "verify-inclusion", "--checkpoint", Save("forged", forged), "--public-key",
                 key, "--leaf-hash", leaf_hash, "--index", "41", "--proof", path});
  EXPECT_EQ(r.exit_code, kExitIntegrity) << r.err;
  r = RunCustos({"log", "verify-inclusion", "--checkpoint", note, "--public-key", key,
                 "--leaf-hash", leaf_hash, "--index", "40", "--proof", path});
  EXPECT_EQ(r.exit_code, kExitIntegrity) << r.err;

  // Unreadable or incomplete input is not an integrity verdict.
  r = RunCustos({"log", "verify-inclusion", "--checkpoint", dir_.File("nope"), "--public-key", key,
                 "--record", record, "--proof-json", proof_file});
  EXPECT_EQ(r.exit_code, kExitNoInput) << r.err;
  r = RunCustos({"log", "verify-inclusion", "--record", record, "--proof-json", proof_file});
  EXPECT_EQ(r.exit_code, kExitUsage) << r.err;
  r = RunCustos({"log", "verify-inclusion", "--public-key", key, "--proof-json", proof_file});
  EXPECT_EQ(r.exit_code, kExitUsage) << r.err;
}

TEST_F(LogProof, ConsistencyBetweenTwoCheckpointsVerifies) {
  const std::string key = Key();
  const std::string old_note = Output({"log", "checkpoint"});
  ASSERT_EQ(Run({"hold", "create", "--name", "grow the log", "--query", "guaranteed"}).exit_code,
            0);
  const std::string new_note = Output({"log", "checkpoint"});
  const auto old_cp = rfc6962::OpenCheckpoint(old_note, key);
  const auto new_cp = rfc6962::OpenCheckpoint(new_note, key);
  ASSERT_TRUE(old_cp && new_cp);
  ASSERT_GT(new_cp->size, old_cp->size);
  const std::string sizes[] = {std::to_string(old_cp->size), std::to_string(new_cp->size)};

  const std::string text = Output({"log", "proof", "consistency", sizes[0], sizes[1], "--json"});
  const json proof = json::parse(text);
  EXPECT_EQ(proof["old_checkpoint"], old_note);
  EXPECT_EQ(proof["new_checkpoint"], new_note);
  const std::vector<std::string> path = Hashes(proof["proof"]);
  EXPECT_TRUE(
      rfc6962::VerifyConsistency(old_cp->size, new_cp->size, path, old_cp->root, new_cp->root));
  EXPECT_FALSE(
      rfc6962::VerifyConsistency(old_cp->size, new_cp->size, path, new_cp->root, new_cp->root));

  const std::string old_file = Save("old", old_note);
  const std::string new_file = Save("new", new_note);
  const std::string proof_file = Save("consistency.json", text);
  RunResult r =
      RunCustos({"log", "verify-consistency", "--old-checkpoint", old_file, "--new-checkpoint",
                 new_file, "--public-key", key, "--proof-json", proof_file});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out.rfind("OK: ", 0), 0U) << r.out;
  r = RunCustos({"log", "verify-consistency", "--public-key", key, "--proof-json", proof_file});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  r = RunCustos({"log", "verify-consistency", "--old-checkpoint", old_file, "--new-checkpoint",
                 new_file, "--public-key", key, "--proof", Joined(proof["proof"])});
  EXPECT_EQ(r.exit_code, 0) << r.err;

  json bad = proof["proof"];
  ASSERT_FALSE(bad.empty());
  std::string first = bad[0];
  first[0] = first[0] == '0' ? '1' : '0';
  bad[0] = first;
  r = RunCustos({"log", "verify-consistency", "--old-checkpoint", old_file, "--new-checkpoint",
                 new_file, "--public-key", key, "--proof", Joined(bad)});
  EXPECT_EQ(r.exit_code, kExitIntegrity) << r.err;
  r = RunCustos({"log", "verify-consistency", "--old-checkpoint", new_file, "--new-checkpoint",
                 old_file, "--public-key", key, "--proof-json", proof_file});
  EXPECT_NE(r.exit_code, 0) << r.out;
  EXPECT_NE(r.err.find("tree size"), std::string::npos) << r.err;
}

TEST_F(LogProof, ProofsOfUnknownRecordsAndSizesFailClearly) {
  RunResult r = Run({"log", "proof", "inclusion", "99999999", "--json"});
  EXPECT_EQ(r.exit_code, kExitNoInput) << r.err;
  EXPECT_FALSE(r.err.empty());
  r = Run({"log", "proof", "consistency", "5", "3"});
  EXPECT_NE(r.exit_code, 0);
  r = Run({"log", "proof", "inclusion", "abc"});
  EXPECT_EQ(r.exit_code, kExitUsage);
  r = RunCustos({"log", "checkpoint", "--data", dir_.File("missing")});
  EXPECT_EQ(r.exit_code, kExitNoInput);
}

}  // namespace
}  // namespace custos::testing
