// SPDX-License-Identifier: Apache-2.0
// app::ImportService driven directly (no CLI) on real data directories: a JSON Lines import run
// (hash, counts, every message linked to the run, the commit log), the stop at the first bad
// line, the refusal before a run begins, and exports through the identity stage: a directory
// person's primary identity, `dm:` conversation keys, labels, and the same WhatsApp chat from
// two phones stored once (the cross-export fingerprint).
#include "app/import_service.h"

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <memory>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "app/custos.h"
#include "core/text.h"
#include "crypto/crypto.h"
#include "directory/people_file.h"
#include "testing/temp_dir.h"

namespace custos::app {
namespace {

namespace fs = std::filesystem;

fs::path Data(const std::string& rel) {
  const char* s = std::getenv("CUSTOS_SOURCE_DIR");
  return fs::path(s != nullptr && *s != '\0' ? s : CUSTOS_DEFAULT_SOURCE_DIR) / "tests" / "data" /
         "importers" / rel;
}

std::string ReadAll(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::stringstream bytes;
  bytes << in.rdbuf();
  return bytes.str();
}

void WriteAll(const fs::path& p, const std::string& text) {
  std::ofstream out(p, std::ios::binary);
  out << text;
}

std::string Line(const std::string& id, const std::string& text) {
  return R"({"source":"test","source_id":")" + id +
         R"(","channel":"sms","conversation":"c1","from":"+447700900123","to":["+447700900456"],)"
         R"("sent_at":"2026-10-25T09:30:00Z","direction":"outbound","text":")" +
         text + "\"}\n";
}

// Records what the service reports while it runs.
class Recorder : public ImportObserver {
 public:
  void Started(std::int64_t total_bytes) override { total = total_bytes; }

  void Progressed(std::int64_t messages, std::uint64_t) override { last_progress = messages; }

  void Finished() override { ++finished; }

  void Skipped(const importers::Item& item) override { skipped.push_back(item.skip_kind); }

  std::int64_t total = -2;
  std::int64_t last_progress = 0;
  int finished = 0;
  std::vector<std::string> skipped;
};

class ImportServiceTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto c = Custos::Open({dir_.File("data"), false});
    ASSERT_TRUE(c.has_value()) << c.error().ToString();
    custos_ = std::move(c).value();
  }

  // Imports `text` as a JSON Lines file named `name`.
  core::Result<ImportReport> ImportText(const std::string& name, const std::string& text,
                                        const std::string& commit_log = "") {
    const std::string path = dir_.File(name);
    WriteAll(path, text);
    std::unique_ptr<std::FILE, int (*)(std::FILE*)> file(std::fopen(path.c_str(), "rb"),
                                                         &std::fclose);
    JsonlImportRequest request;
    request.input = file.get();
    request.name = path;
    request.path = path;
    request.source_name = name;
    request.batch = 2;  // several chunks in flight
    request.commit_log = commit_log;
    request.min_free_mb = 0;
    return custos_->imports().ImportJsonl(request, recorder_);
  }

  // Whether the sealed record of `m` names the import run `run` (docs/formats/records.md).
  bool RecordNamesRun(const model::Message& m, std::int64_t run) {
    auto canonical = custos_->log().RecordCanonical(m.record_id);
    EXPECT_TRUE(canonical.has_value()) << canonical.error().ToString();
    return canonical.has_value() &&
           canonical->find("\"import_run\":" + std::to_string(run) + ",") != std::string::npos;
  }

  std::vector<model::Message> Stored() {
    std::vector<model::Message> out;
    EXPECT_TRUE(custos_->store()
                    .ExportEach({},
                                [&](const model::Message& m) {
                                  out.push_back(m);
                                  return true;
                                })
                    .ok());
    return out;
  }

  testing::TempDir dir_;
  std::unique_ptr<Custos> custos_;
  Recorder recorder_;
};

