// SPDX-License-Identifier: Apache-2.0
// imessage importer: tests/data/importers/imessage/chat.sql (the real macOS schema, a subset of
// the columns, and rows for each pitfall of docs/formats/imessage.md) loaded into a real chat.db.
#include "importers/imessage.h"

#include <filesystem>
#include <fstream>

#include <gtest/gtest.h>
#include <sqlite3.h>

#include "importers/chat_db_fixture.h"
#include "importers/imessage_body.h"
#include "importers/item_split.h"
#include "testing/temp_dir.h"

namespace custos::importers {
namespace {

namespace fs = std::filesystem;
using testing::DrainSplit;

// The chat.db at `path` imported for the custodian +447700900999 in region GB.
testing::SplitItems ImportChatDb(const std::string& path) {
  ImportOptions options;
  options.custodian = "+447700900999";
  options.default_region = "GB";
  return DrainSplit(IMessageFormat(), path, options);
}

TEST(IMessageImport, EveryPitfallFromARealSchema) {
  const custos::testing::TempDir dir;
  const std::string path = BuildChatDb(dir);
  const auto before = fs::last_write_time(path);
  const auto size_before = fs::file_size(path);
  const testing::SplitItems d = ImportChatDb(path);
  ASSERT_TRUE(d.error.ok()) << d.error.ToString();
  ASSERT_EQ(d.messages.size(), 26u);
  ASSERT_EQ(d.skipped.size(), 1u);
  EXPECT_EQ(d.skipped[0].skip_kind, "empty");
  EXPECT_EQ(d.skipped[0].position.ToString(), "chat.db (ROWID 7)");

  const model::Message& old = d.messages[0].message;
  EXPECT_EQ(old.source, "imessage-db");
  EXPECT_EQ(old.source_id, "G-1");
  EXPECT_EQ(old.channel, "imessage");
  EXPECT_EQ(old.conversation, "iMessage;-;+15550100199");
  EXPECT_EQ(old.from, "+15550100199");  // "+1 (555) 010-0199" normalised
  EXPECT_EQ(old.to, std::vector<std::string>{"+447700900999"});
  EXPECT_EQ(old.sent_at, (978307200 + 600000000) * core::kMicrosPerSecond);
  EXPECT_EQ(old.direction, model::Direction::kInbound);

  const model::Message& ventura = d.messages[1].message;
  EXPECT_EQ(ventura.text, "Ventura keeps text here \xF0\x9F\x98\x80");
  EXPECT_EQ(ventura.from, "+447700900999");
  EXPECT_EQ(ventura.direction, model::Direction::kOutbound);
  EXPECT_EQ(ventura.sent_at, 978307200 * core::kMicrosPerSecond + 700000000123456);

  const model::Message& liked = d.messages[2].message;
  EXPECT_EQ(liked.kind, model::EventKind::kReaction);
  EXPECT_EQ(liked.target_source_id, "G-1");
  EXPECT_EQ(liked.text, "liked");
  const model::Message& unloved = d.messages[3].message;
  EXPECT_EQ(unloved.kind, model::EventKind::kReaction);
  EXPECT_EQ(unloved.text, "-loved");

  const Item& group = d.messages[4];
  EXPECT_EQ(group.message.conversation, "iMessage;+;chat123456");
  EXPECT_EQ(group.message.from, "+447700900999");  // is_from_me with handle_id 0
  EXPECT_EQ(group.message.to, (std::vector<std::string>{"+15550100199", "bob@example.com"}));
  ASSERT_EQ(group.attachments.size(), 2u);
  ASSERT_TRUE(group.attachments[0].bytes.has_value());
  EXPECT_EQ(group.message.attachments[0].size, 4);
  EXPECT_EQ(group.message.attachments[0].mime, "image/jpeg");
  EXPECT_EQ(group.message.attachments[0].sha256.size(), 64u);
  EXPECT_TRUE(group.attachments[1].missing);
  EXPECT_EQ(group.message.attachments[1].name, "gone.pdf");
  EXPECT_EQ(group.message.attachments[1].mime, "application/pdf");
  EXPECT_EQ(group.message.attachments[1].size, 1234);

  EXPECT_EQ(d.messages[5].message.from, "bob@example.com");
  EXPECT_EQ(d.messages[5].message.reply_to, "G-5");  // thread_originator_guid
  EXPECT_TRUE(group.message.reply_to.empty());
  EXPECT_EQ(d.messages[5].message.to, (std::vector<std::string>{"+447700900999", "+15550100199"}));
  const model::Message& sms = d.messages[6].message;
  EXPECT_EQ(sms.channel, "sms");
  EXPECT_EQ(sms.from, "+447700900123");  // "07700 900123" in region GB
  EXPECT_EQ(sms.text, std::string(200, 'x'));
  EXPECT_EQ(sms.conversation, "SMS;-;+447700900123");
  const model::Message& intl = d.messages[21].message;
  EXPECT_EQ(intl.from, "+447700900555");  // "00 44 7700 900555"
  EXPECT_EQ(intl.channel, "sms");
  EXPECT_EQ(intl.text, "International 00 prefix");

  // Opened immutable and read-only: nothing written, no -wal/-shm left behind.
  EXPECT_EQ(fs::last_write_time(path), before);
  EXPECT_EQ(fs::file_size(path), size_before);
  EXPECT_FALSE(fs::exists(path + "-wal"));
  EXPECT_FALSE(fs::exists(path + "-shm"));
}

// Rows 9-22: tapbacks 2000-2006 on G-6 in the group, then their removals 3000-3006, with
// associated_message_guid in both the "p:0/GUID" and the "bp:GUID" form.
TEST(IMessageImport, EveryTapbackAndItsRemoval) {
  const custos::testing::TempDir dir;
  const testing::SplitItems d = ImportChatDb(BuildChatDb(dir));
  ASSERT_TRUE(d.error.ok()) << d.error.ToString();
  ASSERT_EQ(d.messages.size(), 26u);
  const std::vector<std::string> names = {"loved",      "liked",      "disliked", "laughed",
                                          "emphasized", "questioned", "emoji"};
  for (int i = 0; i < 14; ++i) {
    const int rowid = 9 + i;
    SCOPED_TRACE("ROWID " + std::to_string(rowid));
    const Item& item = d.messages[static_cast<std::size_t>(7 + i)];
    EXPECT_EQ(item.position.ToString(), "chat.db (ROWID " + std::to_string(rowid) + ")");
    const model::Message& m = item.message;
    EXPECT_EQ(m.source_id, "G-" + std::to_string(rowid));
    EXPECT_EQ(m.kind, model::EventKind::kReaction);
    EXPECT_EQ(m.target_source_id, "G-6");
    EXPECT_EQ(m.text, (i < 7 ? "" : "-") + names[static_cast<std::size_t>(i % 7)]);
    EXPECT_EQ(m.from, "+15550100199");
    EXPECT_EQ(m.conversation, "iMessage;+;chat123456");
    EXPECT_EQ(m.sent_at, 978307200 * core::kMicrosPerSecond + 700000010000000 +
                             std::int64_t{rowid} * core::kMicrosPerSecond);
    EXPECT_TRUE(m.attachments.empty());
  }
}

// Rows 24 and 25 (macOS Ventura): an edited message with text NULL and every version in
// message_summary_info, and an unsent one whose text is gone.
TEST(IMessageImport, EditsAndUnsendsFromMessageSummaryInfo) {
  const custos::testing::TempDir dir;
  const testing::SplitItems d = ImportChatDb(BuildChatDb(dir));
  ASSERT_TRUE(d.error.ok()) << d.error.ToString();
  ASSERT_EQ(d.messages.size(), 26u);
  constexpr core::Micros kT = (978307200 + 700000200) * core::kMicrosPerSecond;

  struct Want {
    std::string source_id;
    model::EventKind kind;
    core::Micros sent_at;
    std::string text;
    std::string target;
    std::string from;
  };

  using K = model::EventKind;
  const std::vector<Want> want = {
      {"G-24", K::kMessage, kT, "Meet at 2pm", "", "+447700900999"},
      {"G-24:edit:1", K::kEdit, kT + 30 * core::kMicrosPerSecond, "Meet at 2:30pm", "G-24",
       "+447700900999"},
      {"G-24:edit:2", K::kEdit, kT + 60 * core::kMicrosPerSecond, "Meet at 3pm", "G-24",
       "+447700900999"},
      {"G-25:unsent", K::kDelete, kT + 110 * core::kMicrosPerSecond, "", "G-25", "+15550100199"},
  };
  for (std::size_t i = 0; i < want.size(); ++i) {
    SCOPED_TRACE(want[i].source_id);
    const Item& item = d.messages[22 + i];
    EXPECT_EQ(item.message.source_id, want[i].source_id);
    EXPECT_EQ(item.message.kind, want[i].kind);
    EXPECT_EQ(item.message.sent_at, want[i].sent_at);
    EXPECT_EQ(item.message.text, want[i].text);
    EXPECT_EQ(item.message.target_source_id, want[i].target);
    EXPECT_EQ(item.message.from, want[i].from);
    EXPECT_EQ(item.message.conversation, "iMessage;-;+15550100199");
    EXPECT_TRUE(item.attachments.empty());
  }
  EXPECT_EQ(d.messages[25].position.ToString(), "chat.db (ROWID 25)");
}

// Every prefix and every one-bit flip of a real message_summary_info blob parses or is refused,
// never read out of bounds (the reader checks each offset against the blob).
TEST(IMessageBody, MessageSummaryCutOrFlippedIsRefusedOrParsed) {
  const custos::testing::TempDir dir;
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open(BuildChatDb(dir).c_str(), &db), SQLITE_OK);
  sqlite3_stmt* st = nullptr;
  ASSERT_EQ(sqlite3_prepare_v2(db, "SELECT message_summary_info FROM message WHERE ROWID = 24", -1,
                               &st, nullptr),
            SQLITE_OK);
  ASSERT_EQ(sqlite3_step(st), SQLITE_ROW);
  const std::string blob(static_cast<const char*>(sqlite3_column_blob(st, 0)),
                         static_cast<std::size_t>(sqlite3_column_bytes(st, 0)));
  sqlite3_finalize(st);
  sqlite3_close(db);
  const std::optional<MessageSummary> whole = ParseMessageSummary(blob);
  ASSERT_TRUE(whole.has_value());
  ASSERT_EQ(whole->edited_parts.size(), 1u);
  EXPECT_EQ(whole->edited_parts[0].size(), 3u);
  EXPECT_TRUE(whole->unsent_parts.empty());
  int parsed = 0;
  for (std::size_t n = 0; n < blob.size(); ++n) {
    parsed += ParseMessageSummary(blob.substr(0, n)).has_value() ? 1 : 0;
    for (int bit = 0; bit < 8; ++bit) {
      std::string flipped = blob;
      flipped[n] = static_cast<char>(flipped[n] ^ (1 << bit));
      parsed += ParseMessageSummary(flipped).has_value() ? 1 : 0;
    }
  }
  EXPECT_GT(parsed, 0);  // flips inside the text keep a valid plist
}

TEST(IMessageImport, FolderWithChatDbIsSniffed) {
  const custos::testing::TempDir dir;
  BuildChatDb(dir);
  auto bundle = Bundle::Open(dir.Path());
  ASSERT_TRUE(bundle.has_value()) << bundle.error().ToString();
  EXPECT_EQ(IMessageFormat().sniff(**bundle), 95);
  EXPECT_EQ(DrainSplit(IMessageFormat(), dir.Path()).messages.size(), 26u);
}

TEST(IMessageImport, NotADatabaseAndWrongSchemaAreClearErrors) {
  const custos::testing::TempDir dir;
  std::ofstream(dir.File("chat.db")) << "this is not sqlite";
  testing::SplitItems d = DrainSplit(IMessageFormat(), dir.File("chat.db"));
  ASSERT_FALSE(d.error.ok());
  EXPECT_NE(d.error.message().find("not a SQLite database"), std::string::npos)
      << d.error.message();

  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open(dir.File("other.db").c_str(), &db), SQLITE_OK);
  Exec(db, "CREATE TABLE message (id INTEGER PRIMARY KEY, body TEXT)");
  sqlite3_close(db);
  d = DrainSplit(IMessageFormat(), dir.File("other.db"));
  ASSERT_FALSE(d.error.ok());
  EXPECT_NE(d.error.message().find("not a Messages chat.db"), std::string::npos)
      << d.error.message();
}

