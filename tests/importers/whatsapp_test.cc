// SPDX-License-Identifier: Apache-2.0
// The WhatsApp importer on every file of $CUSTOS_CORPUS/whatsapp (against target.json) and on
// our own fixtures for each pitfall of docs/formats/whatsapp.md.
#include "importers/whatsapp.h"

#include <algorithm>
#include <filesystem>
#include <map>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "core/time.h"
#include "importers/import_test_util.h"
#include "importers/item_split.h"
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

// One expected message of a fixture: time, sender, text and kind.
struct Want {
  std::string when;
  std::string from;
  std::string text;
  model::EventKind kind = model::EventKind::kMessage;
};

// Imports tests/data/importers/whatsapp/<name> and checks every message exactly.
std::vector<model::Message> ExpectFixture(const std::string& name, const std::vector<Want>& want,
                                          const ImportOptions& options = {}) {
  SCOPED_TRACE(name);
  auto d = Drain(WhatsAppFormat(), testing::Fixture("whatsapp", name), options);
  EXPECT_TRUE(d.has_value()) << d.error().ToString();
  if (!d.has_value()) {
    return {};
  }
  EXPECT_TRUE(d->error.ok()) << d->error.ToString();
  const auto m = Messages(*d);
  EXPECT_EQ(m.size(), want.size());
  for (std::size_t i = 0; i < std::min(m.size(), want.size()); ++i) {
    SCOPED_TRACE("message " + std::to_string(i));
    EXPECT_EQ(m[i].sent_at, At(want[i].when));
    EXPECT_EQ(m[i].from, want[i].from);
    EXPECT_EQ(m[i].text, want[i].text);
    EXPECT_EQ(m[i].kind, want[i].kind);
    model::Direction direction = model::Direction::kInbound;
    if (want[i].from == kSystemSender) {
      direction = model::Direction::kInternal;
    } else if (options.IsSelf(want[i].from)) {
      direction = model::Direction::kOutbound;
    }
    EXPECT_EQ(m[i].direction, direction);
  }
  return m;
}

// Android dd/mm/yy: BOM, system lines as events from nobody, a multi-line body with a date in
// the middle of a line and an empty line, an empty body, CRLF, two identical messages.
TEST(WhatsAppFixtures, Android24hSystemLinesMultiLineEmptyBodies) {
  using K = model::EventKind;
  const std::string sys(kSystemSender);
  const auto m = ExpectFixture(
      "android_24h_ddmmyy.txt",
      {{"2021-12-31T22:01:00Z", sys,
        "Messages and calls are end-to-end encrypted. No one outside of this chat, not even "
        "WhatsApp, can read or listen to them."},
       {"2021-12-31T22:01:00Z", sys, "Anna Schmidt created group \"Desk EMEA\"", K::kJoin},
       {"2021-12-31T22:02:00Z", sys, "Anna Schmidt added +44 7700 900123", K::kJoin},
       {"2021-12-31T22:03:00Z", "Anna Schmidt",
        "Happy new year\nsee you 02/01/22, 09:00 - Bob: this is not a header\n\nlast line"},
       {"2021-12-31T22:04:00Z", "+447700900123", ""},
       {"2021-12-31T22:05:00Z", "+447700900123", "ok"},
       {"2021-12-31T22:05:00Z", "+447700900123", "ok"},
       {"2021-12-31T23:59:00Z", sys, "Anna Schmidt removed +44 7700 900123", K::kLeave},
       {"2022-01-01T00:00:00Z", sys, "+44 7700 900199 joined using this group's invite link",
        K::kJoin},
       {"2022-01-01T00:01:00Z", sys, "+44 7700 900199 left", K::kLeave}});
  ASSERT_EQ(m.size(), 10U);
  EXPECT_EQ(m[0].conversation, "android_24h_ddmmyy");
  EXPECT_NE(m[5].source_id, m[6].source_id);  // two identical "ok" stay two messages
  auto d = Drain(WhatsAppFormat(), testing::Fixture("whatsapp", "android_24h_ddmmyy.txt"));
  ASSERT_TRUE(d.has_value());
  EXPECT_EQ(d->items[4].position.line, 8);
}

// Only the last line (1/13/2024) shows that the first number is the month; U+202F before AM/PM,
// 12 AM is midnight, 12 PM noon.
TEST(WhatsAppFixtures, Android12hMonthFirstFromTheWholeFile) {
  ExpectFixture("android_12h_mmddyyyy.txt",
                {{"2024-01-02T00:05:00Z", "Ann", "just after midnight"},
                 {"2024-01-02T12:30:00Z", "Bob", "lunch"},
                 {"2024-01-13T21:05:00Z", "Ann", "the 13th shows the month comes first"}});
}