TEST_F(ImportServiceTest, JsonlImportIsARunWithItsHashAndLinksEveryMessage) {
  const std::string text = Line("1", "one") + Line("2", "two") + "\n" + Line("3", "three");
  auto report = ImportText("a.jsonl", text, dir_.File("commits"));
  ASSERT_TRUE(report.has_value()) << report.error().ToString();
  EXPECT_TRUE(report->status.ok()) << report->status.ToString();
  EXPECT_TRUE(report->source_status.ok());
  EXPECT_TRUE(report->recorded.ok());
  EXPECT_FALSE(report->bad_line);
  EXPECT_EQ(report->counts.imported, 3);
  EXPECT_EQ(report->lines, 4);
  EXPECT_EQ(report->run.status, "completed");
  EXPECT_EQ(report->run.importer, "jsonl");
  EXPECT_EQ(report->run.source_name, "a.jsonl");
  EXPECT_EQ(report->run.source_sha256, core::HexEncode(crypto::Sha256(text)));
  EXPECT_GT(report->run.record_id, 0);
  EXPECT_EQ(recorder_.total, static_cast<std::int64_t>(text.size()));
  EXPECT_EQ(recorder_.last_progress, 3);
  EXPECT_EQ(recorder_.finished, 1);
  // The commit log ends with every line, the blank one included.
  const std::string commits = ReadAll(dir_.File("commits"));
  EXPECT_NE(commits.find("committed 4\n"), std::string::npos) << commits;
  const std::vector<model::Message> stored = Stored();
  ASSERT_EQ(stored.size(), 3u);
  for (const model::Message& m : stored) {
    EXPECT_TRUE(RecordNamesRun(m, report->run.id)) << m.record_id;
  }
  // The run is recorded as it was reported.
  auto runs = custos_->import_runs().List();
  ASSERT_TRUE(runs.has_value());
  ASSERT_EQ(runs->size(), 1u);
  EXPECT_EQ((*runs)[0].imported, 3);
  EXPECT_EQ((*runs)[0].status, "completed");
  // Again: a second run, every message a duplicate.
  auto again = ImportText("a.jsonl", text);
  ASSERT_TRUE(again.has_value());
  EXPECT_EQ(again->counts.imported, 0);
  EXPECT_EQ(again->counts.duplicates, 3);
  EXPECT_NE(again->run.id, report->run.id);
}

TEST_F(ImportServiceTest, JsonlImportStopsAtTheFirstBadLineAfterCommittingWhatCameBefore) {
  const std::string text = Line("1", "one") + Line("2", "two") +
                           R"({"source":"test","channel":"sms"})" + "\n" + Line("4", "four");
  auto report = ImportText("bad.jsonl", text, dir_.File("commits"));
  ASSERT_TRUE(report.has_value()) << report.error().ToString();
  EXPECT_TRUE(report->status.ok());
  ASSERT_TRUE(report->bad_line);
  EXPECT_EQ(report->bad_line->line, 3);
  EXPECT_FALSE(report->bad_line->field.empty());
  EXPECT_EQ(report->counts.imported, 2);
  EXPECT_EQ(report->run.status, "stopped");
  EXPECT_NE(report->run.stopped_at.find("bad.jsonl:3: field"), std::string::npos)
      << report->run.stopped_at;
  const std::string commits = ReadAll(dir_.File("commits"));
  EXPECT_NE(commits.find("committed 2\n"), std::string::npos) << commits;
  EXPECT_EQ(commits.find("committed 3"), std::string::npos) << commits;
  EXPECT_EQ(Stored().size(), 2u);
}

TEST_F(ImportServiceTest, RefusesBeforeTheRunBeginsWhenDiskSpaceIsShort) {
  const std::string path = dir_.File("x.jsonl");
  WriteAll(path, Line("1", "one"));
  std::unique_ptr<std::FILE, int (*)(std::FILE*)> file(std::fopen(path.c_str(), "rb"),
                                                       &std::fclose);
  JsonlImportRequest request;
  request.input = file.get();
  request.name = path;
  request.source_name = "x.jsonl";
  request.min_free_mb = std::int64_t{1} << 40;  // a mebibyte short of an exbibyte
  auto report = custos_->imports().ImportJsonl(request, recorder_);
  ASSERT_FALSE(report.has_value());
  EXPECT_EQ(report.error().code(), core::StatusCode::kResourceExhausted);
  auto runs = custos_->import_runs().List();
  ASSERT_TRUE(runs.has_value());
  EXPECT_TRUE(runs->empty());
  EXPECT_TRUE(Stored().empty());
}