TEST(IMessageBody, HelpersOnEdgeCases) {
  EXPECT_FALSE(TypedStreamText("").has_value());
  EXPECT_FALSE(TypedStreamText(TypedStream("abc").substr(0, 75)).has_value());  // truncated
  EXPECT_EQ(TypedStreamText(TypedStream("")), "");
  EXPECT_EQ(AppleTimeToMicros(0), 978307200 * core::kMicrosPerSecond);
  // A damaged seconds value is held at 9999-12-31T23:59:59Z instead of overflowing.
  EXPECT_EQ(AppleTimeToMicros(99'999'999'999'999), core::kMaxUnixSeconds * core::kMicrosPerSecond);
  EXPECT_EQ(NormaliseHandle("00447700900123", "US"), "+447700900123");
  EXPECT_EQ(NormaliseHandle("(555) 010-0199", "US"), "+15550100199");
  EXPECT_EQ(NormaliseHandle("chat123456", "GB"), "chat123456");
  EXPECT_EQ(TapbackName(2005), "questioned");
  EXPECT_FALSE(TapbackName(1000).has_value());
  EXPECT_EQ(TapbackTargetGuid("bp:G-9"), "G-9");
  // message_summary_info that is not a binary plist dictionary, or is cut short.
  EXPECT_FALSE(ParseMessageSummary("").has_value());
  EXPECT_FALSE(ParseMessageSummary("bplist00").has_value());
  EXPECT_FALSE(ParseMessageSummary(std::string(64, '\xFF')).has_value());
  const std::string whole = TypedStream("x");  // not a plist at all
  EXPECT_FALSE(ParseMessageSummary(whole).has_value());
}

}  // namespace
}  // namespace custos::importers