TEST(WhatsAppFixtures, IosBracketsU200eU202fTwoDigitYears) {
  ExpectFixture("ios_12h_u202f.txt", {{"2018-06-13T22:01:09Z", "Ann", "late"},
                                      {"2018-06-14T07:00:00Z", "Bob", "early"},
                                      {"2018-06-14T12:00:30Z", "Ann", "noon"}});
}

TEST(WhatsAppFixtures, Ios24hFourDigitYearsMultiLine) {
  ExpectFixture("ios_24h_ddmmyyyy.txt", {{"2021-12-31T22:01:09Z", "Ann", "first line\nsecond line"},
                                         {"2022-01-01T00:00:00Z", "Bob", "Happy new year"}});
}

// "a. m." / "p. m.": with U+00A0 between the letters (Android) and with a space (iOS).
TEST(WhatsAppFixtures, SpanishAmPm) {
  ExpectFixture("android_es_ampm_nbsp.txt", {{"2018-06-13T00:05:00Z", "Ana", "medianoche"},
                                             {"2018-06-13T13:30:00Z", "Luis", "tarde"}});
  ExpectFixture("ios_es_ampm.txt", {{"2018-06-13T12:05:00Z", "Ana",
                                     "mediod\xC3\xAD"
                                     "a"},
                                    {"2018-06-14T09:15:00Z", "Luis",
                                     "buenos d\xC3\xAD"
                                     "as"}});
}

// "-" and "." separators, Finnish "klo HH.MM", "13. 6. 2018.", yyyy/mm/dd.
TEST(WhatsAppFixtures, OtherDateLayouts) {
  ExpectFixture("android_dashes_ddmmyyyy.txt",
                {{"2021-12-31T22:01:00Z", "Ann", "dashes"}, {"2022-01-01T08:00:00Z", "Bob", "ok"}});
  ExpectFixture("android_dots_ddmmyy.txt",
                {{"2021-12-31T22:01:00Z", "Ann", "dots"}, {"2022-01-01T08:00:00Z", "Bob", "ok"}});
  ExpectFixture("android_fi_klo.txt",
                {{"2018-06-13T17:36:00Z", "Aino", "klo"}, {"2018-06-14T08:05:00Z", "Eero", "ok"}});
  ExpectFixture("android_hr_spaced.txt",
                {{"2018-06-13T17:36:00Z", "Ana", "spaced"}, {"2018-06-14T08:05:00Z", "Ivo", "ok"}});
  ExpectFixture("android_yyyymmdd.txt", {{"2018-06-13T17:36:00Z", "Ann", "year first"},
                                         {"2018-06-14T08:05:00Z", "Bob", "ok"}});
}

// A name with ':' ("Desk: Sales" on every one of its lines) next to a body with ': '.
TEST(WhatsAppFixtures, SenderNameWithColon) {
  ExpectFixture("ios_sender_colon.txt", {{"2024-02-01T09:00:00Z", "Desk: Sales", "Morning all"},
                                         {"2024-02-01T09:01:00Z", "Bob", "Note: call the client"},
                                         {"2024-02-01T09:02:00Z", "Desk: Sales", "Done"},
                                         {"2024-02-01T09:03:00Z", "Bob", "."}});
}

// A name with ':' that occurs once is known from --custodian / self identities.
TEST(WhatsAppFixtures, SenderNameWithColonFromSelfIdentities) {
  ImportOptions options;
  options.self_identities = {"Bob: Note"};
  ExpectFixture("ios_sender_colon.txt",
                {{"2024-02-01T09:00:00Z", "Desk: Sales", "Morning all"},
                 {"2024-02-01T09:01:00Z", "Bob: Note", "call the client"},
                 {"2024-02-01T09:02:00Z", "Desk: Sales", "Done"},
                 {"2024-02-01T09:03:00Z", "Bob", "."}},
                options);
}

