// SPDX-License-Identifier: Apache-2.0
// End to end, with the real binary and a real data directory: the identity directory, then each
// of the five formats, then search by person and channel, the import runs with the hashes of
// their files (CLI and GET /api/v1/import-runs), every message linked to its run, conversation
// labels, re-imports that store nothing, and the same chat exported from two phones stored once.
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>
#include <string>
#include <vector>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "cli/custos_runner.h"
#include "core/text.h"
#include "crypto/crypto.h"
#include "e2e/custos_process.h"
#include "importers/chat_db_fixture.h"
#include "testing/temp_dir.h"

namespace custos::testing {
namespace {

namespace fs = std::filesystem;

fs::path Data(const std::string& rel) {
  const char* s = std::getenv("CUSTOS_SOURCE_DIR");
  return fs::path(s != nullptr && *s != '\0' ? s : CUSTOS_DEFAULT_SOURCE_DIR) / "tests" / "data" /
         "importers" / rel;
}

nlohmann::json LastJson(const RunResult& r) {
  const std::size_t end = r.out.find_last_not_of('\n');
  const std::size_t start = r.out.rfind('\n', end);
  return nlohmann::json::parse(r.out.substr(start == std::string::npos ? 0 : start + 1));
}

std::string FileSha256(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::stringstream bytes;
  bytes << in.rdbuf();
  return core::HexEncode(crypto::Sha256(bytes.str()));
}

struct Import {
  std::string format;
  std::string path;
  std::vector<std::string> flags;
};

class ImportChain : public ::testing::Test {
 protected:
  ImportChain() : data_(tmp_.File("data")) {
    chat_db_ = importers::BuildChatDb(tmp_);
    imports_ = {
        {"whatsapp",
         Data("whatsapp/overlap_anna_android.txt"),
         {"--custodian", "anna@firm.com", "--self", "Anna Jones", "--chat-name", "Bob Smith",
          "--participant", "Bob Smith=+447700900456"}},
        {"telegram",
         Data("telegram/result.json"),
         {"--custodian", "anna@firm.com", "--self", "user1001"}},
        {"sms-backup", Data("sms-backup/pitfalls.xml"), {"--custodian", "carl@firm.com"}},
        {"slack", Data("slack/export"), {}},
        {"imessage", chat_db_, {"--custodian", "carl@firm.com"}},
    };
  }

  RunResult Run(const Import& i) {
    std::vector<std::string> args = {"import", i.format, i.path, "--data", data_, "--json"};
    args.insert(args.end(), i.flags.begin(), i.flags.end());
    return RunCustos(args);
  }

  std::string Search(const std::string& query) {
    const RunResult r = RunCustos({"search", "--data", data_, "--json", "--limit", "100", query});
    EXPECT_EQ(r.exit_code, 0) << r.err;
    return r.out;
  }