TEST_F(ImportServiceTest, ExportsPassTheIdentityStageAndTwoPhonesStoreOneChat) {
  auto people = directory::ReadPeopleFile(Data("directory/people.csv").string(), "GB");
  ASSERT_TRUE(people.has_value()) << people.error().ToString();
  ASSERT_TRUE(custos_->directory().ImportPeople(*people).has_value());

  FormatImportRequest anna;
  anna.format = "whatsapp";
  anna.path = Data("whatsapp/overlap_anna_android.txt").string();
  anna.region = "GB";
  anna.options.custodian = "anna@firm.com";
  anna.options.self_identities = {"Anna Jones"};
  anna.options.chat_name = "Bob Smith";
  anna.participants = {"Bob Smith=+447700900456"};
  anna.min_free_mb = 0;
  auto first = custos_->imports().ImportExport(anna, recorder_);
  ASSERT_TRUE(first.has_value()) << first.error().ToString();
  EXPECT_TRUE(first->status.ok()) << first->status.ToString();
  EXPECT_TRUE(first->linked.ok()) << first->linked.ToString();
  EXPECT_EQ(first->format, "whatsapp");
  EXPECT_EQ(first->counts.imported, 5);
  EXPECT_EQ(first->run.status, "completed");
  EXPECT_EQ(first->run.custodian, "anna@firm.com");
  EXPECT_EQ(first->run.source_sha256,
            core::HexEncode(crypto::Sha256(ReadAll(Data("whatsapp/overlap_anna_android.txt")))));

  // Anna's messages carry her directory identity; the chat is keyed by both parties; every
  // WhatsApp message has its cross-export fingerprint as its source id.
  std::set<std::string> conversations;
  for (const model::Message& m : Stored()) {
    conversations.insert(m.conversation);
    EXPECT_TRUE(RecordNamesRun(m, first->run.id)) << m.record_id;
    EXPECT_FALSE(m.source_id.empty());
    if (m.text.find("figures ready") != std::string::npos) {
      EXPECT_EQ(m.from, "anna@firm.com");
    }
  }
  EXPECT_EQ(conversations, (std::set<std::string>{"dm:+447700900456 anna@firm.com"}));
  auto labels = custos_->directory().Labels();
  ASSERT_TRUE(labels.has_value());
  ASSERT_EQ(labels->size(), 1u);
  EXPECT_EQ((*labels)[0].label, "external");  // Bob is not in the directory

  // The same chat from Bob's phone (iOS, seconds, other names): only its new message is stored.
  FormatImportRequest bob;
  bob.format = "";  // detected
  bob.path = Data("whatsapp/overlap_bob_ios.txt").string();
  bob.region = "GB";
  bob.options.custodian = "+44 7700 900456";
  bob.options.self_identities = {"Bob"};
  bob.options.chat_name = "Anna J";
  bob.min_free_mb = 0;
  auto second = custos_->imports().ImportExport(bob, recorder_);
  ASSERT_TRUE(second.has_value()) << second.error().ToString();
  EXPECT_EQ(second->format, "whatsapp");
  EXPECT_EQ(second->counts.imported, 1);
  EXPECT_EQ(second->counts.duplicates, 5);
  EXPECT_EQ(Stored().size(), 6u);
}

TEST_F(ImportServiceTest, AnExportStepByStepAndABadParticipant) {
  FormatImportRequest request;
  request.format = "whatsapp";
  request.path = Data("whatsapp/overlap_anna_android.txt").string();
  request.region = "GB";
  request.participants = {"no equals sign"};
  request.min_free_mb = 0;
  auto import = FormatImport::Open(request, custos_->data_dir());
  ASSERT_TRUE(import.has_value()) << import.error().ToString();
  EXPECT_EQ(std::string((*import)->format().name), "whatsapp");
  EXPECT_EQ((*import)->options().default_region, "GB");
  ASSERT_TRUE((*import)->OpenSource().ok());
  const core::Status prepared = custos_->imports().Prepare(**import);
  EXPECT_EQ(prepared.code(), core::StatusCode::kInvalidArgument);
  EXPECT_NE(prepared.message().find("NAME=HANDLE"), std::string::npos);
  // Run refuses an import that was not prepared, and nothing was begun.
  auto report = custos_->imports().Run(**import, recorder_);
  ASSERT_FALSE(report.has_value());
  EXPECT_EQ(report.error().code(), core::StatusCode::kFailedPrecondition);
  auto runs = custos_->import_runs().List();
  ASSERT_TRUE(runs.has_value());
  EXPECT_TRUE(runs->empty());

  // An unknown region is refused when the export is opened.
  request.region = "Narnia";
  EXPECT_EQ(FormatImport::Open(request, custos_->data_dir()).error().code(),
            core::StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace custos::app
