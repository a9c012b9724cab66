// SPDX-License-Identifier: Apache-2.0
// The Telegram importer on every file of $CUSTOS_CORPUS/telegram and on our own fixtures.
#include "importers/telegram.h"

#include <map>
#include <tuple>
#include <utility>
#include <vector>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "core/time.h"
#include "importers/import_test_util.h"
#include "importers/item_split.h"
#include "testing/temp_dir.h"

namespace custos::importers {
namespace {

using testing::Drain;
using testing::Messages;
using testing::WriteFile;

core::Micros At(const std::string& rfc3339) { return *core::ParseRfc3339(rfc3339); }

TEST(TelegramCorpus, EveryFile) {
  const auto dir = testing::CorpusDir("telegram");
  if (dir.empty()) {
    GTEST_SKIP() << "no corpus: set CUSTOS_CORPUS to the shared corpus folder";
  }
  // file -> messages and events expected (items that are not skipped).
  const std::map<std::string, std::size_t> expected = {
      {"chat-miner_batch_export.json", 2},
      {"chat-miner_single_export.json", 2},
      {"tcp_bot.json", 2},
      {"tcp_personal.json", 0},
      {"tcp_private_channel.json", 7},
      {"tcp_private_group.json", 2},
      {"tcp_public_channel.json", 7},
      {"tcp_public_supergroup.json", 4},
      {"tcp_saved.json", 21},
      {"tcp_users_test.json", 9},
  };
  for (const auto& [name, count] : expected) {
    SCOPED_TRACE(name);
    auto d = Drain(TelegramFormat(), (dir / name).string());
    ASSERT_TRUE(d.has_value()) << d.error().ToString();
    EXPECT_TRUE(d->error.ok()) << d->error.ToString();
    const auto messages = Messages(*d);
    EXPECT_EQ(messages.size(), count);
    for (const auto& m : messages) {
      EXPECT_EQ(m.channel, "telegram");
      EXPECT_FALSE(m.from.empty());
      EXPECT_FALSE(m.conversation.empty());
    }
  }
}

// The first and the last message or event of each corpus file, as its JSON says (times are
// `date`, local without a zone, read as UTC).
TEST(TelegramCorpus, FirstAndLastOfEveryFile) {
  const auto dir = testing::CorpusDir("telegram");
  if (dir.empty()) {
    GTEST_SKIP() << "no corpus: set CUSTOS_CORPUS to the shared corpus folder";
  }

  struct Want {
    std::string from;
    std::string at;
    std::string text;
  };

  const std::vector<std::tuple<std::string, Want, Want>> cases = {
      {"tcp_bot.json",
       {"user8888888888", "2020-10-13T23:31:04Z", "/start"},
       {"user9999999999", "2020-10-13T23:31:05Z", "This is a sample message."}},
      {"tcp_private_channel.json",
       {"channel10036995664", "2021-03-22T17:06:53Z", "create_channel \"test\""},
       {"channel10036995664", "2021-03-22T17:18:09Z", "reply to quiz"}},
      {"tcp_public_channel.json",
       {"channel44444444444", "2021-03-22T17:06:53Z", "create_channel \"test\""},
       {"channel44444444444", "2021-03-22T17:18:09Z", "reply to quiz"}},
      {"tcp_private_group.json",
       {"user9999999999", "2021-03-18T15:20:24Z", "create_group \"test\""},
       {"user9999999999", "2021-03-18T15:20:37Z", "asdsf"}},
      {"tcp_saved.json",
       {"user9999999999", "2020-08-01T22:01:49Z", "I'm a photo message sent straight to saved."},
       {"user10036995664", "2021-03-22T17:18:09Z", "test that reply doesn't exist"}},
      {"tcp_users_test.json",
       {"user1", "2020-10-15T10:28:10Z", "Simple from"},
       {"user4", "2021-03-22T17:18:09Z", "reply to previous real message"}},
      {"chat-miner_single_export.json",
       {"Author 1", "2018-12-05T10:39:10Z", "Minimal Message"},
       {"Author 2", "2018-12-05T10:49:24Z", "Link:https://telegram.org/"}},
  };
  for (const auto& [name, first, last] : cases) {
    SCOPED_TRACE(name);
    auto d = Drain(TelegramFormat(), (dir / name).string());
    ASSERT_TRUE(d.has_value()) << d.error().ToString();
    const auto m = Messages(*d);
    ASSERT_FALSE(m.empty());
    for (const auto& [got, want] : {std::pair{m.front(), first}, std::pair{m.back(), last}}) {
      EXPECT_EQ(got.from, want.from);
      EXPECT_EQ(got.sent_at, At(want.at));
      EXPECT_EQ(got.text, want.text);
    }
  }
}

TEST(TelegramCorpus, ChatMinerTarget) {
  const auto dir = testing::CorpusDir("telegram");
  if (dir.empty()) {
    GTEST_SKIP() << "no corpus: set CUSTOS_CORPUS to the shared corpus folder";
  }
  const auto target =
      nlohmann::json::parse(testing::ReadFile((dir / "chat-miner_target.json").string()));
  for (const char* name : {"chat-miner_single_export.json", "chat-miner_batch_export.json"}) {
    SCOPED_TRACE(name);
    auto d = Drain(TelegramFormat(), (dir / name).string());
    ASSERT_TRUE(d.has_value());
    const auto messages = Messages(*d);
    ASSERT_EQ(messages.size(), target.size());
    for (std::size_t i = 0; i < target.size(); ++i) {
      EXPECT_EQ(messages[i].sent_at,
                *core::ParseRfc3339(target[i]["timestamp"].get<std::string>() + "Z"));
      EXPECT_EQ(messages[i].from, target[i]["author"]);
    }
    EXPECT_EQ(messages[0].text, "Minimal Message");
    EXPECT_EQ(messages[1].text, "Link:https://telegram.org/");  // entity parts joined as is
  }
}

TEST(TelegramCorpus, ErrorFilesGivePositions) {
  const auto dir = testing::CorpusDir("telegram");
  if (dir.empty()) {
    GTEST_SKIP() << "no corpus: set CUSTOS_CORPUS to the shared corpus folder";
  }
  auto broken = Drain(TelegramFormat(), (dir / "tcp_error.json").string());
  ASSERT_TRUE(broken.has_value());
  EXPECT_TRUE(broken->items.empty());
  EXPECT_NE(broken->error.message().find("tcp_error.json:5:3: expected ','"), std::string::npos)
      << broken->error.message();

  auto odd = Drain(TelegramFormat(), (dir / "tcp_error-unexpected.json").string());
  ASSERT_TRUE(odd.has_value());
  EXPECT_TRUE(odd->error.ok()) << odd->error.ToString();
  std::map<std::string, int> skipped;
  for (const Item& item : odd->items) {
    if (item.kind == Item::Kind::kSkipped) {
      ++skipped[item.skip_kind];
      EXPECT_GT(item.position.line, 0);
    }
  }
  EXPECT_EQ(skipped["unsupported_type"], 1);
  EXPECT_GE(skipped["invalid_text"], 1);  // text as an object
}

TEST(TelegramImport, ServiceEditsMediaAndIds) {
  ::custos::testing::TempDir dir;
  WriteFile(dir.File("result.json"), R"json({
 "about": "x", "personal_information": {"user_id": 42},
 "chats": {"about": "y", "list": [
  {"name": "Desk", "type": "private_group", "id": 77, "messages": [
   {"id": 1, "type": "service", "date": "2021-03-18T15:20:24", "date_unixtime": "1616080824",
    "actor": "Ben", "actor_id": "user42", "action": "invite_members", "members": ["Ann"],
    "text": ""},
   {"id": 2, "type": "message", "date": "2021-03-18T15:21:00", "from": "Ann", "from_id": 5,
    "edited": "2021-03-18T15:22:00", "text": ["see ", {"type": "link", "text": "x.com"}],
    "photo": "(File not included. Change data exporting settings to download.)"},
   {"id": 3, "type": "message", "date": "2021-03-18T15:23:00", "from": "Ben",
    "from_id": "user42", "file": "files/a.pdf", "text": "doc", "reply_to_message_id": 2}
  ]}]}
})json");
  WriteFile(dir.File("a.pdf"), "unused");  // not at files/a.pdf: not taken
  auto d = Drain(TelegramFormat(), dir.File("result.json"));
  ASSERT_TRUE(d.has_value());
  ASSERT_TRUE(d->error.ok()) << d->error.ToString();
  const auto m = Messages(*d);
  ASSERT_EQ(m.size(), 4U);  // service, message, its edit, message
  EXPECT_EQ(m[0].kind, model::EventKind::kJoin);
  EXPECT_EQ(m[0].from, "user42");
  EXPECT_EQ(m[0].to, std::vector<std::string>{"Ann"});
  EXPECT_EQ(m[1].from, "user5");
  EXPECT_EQ(m[1].text, "see x.com");
  // A basic group numbers its messages per account: the id is what every member's export
  // agrees on (sender, second), not the exported id 2.
  EXPECT_EQ(m[1].source_id, "77:user5:1616080860");
  EXPECT_EQ(m[1].conversation, "telegram:77");
  EXPECT_TRUE(d->items[1].attachments.at(0).missing);
  EXPECT_EQ(m[2].kind, model::EventKind::kEdit);
  EXPECT_EQ(m[2].target_source_id, "77:user5:1616080860");
  EXPECT_EQ(m[2].source_id, "77:user5:1616080860:edit:1616080920");
  EXPECT_EQ(m[3].reply_to, "77:user5:1616080860");
  // personal_information.user_id is the exporter: their messages are outbound.
  EXPECT_EQ(m[3].direction, model::Direction::kOutbound);
  EXPECT_EQ(m[1].direction, model::Direction::kInbound);
  EXPECT_EQ(d->items[3].attachments.at(0).meta.name, "a.pdf");
}

// The same personal chat exported by both people: Anna's single-chat export (her message ids,
// chat id = Bob) and Bob's whole-account export (his ids, chat id = Anna) give every shared
// message the same conversation and the same id, so the second import stores nothing twice.
TEST(TelegramImport, PersonalChatExportedByBothPeopleHasOneSetOfIds) {
  auto anna = Drain(TelegramFormat(), testing::Fixture("telegram", "overlap_anna_chat.json"));
  auto bob = Drain(TelegramFormat(), testing::Fixture("telegram", "overlap_bob_account.json"));
  ASSERT_TRUE(anna.has_value() && bob.has_value());
  ASSERT_TRUE(anna->error.ok()) << anna->error.ToString();
  ASSERT_TRUE(bob->error.ok()) << bob->error.ToString();
  const auto a = Messages(*anna);
  const auto b = Messages(*bob);
  ASSERT_EQ(a.size(), 7U);  // 6 messages and one edit
  ASSERT_EQ(b.size(), 9U);  // the same 7, one more in the chat, one in a supergroup
  const std::string dm = "dm:user1001 user4242:";
  for (std::size_t i = 0; i < a.size(); ++i) {
    SCOPED_TRACE(i);
    EXPECT_EQ(a[i].conversation, "telegram:dm:user1001 user4242");
    EXPECT_EQ(a[i].source_id, b[i].source_id);
    EXPECT_EQ(a[i].conversation, b[i].conversation);
    EXPECT_EQ(a[i].from, b[i].from);
    EXPECT_EQ(a[i].sent_at, b[i].sent_at);
    EXPECT_EQ(a[i].text, b[i].text);
    EXPECT_EQ(a[i].reply_to, b[i].reply_to);
    EXPECT_EQ(a[i].forwarded_from, b[i].forwarded_from);
    EXPECT_EQ(a[i].target_source_id, b[i].target_source_id);
  }
  EXPECT_EQ(a[0].source_id, dm + "user4242:1792918800");  // held until Anna's own message
  EXPECT_EQ(a[2].reply_to, dm + "user1001:1792918830");
  EXPECT_EQ(a[3].kind, model::EventKind::kEdit);
  EXPECT_EQ(a[3].target_source_id, a[2].source_id);
  EXPECT_EQ(a[4].forwarded_from, "Acme Research");
  EXPECT_TRUE(a[4].reply_to.empty());
  EXPECT_EQ(a[5].source_id, dm + "user1001:1792918950");
  EXPECT_EQ(a[6].source_id, dm + "user1001:1792918950:1");  // "ok", "ok" in one second
  // Each export's own messages are outbound: Anna's from the chat, Bob's from his account.
  EXPECT_EQ(a[1].direction, model::Direction::kOutbound);
  EXPECT_EQ(a[0].direction, model::Direction::kInbound);
  EXPECT_EQ(b[0].direction, model::Direction::kOutbound);
  EXPECT_EQ(b[1].direction, model::Direction::kInbound);
  // A supergroup shares one numbering: exported ids stay.
  EXPECT_EQ(b[8].conversation, "telegram:1555000111");
  EXPECT_EQ(b[8].source_id, "1555000111:77");
  EXPECT_EQ(b[8].reply_to, "1555000111:76");
}

TEST(TelegramImport, PersonalChatWhereTheExporterNeverWroteIsKeyedByThePeer) {
  ::custos::testing::TempDir dir;
  WriteFile(dir.File("result.json"), R"json({"name": "News Bot", "type": "personal_chat",
 "id": 9, "messages": [
  {"id": 1, "type": "message", "date_unixtime": "1700000000", "date": "2023-11-14T22:13:20",
   "from": "Carl", "from_id": "user9", "text": "one"},
  {"id": 2, "type": "message", "date_unixtime": "1700000001", "date": "2023-11-14T22:13:21",
   "from": "Carl", "from_id": "user9", "text": "two", "reply_to_message_id": 1}]})json");
  auto d = Drain(TelegramFormat(), dir.File("result.json"));
  ASSERT_TRUE(d.has_value());
  ASSERT_TRUE(d->error.ok()) << d->error.ToString();
  const auto m = Messages(*d);
  ASSERT_EQ(m.size(), 2U);
  EXPECT_EQ(m[0].conversation, "telegram:9");
  EXPECT_EQ(m[0].source_id, "9:user9:1700000000");
  EXPECT_EQ(m[1].reply_to, "9:user9:1700000000");