// iOS writes WhatsApp's own lines as messages from the chat's name with U+200E before the text
// (a one-to-one chat: from the contact). They are events from nobody; a person's deleted
// message, missed call or omitted media stays theirs, and the chat's name is no sender.
TEST(WhatsAppFixtures, IosSystemLinesFromTheChatName) {
  const std::string lrm = "\xE2\x80\x8E";
  const std::string sys(kSystemSender);
  using K = model::EventKind;
  const std::vector<Want> group = {
      {"2024-02-01T09:00:00Z", sys,
       "Messages and calls are end-to-end encrypted. No one outside of this chat, not even "
       "WhatsApp, can read or listen to them."},
      {"2024-02-01T09:00:00Z", sys, "Anna Jones created group \u201CDesk EMEA\u201D", K::kJoin},
      {"2024-02-01T09:00:01Z", sys, "Anna Jones added Ben Okoro", K::kJoin},
      {"2024-02-01T09:01:00Z", "Anna Jones", "Morning all"},
      {"2024-02-01T09:02:00Z", "Ben Okoro", lrm + "This message was deleted."},
      {"2024-02-01T09:03:00Z", sys, "Anna Jones changed the subject to \u201CDesk EMEA: FX\u201D"},
      {"2024-02-01T09:04:00Z", sys, "Anna Jones changed this group's icon"},
      {"2024-02-01T09:05:00Z", "Ben Okoro", ""},
      // An earlier name of the group: known by the phrase, not by the author.
      {"2024-02-01T09:06:00Z", sys, "Ben Okoro left", K::kLeave},
      {"2024-02-01T09:07:00Z", "Anna Jones", "Desk EMEA: see the note"},
  };
  ImportOptions named;
  named.chat_name = "Desk EMEA";
  ExpectFixture("ios_group_system.txt", group, named);

  // The same file as the zip iOS shares: the chat's name comes from the zip's name.
  ::custos::testing::TempDir dir;
  testing::WriteZip(
      dir.File("WhatsApp Chat - Desk EMEA.zip"),
      {{"_chat.txt", testing::ReadFile(testing::Fixture("whatsapp", "ios_group_system.txt"))}});
  auto zipped = Drain(WhatsAppFormat(), dir.File("WhatsApp Chat - Desk EMEA.zip"));
  ASSERT_TRUE(zipped.has_value()) << zipped.error().ToString();
  const auto messages = Messages(*zipped);
  ASSERT_EQ(messages.size(), group.size());
  for (std::size_t i = 0; i < group.size(); ++i) {
    EXPECT_EQ(messages[i].from, group[i].from) << i;
    EXPECT_EQ(messages[i].text, group[i].text) << i;
  }

  // Without the chat's name, the known phrases are still system lines.
  auto unnamed = Drain(WhatsAppFormat(), testing::Fixture("whatsapp", "ios_group_system.txt"));
  ASSERT_TRUE(unnamed.has_value()) << unnamed.error().ToString();
  const auto guessed = Messages(*unnamed);
  ASSERT_EQ(guessed.size(), group.size());
  for (std::size_t i : {0U, 1U, 2U, 5U, 6U, 8U}) {
    EXPECT_EQ(guessed[i].from, sys) << i;
  }

  ExpectFixture(
      "ios_direct_system.txt",
      {{"2024-02-01T10:00:00Z", sys,
        "Messages and calls are end-to-end encrypted. No one outside of this chat, not even "
        "WhatsApp, can read or listen to them."},
       {"2024-02-01T10:01:00Z", "Anna Jones", "Hi"},
       {"2024-02-01T10:02:00Z", "Anna Jones", lrm + "This message was deleted."},
       {"2024-02-01T10:03:00Z", "Ben Okoro", lrm + "Missed voice call"},
       {"2024-02-01T10:04:00Z", sys,
        "Your security code with Anna Jones changed. Tap to learn more."}},
      [] {
        ImportOptions o;
        o.chat_name = "Anna Jones";
        return o;
      }());
}

TEST(WhatsAppFixtures, IosSystemLinesAreNoSenders) {
  ImportOptions named;
  named.chat_name = "Desk EMEA";
  auto bundle = Bundle::Open(testing::Fixture("whatsapp", "ios_group_system.txt"));
  ASSERT_TRUE(bundle.has_value()) << bundle.error().ToString();
  auto source = WhatsAppFormat().open(**bundle, named);
  ASSERT_TRUE(source.has_value()) << source.error().ToString();
  const std::vector<std::string> names = (*source)->SenderNames();
  EXPECT_EQ(names, (std::vector<std::string>{"Anna Jones", "Ben Okoro"}));
}

void ExpectPresent(const Item& item, const std::string& name, const std::string& mime,
                   const std::string& bytes) {
  ASSERT_EQ(item.attachments.size(), 1U);
  EXPECT_FALSE(item.attachments[0].missing);
  EXPECT_EQ(item.attachments[0].bytes, bytes);
  EXPECT_EQ(item.attachments[0].meta.name, name);
  EXPECT_EQ(item.attachments[0].meta.mime, mime);
  EXPECT_EQ(item.attachments[0].meta.size, static_cast<std::int64_t>(bytes.size()));
  EXPECT_EQ(item.message.attachments, std::vector{item.attachments[0].meta});
}

void ExpectMissing(const Item& item, const std::string& name) {
  ASSERT_EQ(item.attachments.size(), 1U);
  EXPECT_TRUE(item.attachments[0].missing);
  EXPECT_FALSE(item.attachments[0].bytes.has_value());
  EXPECT_EQ(item.attachments[0].meta.name, name);
}