  TempDir tmp_;
  std::string data_;
  std::string chat_db_;
  std::vector<Import> imports_;
};

TEST_F(ImportChain, DirectoryThenEveryFormatThenSearchAndRuns) {
  const RunResult people = RunCustos({"directory", "import", Data("directory/people.csv").string(),
                                      "--data", data_, "--region", "GB", "--json"});
  ASSERT_EQ(people.exit_code, 0) << people.err;
  EXPECT_EQ(LastJson(people)["added"], 3);

  std::map<std::string, int> imported;
  for (const Import& i : imports_) {
    const RunResult r = Run(i);
    ASSERT_EQ(r.exit_code, 0) << i.format << ": " << r.err;
    const nlohmann::json summary = LastJson(r);
    imported[i.format] = summary["imported"].get<int>();
    EXPECT_GT(imported[i.format], 0) << i.format;
    EXPECT_EQ(summary["source_sha256"].get<std::string>().size(), 64u);
  }
  EXPECT_EQ(imported["whatsapp"], 5);
  EXPECT_EQ(imported["telegram"], 2);

  // Re-importing each file stores nothing new.
  for (const Import& i : imports_) {
    const RunResult r = Run(i);
    ASSERT_EQ(r.exit_code, 0) << i.format << ": " << r.err;
    EXPECT_EQ(LastJson(r)["imported"], 0) << i.format;
    EXPECT_EQ(LastJson(r)["duplicates"], imported[i.format]) << i.format;
  }

  // The same chat exported from the other phone (iOS, seconds, other names): only its new
  // message is stored.
  const RunResult bob =
      Run({"whatsapp",
           Data("whatsapp/overlap_bob_ios.txt"),
           {"--custodian", "+44 7700 900456", "--self", "Bob", "--chat-name", "Anna J"}});
  ASSERT_EQ(bob.exit_code, 0) << bob.err;
  EXPECT_EQ(LastJson(bob)["imported"], 1);
  EXPECT_EQ(LastJson(bob)["duplicates"], 5);

  // Search finds a person's messages on every channel, by the directory's identity.
  EXPECT_NE(Search("from:anna@firm.com channel:whatsapp").find("figures ready"), std::string::npos);
  EXPECT_EQ(Search("from:anna@firm.com channel:whatsapp guaranteed").find("sending now"),
            std::string::npos);
  EXPECT_NE(Search("from:anna@firm.com channel:telegram").find("Telegram hello from Anna"),
            std::string::npos);
  EXPECT_NE(Search("from:anna@firm.com channel:sms").find("Surrogate pair"), std::string::npos);
  EXPECT_NE(Search("from:anna@firm.com channel:sms").find("xxxxxxxx"), std::string::npos);
  EXPECT_NE(Search("from:alice@example.com channel:imessage").find("Hello from the old Mac"),
            std::string::npos);
  EXPECT_NE(Search("from:alice@example.com channel:slack").find("Morning"), std::string::npos);
  EXPECT_NE(Search("from:+447700900456 channel:whatsapp").find("One more thing"),
            std::string::npos);

  // Every run is listed with the SHA-256 of its file.
  const RunResult runs = RunCustos({"import", "runs", "--data", data_, "--json"});
  ASSERT_EQ(runs.exit_code, 0) << runs.err;
  const nlohmann::json list = nlohmann::json::parse(runs.out)["runs"];
  ASSERT_EQ(list.size(), 11u);
  for (std::size_t k = 0; k < 10; ++k) {
    const Import& i = imports_[k % 5];
    EXPECT_EQ(list[k]["importer"], i.format);
    EXPECT_EQ(list[k]["status"], "completed");
    EXPECT_EQ(list[k]["source_name"], fs::path(i.path).filename().string());
    if (!fs::is_directory(i.path)) {
      EXPECT_EQ(list[k]["source_sha256"], FileSha256(i.path)) << i.format;
    }
  }
  EXPECT_EQ(list[0]["custodian"], "anna@firm.com");
  EXPECT_EQ(list[10]["custodian"], "+447700900456");
  EXPECT_EQ(list[10]["source_sha256"], FileSha256(Data("whatsapp/overlap_bob_ios.txt")));

  // Each message's record names its run; the run's record states the hash.
  const RunResult message = RunCustos({"record", "show", "2", "--data", data_, "--canonical"});
  ASSERT_EQ(message.exit_code, 0) << message.err;
  EXPECT_NE(message.out.find("\"import_run\":1,"), std::string::npos) << message.out;
  const RunResult run_record =
      RunCustos({"record", "show", std::to_string(list[0]["record_id"].get<int>()), "--data", data_,
                 "--canonical"});
  EXPECT_NE(run_record.out.find("\"kind\":\"import_run\""), std::string::npos);
  EXPECT_NE(run_record.out.find(list[0]["source_sha256"].get<std::string>()), std::string::npos);

  // Conversations are labelled: Bob is outside the firm; the SMS between Anna and Carl is not.
  const RunResult labels = RunCustos({"directory", "labels", "--data", data_, "--json"});
  ASSERT_EQ(labels.exit_code, 0) << labels.err;
  std::map<std::string, int> by_label;
  const nlohmann::json label_list = nlohmann::json::parse(labels.out);
  for (const auto& l : label_list["conversations"]) {
    ++by_label[l["label"].get<std::string>()];
  }
  EXPECT_GT(by_label["internal"], 0) << labels.out;
  EXPECT_GT(by_label["external"], 0);

  // The API lists the same runs and labels.
  std::string error;
  auto server = e2e::CustosProcess::Start(data_, &error);
  ASSERT_NE(server, nullptr) << error;
  auto client = server->Client();
  const auto api_runs = client->Get("/api/v1/import-runs", server->Auth());
  ASSERT_TRUE(api_runs);
  ASSERT_EQ(api_runs->status, 200) << api_runs->body;
  const nlohmann::json items = nlohmann::json::parse(api_runs->body)["items"];
  ASSERT_EQ(items.size(), 11u);
  EXPECT_EQ(items[0]["source_sha256"], list[0]["source_sha256"]);
  const auto external = client->Get("/api/v1/conversation-labels?label=external", server->Auth());
  ASSERT_TRUE(external);
  EXPECT_EQ(nlohmann::json::parse(external->body)["items"].size(),
            static_cast<std::size_t>(by_label["external"]));
  const auto bad = client->Get("/api/v1/conversation-labels?label=maybe", server->Auth());
  ASSERT_TRUE(bad);
  EXPECT_EQ(bad->status, 400);
  EXPECT_EQ(client->Get("/api/v1/import-runs")->status, 401);
}

TEST_F(ImportChain, BadDirectoryFilesNameTheLineAndImportNothing) {
  WriteFile(tmp_.File("people.csv"), "name,phones\nAnna,07700 900123\nBob,12\n");
  const RunResult bad =
      RunCustos({"directory", "import", tmp_.File("people.csv"), "--data", data_});
  EXPECT_EQ(bad.exit_code, 65);
  EXPECT_NE(bad.err.find("people.csv:3: field \"phones\": \"12\" is not a valid phone number"),
            std::string::npos)
      << bad.err;
  const RunResult json = RunCustos(
      {"directory", "import", Data("directory/people.json").string(), "--data", data_, "--json"});
  ASSERT_EQ(json.exit_code, 0) << json.err;
  EXPECT_EQ(LastJson(json)["added"], 3);  // Anna was not half-imported by the bad file
}

TEST_F(ImportChain, AStoppedImportIsARunWithWhereItStopped) {
  const std::string full = ReadFile(Data("telegram/result.json").string());
  WriteFile(tmp_.File("result.json"), full.substr(0, full.find("{\"id\": 2")) + "{\"id\": 2, \"ty");
  const RunResult cut =
      RunCustos({"import", "telegram", tmp_.File("result.json"), "--data", data_});
  EXPECT_EQ(cut.exit_code, 65) << cut.err;
  WriteFile(tmp_.File("result.json"), full);
  const RunResult fixed =
      RunCustos({"import", "telegram", tmp_.File("result.json"), "--data", data_, "--json"});
  ASSERT_EQ(fixed.exit_code, 0) << fixed.err;
  EXPECT_EQ(LastJson(fixed)["imported"], 1);  // only the rest
  EXPECT_EQ(LastJson(fixed)["duplicates"], 1);
  const RunResult runs = RunCustos({"import", "runs", "--data", data_, "--json"});
  const nlohmann::json list = nlohmann::json::parse(runs.out)["runs"];
  ASSERT_EQ(list.size(), 2u);
  EXPECT_EQ(list[0]["status"], "stopped");
  EXPECT_NE(list[0]["stopped_at"].get<std::string>().find("result.json:"), std::string::npos)
      << list[0];
  EXPECT_EQ(list[0]["imported"], 1);
  EXPECT_NE(list[0]["source_sha256"], list[1]["source_sha256"]);  // two different files
  EXPECT_EQ(list[1]["status"], "completed");
}

}  // namespace
}  // namespace custos::testing
