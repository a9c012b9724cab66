// SPDX-License-Identifier: Apache-2.0
// The WhatsApp importer on every file of $CUSTOS_CORPUS/whatsapp (against target.json) and on
// our own fixtures for each pitfall of formats.md §1.
#include "importers/whatsapp.h"

#include <algorithm>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "core/time.h"
#include "importers/import_test_util.h"
#include "importers/whatsapp_header.h"
#include "testing/temp_dir.h"

namespace custos::importers {
namespace {

using testing::Drain;
using testing::Messages;
using testing::WriteFile;

core::Micros At(const std::string& rfc3339) { return *core::ParseRfc3339(rfc3339); }

TEST(WhatsAppCorpus, EveryFileMatchesTarget) {
  const auto dir = testing::CorpusDir("whatsapp");
  if (dir.empty()) {
    GTEST_SKIP() << "no corpus: set CUSTOS_CORPUS to the shared corpus folder";
  }
  const auto target = nlohmann::json::parse(testing::ReadFile((dir / "target.json").string()));
  int files = 0;
  for (const auto& entry : std::filesystem::directory_iterator(dir)) {
    if (entry.path().extension() != ".txt") {
      continue;
    }
    ++files;
    SCOPED_TRACE(entry.path().string());
    auto d = Drain(WhatsAppFormat(), entry.path().string());
    ASSERT_TRUE(d.has_value()) << d.error().ToString();
    ASSERT_TRUE(d->error.ok()) << d->error.ToString();
    const auto messages = Messages(*d);
    ASSERT_EQ(messages.size(), 9U);  // 7 from people, 2 system lines
    int from_people = 0;
    for (const auto& m : messages) {
      EXPECT_EQ(m.channel, "whatsapp");
      EXPECT_FALSE(m.source_id.empty());
      from_people += m.from != kSystemSender ? 1 : 0;
    }
    EXPECT_EQ(from_people, 7);
    // Every target entry is found with the same time, author and body.
    for (const auto& t : target) {
      const core::Micros when = At(t["timestamp"].get<std::string>() + "Z");
      bool found = false;
      for (const auto& m : messages) {
        std::string flat = m.text;  // target.json joins continuation lines with a space
        std::replace(flat.begin(), flat.end(), '\n', ' ');
        if (m.sent_at == when && m.from == t["author"] && flat == t["message"]) {
          found = true;
        }
      }
      EXPECT_TRUE(found) << t.dump();
    }
    // "John Doe:." is a message "." and the system lines are events from nobody.
    EXPECT_EQ(messages[1].from, "John Doe");
    EXPECT_EQ(messages[1].text, ".");
    EXPECT_EQ(messages[4].from, kSystemSender);
    EXPECT_EQ(messages[4].kind, model::EventKind::kJoin);  // created group
    EXPECT_EQ(messages[4].text, "+12 345 578 created group \"Groupname\"");
    EXPECT_EQ(messages[5].kind, model::EventKind::kJoin);  // You were added
    EXPECT_EQ(messages[4].sent_at, At("2020-06-20T00:08:00Z"));
  }
  EXPECT_EQ(files, 5);
}

TEST(WhatsAppHeader, Layouts) {
  struct Case {
    std::string line;
    whatsapp::DateOrder order;
    std::string when;
    std::string rest;
  };

  const std::vector<Case> cases = {
      {"31/12/21, 22:01 - A: x", whatsapp::DateOrder::kDayFirst, "2021-12-31T22:01:00Z", "A: x"},
      {"\xE2\x80\x8E[31/12/2021, 10:01:09\xE2\x80\xAFPM] A: x", whatsapp::DateOrder::kDayFirst,
       "2021-12-31T22:01:09Z", "A: x"},
      {"12/31/21, 9:05\xC2\xA0"
       "AM - A: x",
       whatsapp::DateOrder::kMonthFirst, "2021-12-31T09:05:00Z", "A: x"},
      {"31.12.21, 22:01 - A: x", whatsapp::DateOrder::kDayFirst, "2021-12-31T22:01:00Z", "A: x"},
      {"13. 6. 2018. 17:36 - A: x", whatsapp::DateOrder::kDayFirst, "2018-06-13T17:36:00Z", "A: x"},
      {"13.6.2018 klo 17.36 - A: x", whatsapp::DateOrder::kDayFirst, "2018-06-13T17:36:00Z",
       "A: x"},
      {"2018-06-13, 17:36 - A: x", whatsapp::DateOrder::kYearFirst, "2018-06-13T17:36:00Z", "A: x"},
      {"13/06/2018, 12:05 a.\xC2\xA0m. - A: x", whatsapp::DateOrder::kDayFirst,
       "2018-06-13T00:05:00Z", "A: x"},
      {"[13/06/2018 12:05 p. m.] A: x", whatsapp::DateOrder::kDayFirst, "2018-06-13T12:05:00Z",
       "A: x"},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.line);
    const auto h = whatsapp::ParseHeader(c.line);
    ASSERT_TRUE(h.has_value());
    EXPECT_EQ(h->rest, c.rest);
    EXPECT_EQ(whatsapp::HeaderTime(*h, c.order), At(c.when));
  }
  for (const std::string bad :
       {"hello 12/12/20, 10:00 - A: x", "12/12/20 - A: x", "1/2/3, 10:00 - A: x",
        "12/12/20, 25:00 - A: x", "12/12/20, 10:00 xyzzy - A: x"}) {
    EXPECT_FALSE(whatsapp::ParseHeader(bad).has_value()) << bad;
  }
}

TEST(WhatsAppImport, DayMonthOrderFromTheWholeFile) {
  ::custos::testing::TempDir dir;
  // Only the last line shows that the first number is the month.
  WriteFile(dir.File("c.txt"),
            "03/04/21, 10:00 - A: first\n03/05/21, 10:00 - B: second\n03/25/21, 10:00 - A: x\n");
  auto d = Drain(WhatsAppFormat(), dir.File("c.txt"));
  ASSERT_TRUE(d.has_value());
  const auto m = Messages(*d);
  ASSERT_EQ(m.size(), 3U);
  EXPECT_EQ(m[0].sent_at, At("2021-03-04T10:00:00Z"));
  EXPECT_EQ(m[2].sent_at, At("2021-03-25T10:00:00Z"));
}

TEST(WhatsAppImport, MultiLineSystemLinesAndEmptyBodies) {
  ::custos::testing::TempDir dir;
  WriteFile(dir.File("WhatsApp Chat with Desk.txt"),
            "\xEF\xBB\xBF"
            "01/02/2024, 09:00 - Ann: hello\n"
            "second line 01/02/2024, 09:00 - X: not a header\n"
            "01/02/2024, 09:01 - Ann removed Bob\n"
            "\n"
            "01/02/2024, 09:02 - Bob: \n"
            "01/02/2024, 09:03 - Bob: ok\r\n"
            "01/02/2024, 09:03 - Bob: ok\n");
  auto d = Drain(WhatsAppFormat(), dir.File("WhatsApp Chat with Desk.txt"));
  ASSERT_TRUE(d.has_value());
  ASSERT_TRUE(d->error.ok()) << d->error.ToString();
  const auto m = Messages(*d);
  ASSERT_EQ(m.size(), 5U);
  EXPECT_EQ(m[0].conversation, "Desk");
  EXPECT_EQ(m[0].from, "Ann");
  EXPECT_EQ(m[0].text, "hello\nsecond line 01/02/2024, 09:00 - X: not a header");
  EXPECT_EQ(m[1].from, kSystemSender);
  EXPECT_EQ(m[1].kind, model::EventKind::kLeave);
  EXPECT_EQ(m[2].text, "");
  EXPECT_EQ(d->items[2].position.line, 5);
  EXPECT_EQ(m[3].text, "ok");
  EXPECT_NE(m[3].source_id, m[4].source_id);  // two identical "ok" stay two messages
}

TEST(WhatsAppImport, MediaZipAttachmentsAndOmittedMedia) {
  ::custos::testing::TempDir dir;
  const std::string chat =
      "[01/02/2024, 09:00:00] Alice: \xE2\x80\x8E<attached: 00000042-PHOTO-2024-02-01.jpg>\n"
      "[01/02/2024, 09:01:00] Bob: IMG-20240201-WA0001.jpg (file attached)\ncaption here\n"
      "[01/02/2024, 09:02:00] Bob: <Media omitted>\n"
      "[01/02/2024, 09:03:00] Alice: \xE2\x80\x8Eimage omitted\n"
      "[01/02/2024, 09:04:00] Bob: DOC.pdf (Datei angeh\xC3\xA4ngt)\n";
  testing::WriteZip(dir.File("WhatsApp Chat - Deal.zip"),
                    {{"_chat.txt", chat},
                     {"00000042-PHOTO-2024-02-01.jpg", "jpeg-bytes"},
                     {"IMG-20240201-WA0001.jpg", "more-bytes"}});
  ImportOptions options;
  options.custodian = "+447700900123";
  options.self_identities = {"Alice"};
  auto d = Drain(WhatsAppFormat(), dir.File("WhatsApp Chat - Deal.zip"), options);
  ASSERT_TRUE(d.has_value()) << d.error().ToString();
  ASSERT_TRUE(d->error.ok()) << d->error.ToString();
  ASSERT_EQ(d->items.size(), 5U);
  const Item& photo = d->items[0];
  EXPECT_EQ(photo.message.conversation, "Deal");
  EXPECT_EQ(photo.message.from, "+447700900123");
  EXPECT_EQ(photo.message.direction, model::Direction::kOutbound);
  ASSERT_EQ(photo.attachments.size(), 1U);
  EXPECT_EQ(photo.attachments[0].bytes, "jpeg-bytes");
  EXPECT_EQ(photo.attachments[0].meta.mime, "image/jpeg");
  EXPECT_EQ(photo.attachments[0].meta.size, 10);
  EXPECT_EQ(photo.message.attachments, std::vector{photo.attachments[0].meta});
  EXPECT_EQ(photo.message.text, "");
  EXPECT_EQ(d->items[1].message.text, "caption here");
  EXPECT_EQ(d->items[1].attachments[0].bytes, "more-bytes");
  EXPECT_TRUE(d->items[2].attachments[0].missing);
  EXPECT_TRUE(d->items[3].attachments[0].missing);
  EXPECT_TRUE(d->items[4].attachments[0].missing);  // named, but not in the zip
  EXPECT_EQ(d->items[4].attachments[0].meta.name, "DOC.pdf");
}

TEST(WhatsAppImport, BadInputNamesThePosition) {
  ::custos::testing::TempDir dir;
  WriteFile(dir.File("wrong.txt"), "just some notes\n12/12/20, 10:00 - A: x\n");
  auto wrong = Drain(WhatsAppFormat(), dir.File("wrong.txt"));
  ASSERT_FALSE(wrong.has_value());
  EXPECT_NE(wrong.error().message().find("wrong.txt:1: not a WhatsApp chat export"),
            std::string::npos)
      << wrong.error().message();

  WriteFile(dir.File("latin1.txt"), "12/12/20, 10:00 - A: ok\n12/12/20, 10:01 - A: caf\xE9\n");
  auto latin1 = Drain(WhatsAppFormat(), dir.File("latin1.txt"));
  ASSERT_TRUE(latin1.has_value());
  EXPECT_EQ(Messages(*latin1).size(), 1U);  // what came before the bad line
  EXPECT_NE(latin1->error.message().find("latin1.txt:2: invalid UTF-8"), std::string::npos)
      << latin1->error.message();

  WriteFile(dir.File("bad.zip"), std::string("PK\x03\x04truncated", 13));
  auto zip = Drain(WhatsAppFormat(), dir.File("bad.zip"));
  ASSERT_FALSE(zip.has_value());
  EXPECT_NE(zip.error().message().find("bad.zip: bad zip"), std::string::npos)
      << zip.error().message();
}

TEST(WhatsAppImport, SniffsChatsOnly) {
  ::custos::testing::TempDir dir;
  WriteFile(dir.File("a.txt"), "[01/02/2024, 09:00:00] Alice: hi\n");
  WriteFile(dir.File("b.json"), "{\"messages\": []}");
  auto a = Bundle::Open(dir.File("a.txt"));
  auto b = Bundle::Open(dir.File("b.json"));
  ASSERT_TRUE(a.has_value() && b.has_value());
  EXPECT_GT(WhatsAppFormat().sniff(**a), 0);
  EXPECT_EQ(WhatsAppFormat().sniff(**b), 0);
}

}  // namespace
}  // namespace custos::importers
