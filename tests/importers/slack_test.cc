// SPDX-License-Identifier: Apache-2.0
// slack importer: a small hand-written workspace export (tests/data/importers/slack/export/),
// as a directory and as a zip, and a broken one.
#include "importers/slack.h"

#include <algorithm>
#include <filesystem>

#include <gtest/gtest.h>

#include "importers/item_split.h"
#include "importers/slack_mrkdwn.h"
#include "testing/temp_dir.h"

namespace custos::importers {
namespace {

using testing::DrainSplit;
using testing::Fixture;

const Item* FindBySourceId(const std::vector<Item>& items, const std::string& id) {
  const auto it = std::find_if(items.begin(), items.end(),
                               [&](const Item& i) { return i.message.source_id == id; });
  return it == items.end() ? nullptr : &*it;
}

void CheckExport(const testing::SplitItems& d) {
  ASSERT_TRUE(d.error.ok()) << d.error.ToString();
  EXPECT_TRUE(d.skipped.empty());
  ASSERT_EQ(d.messages.size(), 13u);
  // Conversations in order: channels, groups, dms, mpims; days in date order.
  EXPECT_EQ(d.messages[0].message.conversation, "C01GENERAL");
  EXPECT_EQ(d.messages[9].message.conversation, "G01DEALS");
  EXPECT_EQ(d.messages[10].message.conversation, "D0DM00001");
  EXPECT_EQ(d.messages[12].message.conversation, "G0MPIM0001");

  const Item* join = FindBySourceId(d.messages, "C01GENERAL:1767225600.000100");
  ASSERT_NE(join, nullptr);
  EXPECT_EQ(join->message.kind, model::EventKind::kJoin);
  EXPECT_EQ(join->message.from, "U03CAROL");  // no e-mail in the profile: the user id

  const Item* first = FindBySourceId(d.messages, "C01GENERAL:1767225660.000200");
  ASSERT_NE(first, nullptr);
  EXPECT_EQ(first->message.text,
            "Morning @Bob Osei, see #general and the Q4 deck (https://example.com/q4) & @here");
  EXPECT_EQ(first->message.from, "alice@example.com");
  EXPECT_EQ(first->message.channel, "slack");
  EXPECT_EQ(first->message.source, "slack-export");
  EXPECT_EQ(first->message.sent_at, 1767225660'000200);
  EXPECT_EQ(first->message.direction, model::Direction::kInternal);
  EXPECT_EQ(first->message.to, (std::vector<std::string>{"bob@example.com", "U03CAROL"}));
  EXPECT_TRUE(first->message.reply_to.empty());  // a thread parent

  const Item* reply = FindBySourceId(d.messages, "C01GENERAL:1767225720.000300");
  ASSERT_NE(reply, nullptr);
  EXPECT_EQ(reply->message.reply_to, "C01GENERAL:1767225660.000200");
  EXPECT_EQ(reply->message.kind, model::EventKind::kMessage);  // a reply, not an event
  EXPECT_TRUE(reply->message.target_source_id.empty());

  const Item* blocks = FindBySourceId(d.messages, "C01GENERAL:1767225780.000400");
  ASSERT_NE(blocks, nullptr);
  EXPECT_EQ(blocks->message.text, "Only in blocks for @carol :wave:");

  const Item* file = FindBySourceId(d.messages, "C01GENERAL:1767225840.000500");
  ASSERT_NE(file, nullptr);
  ASSERT_EQ(file->message.attachments.size(), 1u);
  EXPECT_EQ(file->message.attachments[0].name, "term-sheet.pdf");
  EXPECT_EQ(file->message.attachments[0].mime, "application/pdf");
  EXPECT_EQ(file->message.attachments[0].size, 48213);
  EXPECT_EQ(file->message.attachments[0].url,
            "https://files.slack.com/files-pri/T0CUSTOS-F01TERMS/term-sheet.pdf");
  ASSERT_EQ(file->attachments.size(), 1u);
  EXPECT_TRUE(file->attachments[0].missing);
  EXPECT_FALSE(file->attachments[0].bytes.has_value());

  const Item* bot = FindBySourceId(d.messages, "C01GENERAL:1767225900.000600");
  ASSERT_NE(bot, nullptr);
  EXPECT_EQ(bot->message.from, "bot:pricebot");

  const Item* edit = FindBySourceId(d.messages, "C01GENERAL:1767312000.000100");
  ASSERT_NE(edit, nullptr);
  EXPECT_EQ(edit->message.kind, model::EventKind::kEdit);
  EXPECT_EQ(edit->message.target_source_id, "C01GENERAL:1767225840.000500");
  EXPECT_EQ(edit->message.text, "the signed term sheet");
  EXPECT_EQ(edit->message.from, "U03CAROL");

  const Item* del = FindBySourceId(d.messages, "C01GENERAL:1767312060.000200");
  ASSERT_NE(del, nullptr);
  EXPECT_EQ(del->message.kind, model::EventKind::kDelete);
  EXPECT_EQ(del->message.target_source_id, "C01GENERAL:1767225900.000600");

  const Item* leave = FindBySourceId(d.messages, "C01GENERAL:1767312120.000300");
  ASSERT_NE(leave, nullptr);
  EXPECT_EQ(leave->message.kind, model::EventKind::kLeave);

  const Item& dm = d.messages[10];
  EXPECT_EQ(dm.message.text, "Can you call me?");
  EXPECT_EQ(dm.message.to, std::vector<std::string>{"alice@example.com"});
  EXPECT_NE(dm.position.ToString().find("D0DM00001/2026-01-01.json"), std::string::npos);
}

TEST(SlackImport, DirectoryExport) {
  const std::string dir = Fixture("slack", "export");
  auto bundle = Bundle::Open(dir);
  ASSERT_TRUE(bundle.has_value()) << bundle.error().ToString();
  EXPECT_GT(SlackFormat().sniff(**bundle), 0);
  CheckExport(DrainSplit(SlackFormat(), dir));
}

TEST(SlackImport, ZipExportWithTheSameContent) {
  const custos::testing::TempDir tmp;
  const std::filesystem::path root = Fixture("slack", "export");
  std::map<std::string, std::string> entries;
  for (const auto& e : std::filesystem::recursive_directory_iterator(root)) {
    if (e.is_regular_file()) {
      entries[std::filesystem::relative(e.path(), root).generic_string()] =
          testing::ReadFile(e.path().string());
    }
  }
  const std::string zip = tmp.File("workspace export.zip");
  testing::WriteZip(zip, entries);
  CheckExport(DrainSplit(SlackFormat(), zip));
}

// An Enterprise Grid export of public channels only: org_users.json instead of users.json, no
// groups/dms/mpims.json, a channel with no day file at all, days with no file (01-02..01-04).
TEST(SlackImport, PublicOnlyEnterpriseGridExport) {
  const std::string dir = Fixture("slack", "public_only_grid");
  auto bundle = Bundle::Open(dir);
  ASSERT_TRUE(bundle.has_value()) << bundle.error().ToString();
  EXPECT_GT(SlackFormat().sniff(**bundle), 0);
  const testing::SplitItems d = DrainSplit(SlackFormat(), dir);
  ASSERT_TRUE(d.error.ok()) << d.error.ToString();
  EXPECT_TRUE(d.skipped.empty());
  ASSERT_EQ(d.messages.size(), 7u);

  struct Want {
    std::string id;
    model::EventKind kind;
    std::string from;
    std::string text;
    std::string target;
  };

  using K = model::EventKind;
  const std::vector<Want> want = {
      {"1767225600.000100", K::kJoin, "W03CAROL", "@carol has joined the channel", ""},
      {"1767225660.000200", K::kMessage, "alice@example.com",
       "Ask @Bob Osei in #quiet or #general, deck: Q4 deck (https://example.com/q4), raw "
       "https://example.com/raw",
       ""},
      {"1767225720.000300", K::kMessage, "bob@example.com",
       "Rich only: terms (https://example.com/terms) in #quiet", ""},
      {"1767225780.000400", K::kMessage, "bot:B01PRICE", "EURUSD 1.0842", ""},
      {"1767225840.000500", K::kMessage, "W03CAROL", "", ""},
      {"1767571200.000100", K::kEdit, "alice@example.com", "Ask @Bob Osei first",
       "C01GENERAL:1767225660.000200"},
      {"1767571260.000200", K::kDelete, std::string(kSystemSender), "",
       "C01GENERAL:1767225780.000400"},
  };
  for (std::size_t i = 0; i < want.size(); ++i) {
    SCOPED_TRACE(want[i].id);
    const model::Message& m = d.messages[i].message;
    EXPECT_EQ(m.source_id, "C01GENERAL:" + want[i].id);
    EXPECT_EQ(m.conversation, "C01GENERAL");
    EXPECT_EQ(m.sent_at, *SlackTsToMicros(want[i].id));
    EXPECT_EQ(m.kind, want[i].kind);
    EXPECT_EQ(m.from, want[i].from);
    EXPECT_EQ(m.text, want[i].text);
    EXPECT_EQ(m.target_source_id, want[i].target);
    EXPECT_EQ(m.attachments.empty(), i != 4);
  }
  EXPECT_EQ(d.messages[1].message.to, (std::vector<std::string>{"bob@example.com", "W03CAROL"}));
  // The file is a reference: name, type and size from the export, no bytes.
  const Item& file = d.messages[4];
  ASSERT_EQ(file.attachments.size(), 1u);
  EXPECT_TRUE(file.attachments[0].missing);
  EXPECT_FALSE(file.attachments[0].bytes.has_value());
  EXPECT_EQ(file.message.attachments[0].name, "q4.xlsx");
  EXPECT_EQ(file.message.attachments[0].mime,
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet");
  EXPECT_EQ(file.message.attachments[0].size, 9120);
  EXPECT_TRUE(file.message.attachments[0].sha256.empty());
  EXPECT_NE(d.messages[5].position.ToString().find("general/2026-01-05.json"), std::string::npos);
}

TEST(SlackImport, BrokenDayFileNamesFileAndOffsetAfterWhatCameBefore) {
  const testing::SplitItems d = DrainSplit(SlackFormat(), Fixture("slack", "broken"));
  ASSERT_EQ(d.messages.size(), 1u);
  EXPECT_EQ(d.messages[0].message.text, "fine");
  ASSERT_EQ(d.skipped.size(), 1u);
  EXPECT_EQ(d.skipped[0].skip_kind, "invalid_date");
  EXPECT_NE(d.skipped[0].position.ToString().find("2025-12-31.json"), std::string::npos);
  ASSERT_FALSE(d.error.ok());
  // The file and where in it (core/json_reader.h: line, column and byte offset).
  EXPECT_NE(d.error.message().find("general/2026-01-01.json: malformed JSON at line 2, column 74 "
                                   "(byte 75)"),
            std::string::npos)
      << d.error.message();
}

TEST(SlackImport, NotAnExport) {
  const testing::SplitItems d = DrainSplit(SlackFormat(), Fixture("sms-backup", "pitfalls.xml"));
  ASSERT_FALSE(d.error.ok());
  EXPECT_NE(d.error.message().find("not a Slack export"), std::string::npos);
}

TEST(SlackTs, SecondsAndMicros) {
  EXPECT_EQ(SlackTsToMicros("1500000000.000100"), 1500000000'000100);
  EXPECT_EQ(SlackTsToMicros("1500000000.5"), 1500000000'500000);
  EXPECT_EQ(SlackTsToMicros("1500000000"), 1500000000'000000);
  EXPECT_FALSE(SlackTsToMicros("x.1").has_value());
  EXPECT_FALSE(SlackTsToMicros("1.1234567").has_value());
  EXPECT_FALSE(SlackTsToMicros("").has_value());
  EXPECT_FALSE(SlackTsToMicros("1792918950792919100.5").has_value());  // beyond year 9999
}

TEST(SlackMrkdwn, TokensWithoutDirectoryEntriesKeepTheirIds) {
  const SlackWorkspace ws;
  EXPECT_EQ(
      ResolveSlackMrkdwn("<@U9> in <#C9> &lt;b&gt; <mailto:a@b.c|a@b.c> <!subteam^S1|@desk>", ws),
      "@U9 in #C9 <b> a@b.c (mailto:a@b.c) @desk");
  EXPECT_EQ(ResolveSlackMrkdwn("unclosed <@U9", ws), "unclosed <@U9");
}

// Members of the wrong type in blocks (a number where text belongs) are left out, never an
// exception that ends the process.
TEST(SlackMrkdwn, BlockElementsOfTheWrongTypeDoNotThrow) {
  const SlackWorkspace ws;
  const auto blocks = nlohmann::json::parse(R"([{"type": "rich_text", "elements": [
      {"type": "rich_text_section", "elements": [{"type": "text", "text": 5},
       {"type": 3, "text": "x"}, {"type": "user", "user_id": null},
       {"type": "text", "text": "kept"}]}]}])");
  EXPECT_EQ(SlackBlocksText(blocks, ws), "@kept");
}

}  // namespace
}  // namespace custos::importers
