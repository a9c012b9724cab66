// SPDX-License-Identifier: Apache-2.0
// The directory module on real SQLite files: E.164 normalisation, people.csv|json with positions,
// people sealed at rest, resolution, external parties, import runs and their records, and the
// cross-export fingerprint.
#include "directory/directory.h"

#include <fstream>

#include <gtest/gtest.h>

#include "archive/records.h"
#include "directory/fingerprint.h"
#include "directory/identity.h"
#include "directory/import_runs.h"
#include "storage/sqlite/sqlite_database.h"
#include "testing/fake_clock.h"
#include "testing/temp_dir.h"

namespace custos::directory {
namespace {

TEST(Identity, PhonesBecomeE164WithTheDefaultRegion) {
  EXPECT_EQ(PhoneToE164("07700 900123", "GB"), "+447700900123");
  EXPECT_EQ(PhoneToE164("+44 (0)7700-900123", "US"), "+447700900123");
  EXPECT_EQ(PhoneToE164("(201) 555-0123", "us"), "+12015550123");
  EXPECT_EQ(PhoneToE164("Bob Smith", "GB"), std::nullopt);
  EXPECT_EQ(NormaliseIdentity(" Anna@Firm.COM ", "GB"), "anna@firm.com");
  EXPECT_EQ(NormaliseIdentity("Bob Smith", "GB"), "Bob Smith");
  EXPECT_EQ(LookupKey("Bob Smith", "GB"), "bob smith");
}

TEST(PeopleFile, CsvWithQuotesListsAndDeskAlias) {
  auto people = ParsePeople("people.csv",
                            "Name,Emails,Phones,Handles,Desk,Manager\n"
                            "\"Jones, Anna\",Anna@Firm.com,07700 900123;+1 201 555 0123,"
                            "\"anna.j;\"\"AJ\"\"\",sales,boss@firm.com\n"
                            "\n"
                            "Carl,,,,ops,\n",
                            "GB");
  ASSERT_TRUE(people.has_value()) << people.error().message();
  ASSERT_EQ(people->size(), 2u);
  EXPECT_EQ((*people)[0].name, "Jones, Anna");
  EXPECT_EQ((*people)[0].emails, std::vector<std::string>{"anna@firm.com"});
  EXPECT_EQ((*people)[0].phones, (std::vector<std::string>{"+447700900123", "+12015550123"}));
  EXPECT_EQ((*people)[0].handles, (std::vector<std::string>{"anna.j", "\"AJ\""}));
  EXPECT_EQ((*people)[0].group, "sales");
  EXPECT_EQ((*people)[1].where, "people.csv:4");
}

TEST(PeopleFile, ErrorsNameFileLineAndField) {
  auto bad_phone = ParsePeople("p.csv", "name,phones\nAnna,+44 1\nBob,notaphone\n", "GB");
  ASSERT_FALSE(bad_phone.has_value());
  EXPECT_EQ(bad_phone.error().message().rfind("p.csv:2: field \"phones\":", 0), 0u)
      << bad_phone.error().message();
  auto bad_column = ParsePeople("p.csv", "name,shoe size\n", "GB");
  ASSERT_FALSE(bad_column.has_value());
  EXPECT_NE(bad_column.error().message().find("p.csv:1: unknown column \"shoe size\""),
            std::string::npos);
  auto bad_json = ParsePeople("p.json", R"([{"name":"A","emails":["a@x.com"]},{"name":"B",
    "emails":"not-an-email"}])",
                              "GB");
  ASSERT_FALSE(bad_json.has_value());
  EXPECT_EQ(bad_json.error().message(),
            "p.json: entry 2: field \"emails\": \"not-an-email\" is not an e-mail address");
  EXPECT_FALSE(ParsePeople("p.json", R"([{"name":"A","age":3}])", "GB").has_value());
  EXPECT_FALSE(ParsePeople("p.txt", "name\nA\n", "GB").has_value());
  EXPECT_FALSE(ParsePeople("p.csv", "name\n\"A\n", "GB").has_value());
}

