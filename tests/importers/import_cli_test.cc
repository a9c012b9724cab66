// SPDX-License-Identifier: Apache-2.0
// End to end: `custos import whatsapp|telegram|auto PATH` with the real binary and a real data
// directory — summaries, idempotent re-runs, errors with positions and resuming after a fix.
#include <cstdlib>
#include <filesystem>
#include <string>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "cli/custos_runner.h"
#include "importers/import_test_util.h"
#include "testing/temp_dir.h"

namespace custos::testing {
namespace {

constexpr int kExitDataError = 65;

std::filesystem::path Corpus(const std::string& sub) {
  std::filesystem::path root;
  if (const char* c = std::getenv("CUSTOS_CORPUS"); c != nullptr && *c != '\0') {
    root = c;
  } else {
    const char* s = std::getenv("CUSTOS_SOURCE_DIR");
    root = std::filesystem::path(s != nullptr && *s != '\0' ? s : CUSTOS_DEFAULT_SOURCE_DIR) /
           ".." / "shared" / "corpus";
  }
  return std::filesystem::is_directory(root / sub) ? root / sub : std::filesystem::path();
}

nlohmann::json Summary(const RunResult& r) {
  const std::size_t end = r.out.find_last_not_of('\n');
  const std::size_t start = r.out.rfind('\n', end);
  return nlohmann::json::parse(r.out.substr(start == std::string::npos ? 0 : start + 1));
}

TEST(ImportCli, WhatsAppTwiceImportsNothingNew) {
  const auto dir = Corpus("whatsapp");
  if (dir.empty()) {
    GTEST_SKIP() << "no corpus: set CUSTOS_CORPUS to the shared corpus folder";
  }
  TempDir tmp;
  const std::string file = (dir / "test_ddmmyy_24hrs.txt").string();
  const RunResult first = RunCustos(
      {"import", "whatsapp", file, "--data", tmp.Path(), "--chat-name", "Lorem", "--json"});
  ASSERT_EQ(first.exit_code, 0) << first.err;
  EXPECT_EQ(Summary(first)["imported"], 9);
  const RunResult again =
      RunCustos({"import", "auto", file, "--data", tmp.Path(), "--chat-name", "Lorem", "--json"});
  ASSERT_EQ(again.exit_code, 0) << again.err;
  EXPECT_EQ(Summary(again)["format"], "whatsapp");
  EXPECT_EQ(Summary(again)["imported"], 0);
  EXPECT_EQ(Summary(again)["duplicates"], 9);
  const RunResult found = RunCustos({"search", "--data", tmp.Path(), "consectetur"});
  EXPECT_EQ(found.exit_code, 0) << found.err;
  EXPECT_NE(found.out.find("Jahn Doe"), std::string::npos) << found.out;
}

TEST(ImportCli, TelegramAutoAndBadInput) {
  const auto dir = Corpus("telegram");
  if (dir.empty()) {
    GTEST_SKIP() << "no corpus: set CUSTOS_CORPUS to the shared corpus folder";
  }
  TempDir tmp;
  const RunResult saved = RunCustos(
      {"import", "auto", (dir / "tcp_saved.json").string(), "--data", tmp.Path(), "--json"});
  ASSERT_EQ(saved.exit_code, 0) << saved.err;
  EXPECT_EQ(Summary(saved)["format"], "telegram");
  EXPECT_EQ(Summary(saved)["imported"], 21);

  const RunResult odd =
      RunCustos({"import", "telegram", (dir / "tcp_error-unexpected.json").string(), "--data",
                 tmp.Path(), "--json"});
  EXPECT_EQ(odd.exit_code, 0) << odd.err;
  EXPECT_EQ(Summary(odd)["skipped_by_kind"]["unsupported_type"], 1);
  EXPECT_NE(odd.err.find("tcp_error-unexpected.json:"), std::string::npos) << odd.err;

  const RunResult broken =
      RunCustos({"import", "telegram", (dir / "tcp_error.json").string(), "--data", tmp.Path()});
  EXPECT_EQ(broken.exit_code, kExitDataError);
  EXPECT_NE(broken.err.find("tcp_error.json:5:3: expected ','"), std::string::npos) << broken.err;
}

TEST(ImportCli, TruncatedThenFixedImportsOnlyTheRest) {
  TempDir tmp;
  const std::string head =
      "{\"name\": \"c\", \"id\": 9, \"messages\": [\n"
      "{\"id\": 1, \"type\": \"message\", \"date_unixtime\": \"1600000000\", \"from\": \"a\", "
      "\"text\": \"one\"},\n";
  WriteFile(tmp.File("result.json"), head + "{\"id\": 2, \"type\": \"mess");
  const RunResult cut =
      RunCustos({"import", "telegram", tmp.File("result.json"), "--data", tmp.File("d"), "--json"});
  EXPECT_EQ(cut.exit_code, kExitDataError);
  EXPECT_NE(cut.err.find("result.json:3:1:"), std::string::npos) << cut.err;
  EXPECT_NE(cut.err.find("1 messages before it were committed"), std::string::npos) << cut.err;
  WriteFile(tmp.File("result.json"),
            head +
                "{\"id\": 2, \"type\": \"message\", \"date_unixtime\": \"1600000001\", "
                "\"from\": \"b\", \"text\": \"two\"}]}\n");
  const RunResult fixed =
      RunCustos({"import", "telegram", tmp.File("result.json"), "--data", tmp.File("d"), "--json"});
  ASSERT_EQ(fixed.exit_code, 0) << fixed.err;
  EXPECT_EQ(Summary(fixed)["imported"], 1);
  EXPECT_EQ(Summary(fixed)["duplicates"], 1);
}

// Anna's export of her Telegram chat with Bob, then Bob's whole-account export: the messages
// both hold are stored once, with the reply and the forward kept on the stored records.
TEST(ImportCli, TelegramPersonalChatFromBothSidesStoresEachMessageOnce) {
  TempDir tmp;
  const auto data = [](const std::string& name) {
    const char* s = std::getenv("CUSTOS_SOURCE_DIR");
    return (std::filesystem::path(s != nullptr && *s != '\0' ? s : CUSTOS_DEFAULT_SOURCE_DIR) /
            "tests" / "data" / "importers" / "telegram" / name)
        .string();
  };
  const RunResult anna = RunCustos(
      {"import", "telegram", data("overlap_anna_chat.json"), "--data", tmp.Path(), "--json"});
  ASSERT_EQ(anna.exit_code, 0) << anna.err;
  EXPECT_EQ(Summary(anna)["imported"], 7);
  const RunResult bob = RunCustos(
      {"import", "auto", data("overlap_bob_account.json"), "--data", tmp.Path(), "--json"});
  ASSERT_EQ(bob.exit_code, 0) << bob.err;
  EXPECT_EQ(Summary(bob)["format"], "telegram");
  EXPECT_EQ(Summary(bob)["imported"], 2);  // "Talk tomorrow" and the supergroup message
  EXPECT_EQ(Summary(bob)["duplicates"], 7);
  const RunResult out = RunCustos({"export", "jsonl", "--data", tmp.Path()});
  ASSERT_EQ(out.exit_code, 0) << out.err;
  int lines = 0;
  int replies = 0;
  int forwards = 0;
  for (std::size_t at = 0; at < out.out.size();) {
    const std::size_t end = out.out.find('\n', at);
    const auto j = nlohmann::json::parse(out.out.substr(at, end - at));
    ++lines;
    replies += j.contains("reply_to") ? 1 : 0;
    forwards += j.value("forwarded_from", "") == "Acme Research" ? 1 : 0;
    at = end == std::string::npos ? out.out.size() : end + 1;
  }
  EXPECT_EQ(lines, 9);
  EXPECT_EQ(replies, 2);  // Bob's answer in the chat, and the supergroup message
  EXPECT_EQ(forwards, 1);
}

// The media of a WhatsApp export zip are stored with their messages: encrypted in the
// attachment store (never in plaintext on disk), checked by `custos verify`.
TEST(ImportCli, WhatsAppZipMediaAreStoredEncryptedAndVerified) {
  TempDir tmp;
  const std::string photo = "PHOTO-BYTES-" + std::string(4000, 'p');
  const std::string doc = "CONTRACT-BYTES-" + std::string(4000, 'd');
  const std::string zip = tmp.File("WhatsApp Chat - Deal.zip");
  importers::testing::WriteZip(
      zip, {{"_chat.txt",
             "[01/02/2024, 09:00:00] Alice: \xE2\x80\x8E<attached: 00000042-PHOTO-2024-02-01.jpg>\n"
             "[01/02/2024, 09:01:00] Bob: \xE2\x80\x8E<attached: 00000043-Contract.pdf>\n"
             "[01/02/2024, 09:02:00] Bob: <Media omitted>\n"},
            {"00000042-PHOTO-2024-02-01.jpg", photo},
            {"00000043-Contract.pdf", doc}});
  const std::string data = tmp.File("data");
  const RunResult imported =
      RunCustos({"import", "whatsapp", zip, "--data", data, "--custodian", "+447700900123",
                 "--self", "Alice", "--participant", "Bob=+447700900456", "--json"});
  ASSERT_EQ(imported.exit_code, 0) << imported.err;
  EXPECT_EQ(Summary(imported)["imported"], 3);
  const RunResult verified = RunCustos({"verify", "--data", data, "--json"});
  ASSERT_EQ(verified.exit_code, 0) << verified.out << verified.err;
  const auto report = Summary(verified);
  EXPECT_EQ(report["attachments"], 2) << verified.out;  // the omitted one has no content
  EXPECT_EQ(report["problem_count"], 0) << verified.out;
  // Neither file's bytes are anywhere in the data directory in plaintext.
  for (const auto& entry : std::filesystem::recursive_directory_iterator(data)) {
    if (entry.is_regular_file()) {
      const std::string bytes = importers::testing::ReadFile(entry.path().string());
      EXPECT_EQ(bytes.find("PHOTO-BYTES-"), std::string::npos) << entry.path();
      EXPECT_EQ(bytes.find("CONTRACT-BYTES-"), std::string::npos) << entry.path();
    }
  }
}

TEST(ImportCli, UnknownFormatAndMissingPath) {
  TempDir tmp;
  WriteFile(tmp.File("notes.txt"), "hello\n");
  const RunResult unknown =
      RunCustos({"import", "auto", tmp.File("notes.txt"), "--data", tmp.File("d")});
  EXPECT_EQ(unknown.exit_code, kExitDataError);
  EXPECT_NE(unknown.err.find("not a recognised export"), std::string::npos) << unknown.err;
  const RunResult missing =
      RunCustos({"import", "whatsapp", tmp.File("nope.txt"), "--data", tmp.File("d")});
  EXPECT_NE(missing.exit_code, 0);
  EXPECT_NE(missing.err.find("nope.txt"), std::string::npos) << missing.err;
}

}  // namespace
}  // namespace custos::testing
