// SPDX-License-Identifier: Apache-2.0
// The Telegram importer on every file of $CUSTOS_CORPUS/telegram and on our own fixtures.
#include "importers/telegram.h"

#include <map>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "core/time.h"
#include "importers/import_test_util.h"
#include "testing/temp_dir.h"

namespace custos::importers {
namespace {

using testing::Drain;
using testing::Messages;
using testing::WriteFile;

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
    "from_id": "user42", "file": "files/a.pdf", "text": "doc"}
  ]}]}
})json");
  WriteFile(dir.File("a.pdf"), "unused");  // not at files/a.pdf: not taken
  ImportOptions options;
  options.self_identities = {"user42"};
  auto d = Drain(TelegramFormat(),
                 dir.File("result."
                          "json"),
                 options);
  ASSERT_TRUE(d.has_value());
  ASSERT_TRUE(d->error.ok()) << d->error.ToString();
  const auto m = Messages(*d);
  ASSERT_EQ(m.size(),
            4U);  // service,
                  // message,
                  // its
                  // edit,
                  // message
  EXPECT_EQ(m[0].kind, model::EventKind::kJoin);
  EXPECT_EQ(m[0].from, "user42");
  EXPECT_EQ(m[0].to, std::vector<std::string>{"Ann"});
  EXPECT_EQ(m[1].from, "user5");
  EXPECT_EQ(m[1].text, "see x.com");
  EXPECT_EQ(m[1].source_id, "77:2");
  EXPECT_EQ(m[1].conversation, "telegram:77");
  EXPECT_TRUE(d->items[1].attachments.at(0).missing);
  EXPECT_EQ(m[2].kind, model::EventKind::kEdit);
  EXPECT_EQ(m[2].target_source_id, "77:2");
  EXPECT_EQ(m[3].direction, model::Direction::kOutbound);
  EXPECT_EQ(d->items[3].attachments.at(0).meta.name, "a.pdf");
}

TEST(TelegramImport, TruncatedFileKeepsWhatCameBefore) {
  ::custos::testing::TempDir dir;
  WriteFile(dir.File("result."
                     "json"),
            "{\"name\": "
            "\"c\", "
            "\"id\": 1, "
            "\"messages\""
            ": [\n"
            "{\"id\": 1, "
            "\"type\": "
            "\"message\","
            " \"date_"
            "unixtime\": "
            "\"1\", "
            "\"from\": "
            "\"a\", "
            "\"text\": "
            "\"one\"},\n{"
            "\"id\": 2, "
            "\"type\": "
            "\"mess");
  auto d = Drain(TelegramFormat(), dir.File("result."
                                            "json"));
  ASSERT_TRUE(d.has_value());
  EXPECT_EQ(Messages(*d).size(), 1U);
  EXPECT_NE(d->error.message().find("resu"
                                    "lt."
                                    "json"
                                    ":3:"
                                    "1: "
                                    "the "
                                    "valu"
                                    "e "
                                    "star"
                                    "ting"
                                    " her"
                                    "e "
                                    "is "
                                    "cut "
                                    "of"
                                    "f"),
            std::string::npos)
      << d->error.message();
}

}  // namespace
}  // namespace
   // custos::importers