class DirectoryTest : public ::testing::Test {
 protected:
  DirectoryTest()
      : keys_(*crypto::KeyRing::LoadOrCreate(dir_.File("keyring"))),
        db_(*storage::OpenSqlite(dir_.File("custos.db"))),
        directory_(db_.get(), &keys_, &clock_),
        runs_(db_.get(), &keys_, &clock_) {}

  testing::TempDir dir_;
  testing::FakeClock clock_;
  crypto::KeyRing keys_;
  std::unique_ptr<storage::Database> db_;
  Directory directory_;
  ImportRuns runs_;
};

TEST_F(DirectoryTest, ImportsResolvesAndKeepsNamesSealed) {
  auto people = ParsePeople("people.json", R"([
    {"name":"Anna Jones","emails":["anna@firm.com"],"phones":["07700 900123"],
     "handles":["Anna J","@anna"],"desk":"sales","manager":"boss@firm.com"},
    {"name":"Carl Ops","phones":["+44 7700 900999"]}])",
                            "GB");
  ASSERT_TRUE(people.has_value()) << people.error().message();
  auto summary = directory_.ImportPeople(*people);
  ASSERT_TRUE(summary.has_value()) << summary.error().message();
  EXPECT_EQ(summary->added, 2);
  EXPECT_EQ(summary->identities, 5);
  // Importing again updates, never duplicates.
  EXPECT_EQ(directory_.ImportPeople(*people)->updated, 2);
  auto resolver = directory_.LoadResolver("GB");
  ASSERT_TRUE(resolver.has_value());
  for (const char* name :
       {"anna j", "ANNA@firm.com", "07700900123", "+44 7700 900123", "Anna Jones", "@anna"}) {
    const Resolved r = resolver->Resolve(name);
    EXPECT_EQ(r.identity, "anna@firm.com") << name;
    EXPECT_TRUE(r.employee) << name;
  }
  EXPECT_EQ(resolver->Resolve("07700 900999").identity, "+447700900999");
  const Resolved bob = resolver->Resolve("+44 7700 900456");
  EXPECT_EQ(bob.identity, "+447700900456");
  EXPECT_FALSE(bob.employee);
  resolver->AddAlias("Bob Smith", "+447700900456");
  EXPECT_EQ(resolver->Resolve("bob smith").identity, "+447700900456");
  resolver->AddAlias("Boss", "Carl Ops");
  EXPECT_TRUE(resolver->Resolve("Boss").employee);

  EXPECT_EQ(*directory_.RecordParties({"+447700900456", "anna@firm.com", "Bob"}, 1), 2);
  EXPECT_EQ(*directory_.RecordParties({"+447700900456"}, 2), 0);
  EXPECT_EQ(*directory_.PartyCount(), 2);

  // No name, e-mail or phone in clear anywhere in the database file.
  db_.reset();
  std::ifstream in(dir_.File("custos.db"), std::ios::binary);
  const std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  for (const char* secret : {"Anna", "anna@firm.com", "447700900123", "447700900456", "sales"}) {
    EXPECT_EQ(bytes.find(secret), std::string::npos) << secret;
  }
}

TEST_F(DirectoryTest, AnIdentityCannotBelongToTwoPeople) {
  auto people = ParsePeople("p.csv", "name,emails\nA,a@x.com\nB,b@x.com;a@x.com\n", "GB");
  ASSERT_TRUE(people.has_value());
  auto summary = directory_.ImportPeople(*people);
  ASSERT_FALSE(summary.has_value());
  EXPECT_EQ(summary.error().message(),
            "p.csv:3: \"a@x.com\" already belongs to another person of the directory");
  EXPECT_TRUE(directory_.People()->empty());  // nothing half-written
  auto twice = ParsePeople("p.csv", "name,emails\nA,a@x.com\nA2,a@x.com\n", "GB");
  ASSERT_TRUE(twice.has_value());
  EXPECT_EQ(directory_.ImportPeople(*twice).error().message(),
            "p.csv:3: the same person (first e-mail, else name) as p.csv:2");
}