  // Told who the exporter is (--self user7), the chat is keyed by both users from the start.
  ImportOptions options;
  options.self_identities = {"user7"};
  auto told = Drain(TelegramFormat(), dir.File("result.json"), options);
  ASSERT_TRUE(told.has_value());
  EXPECT_EQ(Messages(*told)[0].conversation, "telegram:dm:user7 user9");
}

// Found by fuzz_telegram_import: members of the wrong type are skipped or ignored, never an
// exception that ends the process.
TEST(TelegramImport, MembersOfTheWrongTypeDoNotThrow) {
  ::custos::testing::TempDir dir;
  WriteFile(dir.File("result.json"), R"json({"name": "c", "type": "private_supergroup", "id": 5,
 "messages": [
  {"id": 1, "type": 7, "date_unixtime": "1700000000", "from_id": "user1", "text": "x"},
  {"id": 2, "type": "service", "date_unixtime": "1700000001", "actor_id": "user1",
   "action": 5, "text": ""},
  {"id": 3, "type": "message", "date_unixtime": "1700000002", "from_id": "user1", "text": "ok"},
  {"id": 4, "type": "message", "date_unixtime": "1792918950792919100", "from_id": "user1",
   "text": "beyond year 9999"}]})json");
  auto d = Drain(TelegramFormat(), dir.File("result.json"));
  ASSERT_TRUE(d.has_value());
  ASSERT_TRUE(d->error.ok()) << d->error.ToString();
  ASSERT_EQ(d->items.size(), 4U);
  EXPECT_EQ(d->items[0].skip_kind, "unsupported_type");
  EXPECT_EQ(d->items[1].message.text, "");  // a service message whose action is not text
  EXPECT_EQ(d->items[2].message.text, "ok");
  EXPECT_EQ(d->items[3].skip_kind, "invalid_date");  // found by the fuzzer: no overflow
}

TEST(TelegramImport, TruncatedFileKeepsWhatCameBefore) {
  ::custos::testing::TempDir dir;
  WriteFile(dir.File("result.json"),
            "{\"name\": \"c\", \"id\": 1, \"messages\": [\n"
            "{\"id\": 1, \"type\": \"message\", \"date_unixtime\": \"1\", \"from\": \"a\", "
            "\"text\": \"one\"},\n{\"id\": 2, \"type\": \"mess");
  auto d = Drain(TelegramFormat(), dir.File("result.json"));
  ASSERT_TRUE(d.has_value());
  EXPECT_EQ(Messages(*d).size(), 1U);
  EXPECT_NE(d->error.message().find("result.json:3:1: the value starting here is cut off"),
            std::string::npos)
      << d->error.message();
}

}  // namespace
}  // namespace custos::importers