// The iOS markers: "<attached: NAME>", the old "NAME <U+200Eattached>", "image omitted", a
// named file that is not in the export. As a folder and as the zip WhatsApp writes.
void CheckIosMedia(const std::string& path, const std::string& chat) {
  ImportOptions options;
  options.custodian = "+447700900123";
  options.self_identities = {"Alice"};
  auto d = Drain(WhatsAppFormat(), path, options);
  ASSERT_TRUE(d.has_value()) << d.error().ToString();
  ASSERT_TRUE(d->error.ok()) << d->error.ToString();
  ASSERT_EQ(d->items.size(), 4U);
  const Item& photo = d->items[0];
  EXPECT_EQ(photo.message.conversation, chat);
  EXPECT_EQ(photo.message.from, "+447700900123");
  EXPECT_EQ(photo.message.direction, model::Direction::kOutbound);
  EXPECT_EQ(photo.message.text, "");
  ExpectPresent(photo, "00000042-PHOTO-2024-02-01-09-00-00.jpg", "image/jpeg", "jpeg-bytes");
  EXPECT_EQ(d->items[1].message.from, "Bob");
  EXPECT_EQ(d->items[1].message.direction, model::Direction::kInbound);
  EXPECT_EQ(d->items[1].message.text, "");
  ExpectPresent(d->items[1], "IMG_0001.JPG", "image/jpeg", "old-ios");
  ExpectMissing(d->items[2], "");
  EXPECT_EQ(d->items[2].message.text, "");
  ExpectMissing(d->items[3], "00000043-AUDIO-2024-02-01-09-03-00.opus");
  EXPECT_EQ(d->items[3].attachments[0].meta.mime, "audio/ogg");
}

std::map<std::string, std::string> FolderEntries(const std::filesystem::path& root) {
  std::map<std::string, std::string> entries;
  for (const auto& e : std::filesystem::directory_iterator(root)) {
    entries[e.path().filename().string()] = testing::ReadFile(e.path().string());
  }
  return entries;
}

TEST(WhatsAppFixtures, IosMediaFolderAndZip) {
  CheckIosMedia(testing::Fixture("whatsapp", "ios_media"), "ios_media");
  ::custos::testing::TempDir dir;
  testing::WriteZip(dir.File("WhatsApp Chat - Deal.zip"),
                    FolderEntries(testing::Fixture("whatsapp", "ios_media")));
  CheckIosMedia(dir.File("WhatsApp Chat - Deal.zip"), "Deal");
}

// The Android markers: "NAME (file attached)" with a caption, "<Media omitted>", Spanish and
// German markers, a named file missing from the export.
TEST(WhatsAppFixtures, AndroidMediaLocalizedMarkers) {
  auto d = Drain(WhatsAppFormat(), testing::Fixture("whatsapp", "android_media"));
  ASSERT_TRUE(d.has_value()) << d.error().ToString();
  ASSERT_TRUE(d->error.ok()) << d->error.ToString();
  ASSERT_EQ(d->items.size(), 6U);
  EXPECT_EQ(d->items[0].message.conversation, "Deal");
  EXPECT_EQ(d->items[0].message.text, "caption here");
  ExpectPresent(d->items[0], "IMG-20240201-WA0001.jpg", "image/jpeg", "more-bytes");
  ExpectMissing(d->items[1], "");
  ExpectPresent(d->items[2], "DOC-20240201-WA0002.pdf", "application/pdf", "%PDF-1.4");
  EXPECT_EQ(d->items[2].message.from, "Ana");
  ExpectMissing(d->items[3], "");
  ExpectMissing(d->items[4], "VID-20240201-WA0003.mp4");
  EXPECT_EQ(d->items[4].attachments[0].meta.mime, "video/mp4");
  ExpectMissing(d->items[5], "");
  for (const Item& item : d->items) {
    EXPECT_EQ(item.message.kind, model::EventKind::kMessage);
    EXPECT_EQ(item.message.text, &item == &d->items[0] ? "caption here" : "");
  }
}

TEST(WhatsAppImport, BadInputNamesThePosition) {
  auto wrong = Drain(WhatsAppFormat(), testing::Fixture("whatsapp", "not_a_chat.txt"));
  ASSERT_FALSE(wrong.has_value());
  EXPECT_NE(wrong.error().message().find("not_a_chat.txt:1: not a WhatsApp chat export"),
            std::string::npos)
      << wrong.error().message();

  auto latin1 = Drain(WhatsAppFormat(), testing::Fixture("whatsapp", "latin1_line2.txt"));
  ASSERT_TRUE(latin1.has_value());
  ASSERT_EQ(Messages(*latin1).size(), 1U);  // what came before the bad line
  EXPECT_EQ(Messages(*latin1)[0].text, "ok");
  EXPECT_NE(latin1->error.message().find("latin1_line2.txt:2: invalid UTF-8"), std::string::npos)
      << latin1->error.message();

  ::custos::testing::TempDir dir;
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