TEST_F(DirectoryTest, ImportRunsAreRecordsWithHashes) {
  ImportRun run;
  run.importer = "whatsapp";
  run.version = "custos test importer whatsapp/1";
  run.source_name = "chat.txt";
  run.source_sha256 = std::string(64, 'a');
  run.custodian = "anna@firm.com";
  ASSERT_TRUE(runs_.Begin(run).ok());
  EXPECT_EQ(run.id, 1);
  clock_.Advance(5 * core::kMicrosPerSecond);
  run.status = "completed";
  run.imported = 7;
  run.duplicates = 2;
  run.skipped["empty"] = 1;
  ASSERT_TRUE(runs_.Finish(run).ok());
  auto tx = *db_->Begin(storage::TxMode::kRead);
  auto bytes = archive::ReadCanonical(*tx, keys_, run.record_id);
  ASSERT_TRUE(bytes.has_value());
  EXPECT_NE(bytes->find("\"kind\":\"import_run\""), std::string::npos) << *bytes;
  EXPECT_NE(bytes->find("\"source_sha256\":\"" + std::string(64, 'a') + "\""), std::string::npos);
  EXPECT_NE(bytes->find("\"started_at\":\"2024-01-01T00:00:00Z\""), std::string::npos) << *bytes;
  EXPECT_NE(bytes->find("\"ended_at\":\"2024-01-01T00:00:05Z\""), std::string::npos);
  tx.reset();
  auto list = runs_.List();
  ASSERT_TRUE(list.has_value());
  ASSERT_EQ(list->size(), 1u);
  EXPECT_EQ((*list)[0].source_name, "chat.txt");
  EXPECT_EQ((*list)[0].custodian, "anna@firm.com");
  EXPECT_EQ((*list)[0].imported, 7);
  EXPECT_EQ((*list)[0].skipped.at("empty"), 1);
}

TEST_F(DirectoryTest, SourceHashOfAFileAndOfADirectory) {
  { std::ofstream(dir_.File("a.txt")) << "abc"; }
  EXPECT_EQ(*SourceSha256(dir_.File("a.txt")),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  EXPECT_EQ(SourceSha256(dir_.Path())->size(), 64u);
  EXPECT_FALSE(SourceSha256(dir_.File("missing")).has_value());
}

TEST(Fingerprint, ToleratesSecondsOnWhatsAppAndInvisibleMarks) {
  model::Message a;
  a.channel = "whatsapp";
  a.conversation = "dm:+447700900456 anna@firm.com";
  a.from = "anna@firm.com";
  a.sent_at = 1'700'000'040LL * core::kMicrosPerSecond;  // hh:mm:00 (Android)
  a.text = "See you at\u202f5pm";
  model::Message b = a;
  b.sent_at += 37 * core::kMicrosPerSecond;  // the same minute, with seconds (iOS)
  b.text = "\u200eSee you at 5pm ";
  Fingerprinter fa, fb;
  const std::string id = fa.Next(a);
  EXPECT_EQ(id, fb.Next(b));
  EXPECT_EQ(fa.Next(a), id + "-1");  // a second identical message in the same minute
  model::Message sms = a;
  sms.channel = "sms";
  model::Message sms_later = sms;
  sms_later.sent_at += core::kMicrosPerSecond;
  Fingerprinter fs;
  EXPECT_NE(fs.Next(sms), fs.Next(sms_later));  // SMS keeps seconds
  model::Message other = a;
  other.from = "+447700900456";
  EXPECT_NE(Fingerprinter().Next(other), id);
}

}  // namespace
}  // namespace custos::directory
