// SPDX-License-Identifier: Apache-2.0
// sms-backup importer: every file of $CUSTOS_CORPUS/sms-backup-restore (skipped when absent) and
// the pitfall fixtures in tests/data/importers/sms-backup/.
#include "importers/sms_backup.h"

#include <algorithm>
#include <string>

#include <gtest/gtest.h>

#include "importers/bundle.h"
#include "importers/item_split.h"
#include "importers/sms_backup_entities.h"
#include "importers/sms_backup_mapping.h"

namespace custos::importers {
namespace {

using testing::CorpusDir;
using testing::DrainSplit;
using testing::Fixture;
using Drained = testing::SplitItems;

constexpr core::Micros kMs = 1000;

class SmsBackupCorpusTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = CorpusDir("sms-backup-restore");
    if (dir_.empty()) {
      GTEST_SKIP() << "no corpus: set CUSTOS_CORPUS to the shared corpus folder (with "
                      "sms-backup-restore/) to run the SMS Backup & Restore corpus tests";
    }
  }

  Drained Import(const std::string& name) {
    return DrainSplit(SmsBackupFormat(), (dir_ / name).string());
  }

  std::filesystem::path dir_;
};

TEST_F(SmsBackupCorpusTest, SampleSmallHasSmsAndMmsInBothDirections) {
  const Drained d = Import("sample_small.xml");
  ASSERT_TRUE(d.error.ok()) << d.error.ToString();
  ASSERT_EQ(d.messages.size(), 7u);
  EXPECT_TRUE(d.skipped.empty());
  const model::Message& first = d.messages[0].message;
  EXPECT_EQ(first.source, "sms-backup");
  EXPECT_EQ(first.channel, "sms");
  EXPECT_EQ(first.from, "+15550000001");
  EXPECT_EQ(first.to, std::vector<std::string>{"device-owner"});
  EXPECT_EQ(first.direction, model::Direction::kInbound);
  EXPECT_EQ(first.sent_at, 1512226167463 * kMs);
  EXPECT_EQ(first.text, "SMS 1 in Thread 1");
  EXPECT_EQ(d.messages[0].position.line, 4);
  const model::Message& sent = d.messages[1].message;
  EXPECT_EQ(sent.direction, model::Direction::kOutbound);
  EXPECT_EQ(sent.from, "device-owner");
  EXPECT_EQ(sent.to, std::vector<std::string>{"+15550000001"});
  const model::Message& mms = d.messages[3].message;
  EXPECT_EQ(mms.channel, "mms");
  EXPECT_EQ(mms.text, "MMS 1 text in Thread 1");
  EXPECT_EQ(mms.from, "+15550000001");  // only a cc row: the thread's address is the sender
  EXPECT_EQ(mms.sent_at, 1720997593000 * kMs);
  const model::Message& sent_mms = d.messages[6].message;
  EXPECT_EQ(sent_mms.direction, model::Direction::kOutbound);
  EXPECT_EQ(sent_mms.text, "MMS 2 text in Thread 2");
}

TEST_F(SmsBackupCorpusTest, SmsSmallKeepsNewlinesFromEntities) {
  const Drained d = Import("sms_small.xml");
  ASSERT_TRUE(d.error.ok()) << d.error.ToString();
  ASSERT_EQ(d.messages.size(), 12u);
  EXPECT_EQ(d.messages[9].message.text, "Body text 10\nBody text 11\nBody text 12");
  EXPECT_EQ(d.messages[9].message.from, "device-owner");
  EXPECT_EQ(d.messages[3].message.from, "+15550000003");
  EXPECT_EQ(d.messages[11].message.sent_at, 1512238245524 * kMs);
}

TEST_F(SmsBackupCorpusTest, SampleMmsDecodesEveryAttachment) {
  const Drained d = Import("sample_mms.xml");
  ASSERT_TRUE(d.error.ok()) << d.error.ToString();
  ASSERT_EQ(d.messages.size(), 4u);
  const std::vector<std::string> mimes = {"image/png", "video/mp4", "audio/mp3", "application/pdf"};
  for (std::size_t i = 0; i < 4; ++i) {
    const Item& item = d.messages[i];
    ASSERT_EQ(item.message.attachments.size(), 1u) << i;
    ASSERT_EQ(item.attachments.size(), 1u) << i;
    EXPECT_EQ(item.message.attachments[0].mime, mimes[i]);
    ASSERT_TRUE(item.attachments[0].bytes.has_value());
    EXPECT_EQ(item.message.attachments[0].size,
              static_cast<std::int64_t>(item.attachments[0].bytes->size()));
    EXPECT_EQ(item.message.attachments[0].sha256.size(), 64u);
  }
  EXPECT_EQ(d.messages[0].message.attachments[0].name, "image.png");
  EXPECT_EQ(d.messages[0].attachments[0].bytes->substr(1, 3), "PNG");
  EXPECT_EQ(d.messages[0].message.text, "Here is an image attachment");
}

TEST_F(SmsBackupCorpusTest, CorruptPartsAreReportedAndSkippedWhileTheRestImports) {
  const Drained d = Import("corrupt_attachments.xml");
  ASSERT_TRUE(d.error.ok()) << d.error.ToString();
  ASSERT_EQ(d.messages.size(), 2u);
  EXPECT_EQ(d.messages[0].message.text, "MMS with corrupted base64 image data");
  EXPECT_EQ(d.messages[1].message.text, "MMS with unsupported attachment type");
  EXPECT_TRUE(d.messages[0].message.attachments.empty());
  ASSERT_EQ(d.skipped.size(), 2u);
  for (const Item& s : d.skipped) {
    EXPECT_EQ(s.skip_kind, "corrupt_part");
    EXPECT_GT(s.position.line, 0);
  }
  EXPECT_NE(d.skipped[0].skip_reason.find("corrupt_image.png"), std::string::npos);
  EXPECT_EQ(d.skipped[0].position.line, 7);
}

TEST_F(SmsBackupCorpusTest, EmptyBackupImportsNothingWithoutError) {
  const Drained d = Import("empty.xml");
  EXPECT_TRUE(d.error.ok()) << d.error.ToString();
  EXPECT_TRUE(d.messages.empty());
  EXPECT_TRUE(d.skipped.empty());
}

// The real sms_and_mms.xml is cut off inside its last <mms>: everything before it imports and
// the error names the line where the data ends.
TEST_F(SmsBackupCorpusTest, TruncatedRealBackupImportsWhatIsCompleteThenNamesThePosition) {
  const Drained d = Import("sms_and_mms.xml");
  ASSERT_EQ(d.messages.size(), 41u + 8u);
  const auto sms = std::count_if(d.messages.begin(), d.messages.end(),
                                 [](const Item& i) { return i.message.channel == "sms"; });
  EXPECT_EQ(sms, 41);
  ASSERT_FALSE(d.error.ok());
  EXPECT_NE(d.error.message().find("sms_and_mms.xml:136"), std::string::npos) << d.error.message();
  // RCS group: participants only from <addr> rows.
  const auto rcs = std::find_if(d.messages.begin(), d.messages.end(),
                                [](const Item& i) { return i.message.text == "Body text 47"; });
  ASSERT_NE(rcs, d.messages.end());
  EXPECT_EQ(rcs->message.channel, "rcs");
  EXPECT_EQ(rcs->message.conversation, "group_8@rcs.google.com");
  EXPECT_EQ(rcs->message.from, "+15550000009");
  EXPECT_EQ(rcs->message.to,
            (std::vector<std::string>{"+15550000006", "+15550000010", "+15550000007"}));
  // SMIL parts skipped; the image part is an attachment; date_sent (seconds) is not the time.
  const auto image = std::find_if(d.messages.begin(), d.messages.end(),
                                  [](const Item& i) { return i.message.text == "Body text 54"; });
  ASSERT_NE(image, d.messages.end());
  ASSERT_EQ(image->message.attachments.size(), 1u);
  EXPECT_EQ(image->message.attachments[0].name, "image_8.png");
  EXPECT_EQ(image->message.sent_at, 1721161764000 * kMs);
}

TEST_F(SmsBackupCorpusTest, ReimportGivesTheSameIds) {
  const Drained a = Import("sms_small.xml");
  const Drained b = Import("sms_small.xml");
  ASSERT_EQ(a.messages.size(), b.messages.size());
  std::vector<std::string> ids;
  for (std::size_t i = 0; i < a.messages.size(); ++i) {
    EXPECT_EQ(a.messages[i].message.source_id, b.messages[i].message.source_id);
    ids.push_back(a.messages[i].message.source_id);
  }
  std::sort(ids.begin(), ids.end());
  EXPECT_EQ(std::unique(ids.begin(), ids.end()), ids.end()) << "source ids must be distinct";
}

TEST(SmsBackupFixtures, EveryPitfall) {
  ImportOptions options;
  options.custodian = "+447700900123";
  const Drained d = DrainSplit(SmsBackupFormat(), Fixture("sms-backup", "pitfalls.xml"), options);
  ASSERT_TRUE(d.error.ok()) << d.error.ToString();
  ASSERT_EQ(d.messages.size(), 7u);
  // Surrogate pairs, decimal and hex, become one code point each (U+1F600).
  EXPECT_EQ(d.messages[0].message.text,
            "Surrogate pair \xF0\x9F\x98\x80 and hex pair \xF0\x9F\x98\x80");
  EXPECT_EQ(d.messages[0].message.from, "+447700900123");  // spaces and dashes dropped
  EXPECT_EQ(d.messages[0].message.sent_at, 1767225600123 * kMs);
  // A seconds epoch; "&#10;" is a newline.
  EXPECT_EQ(d.messages[1].message.sent_at, 1767225660 * core::kMicrosPerSecond);
  EXPECT_EQ(d.messages[1].message.text, "Seconds epoch\nsecond line");
  EXPECT_EQ(d.messages[1].message.from, "+447700900123");  // the custodian
  // Lone surrogates: U+FFFD, and reported.
  EXPECT_EQ(d.messages[2].message.text, "Lone high \xEF\xBF\xBD and lone low \xEF\xBF\xBD here");
  // The subject comes first.
  EXPECT_EQ(d.messages[3].message.text, "Re: fees\nsubject line first");
  // Group MMS: SMIL dropped, image kept, corrupt part skipped, participants from <addr>.
  const model::Message& group = d.messages[4].message;
  EXPECT_EQ(group.channel, "mms");
  EXPECT_EQ(group.conversation, "+447700900123~+447700900124~+447700900125");
  EXPECT_EQ(group.from, "+447700900124");
  EXPECT_EQ(group.to,
            (std::vector<std::string>{"+447700900125", "+447700900123", "+447700900199"}));
  EXPECT_EQ(group.text, "Group photo \xF0\x9F\x8E\x89");
  EXPECT_EQ(group.sent_at, 1767225900000 * kMs);  // date (ms), not date_sent (s)
  ASSERT_EQ(group.attachments.size(), 1u);
  EXPECT_EQ(group.attachments[0].name, "pixel.png");
  EXPECT_EQ(group.attachments[0].mime, "image/png");
  ASSERT_EQ(d.messages[4].attachments.size(), 1u);  // base64 decoded: the PNG's bytes
  ASSERT_TRUE(d.messages[4].attachments[0].bytes.has_value());
  EXPECT_EQ(d.messages[4].attachments[0].bytes->substr(1, 3), "PNG");
  EXPECT_EQ(group.attachments[0].size,
            static_cast<std::int64_t>(d.messages[4].attachments[0].bytes->size()));
  // RCS group sent by the owner ("insert-address-token").
  const model::Message& rcs = d.messages[5].message;
  EXPECT_EQ(rcs.channel, "rcs");
  EXPECT_EQ(rcs.from, "+447700900123");
  EXPECT_EQ(rcs.direction, model::Direction::kOutbound);
  // A part without data is a missing attachment.
  ASSERT_EQ(d.messages[6].attachments.size(), 1u);
  EXPECT_TRUE(d.messages[6].attachments[0].missing);

  for (const Item& item : d.messages) {  // the literal "null" of subject, sub, contact_name
    EXPECT_EQ(item.message.text.find("null"), std::string::npos) << item.message.text;
    EXPECT_NE(item.message.conversation, "null");
  }
  std::vector<std::string> kinds;
  for (const Item& s : d.skipped) {
    kinds.push_back(s.skip_kind);
  }
  EXPECT_EQ(kinds, (std::vector<std::string>{"lone_surrogate", "lone_surrogate", "draft",
                                             "invalid_date", "corrupt_part"}));
  EXPECT_EQ(d.skipped[0].position.line, 7);
  EXPECT_EQ(d.skipped[3].position.line, 9);
  EXPECT_NE(d.skipped[4].skip_reason.find("broken.jpg"), std::string::npos)
      << d.skipped[4].skip_reason;
}

// sms@type and mms@msg_box: 1 received; 2 sent, 4 outbox, 5 failed, 6 queued are the owner's
// (outbound); 3 (draft) is skipped. `date` is the time (ms); `date_sent` (s) never is; "null"
// strings never reach a field.
TEST(SmsBackupFixtures, TypeCodesOneToSix) {
  ImportOptions options;
  options.custodian = "+447700900123";
  const Drained d = DrainSplit(SmsBackupFormat(), Fixture("sms-backup", "type_codes.xml"), options);
  ASSERT_TRUE(d.error.ok()) << d.error.ToString();

  struct Want {
    std::string text;
    std::string channel;
    core::Micros sent_at;
    bool outbound;
  };

  constexpr core::Micros kT = 1767225600000 * kMs;
  constexpr core::Micros kMin = 60 * core::kMicrosPerSecond;
  const std::vector<Want> want = {
      {"sms type 1: received", "sms", kT, false},
      {"sms type 2: sent", "sms", kT + kMin, true},
      {"sms type 4: outbox", "sms", kT + 3 * kMin, true},
      {"sms type 5: failed", "sms", kT + 4 * kMin, true},
      {"sms type 6: queued", "sms", kT + 5 * kMin, true},
      {"mms box 1: received", "mms", kT + 60 * kMin, false},
      {"mms box 2: sent", "mms", kT + 61 * kMin, true},
      {"mms box 4: outbox", "mms", kT + 63 * kMin, true},
  };
  ASSERT_EQ(d.messages.size(), want.size());
  for (std::size_t i = 0; i < want.size(); ++i) {
    SCOPED_TRACE(want[i].text);
    const model::Message& m = d.messages[i].message;
    EXPECT_EQ(m.text, want[i].text);
    EXPECT_EQ(m.channel, want[i].channel);
    EXPECT_EQ(m.sent_at, want[i].sent_at);
    EXPECT_EQ(m.conversation, "+447700900200");
    EXPECT_EQ(m.direction,
              want[i].outbound ? model::Direction::kOutbound : model::Direction::kInbound);
    EXPECT_EQ(m.from, want[i].outbound ? "+447700900123" : "+447700900200");
    EXPECT_EQ(m.to, std::vector<std::string>{want[i].outbound ? "+447700900200" : "+447700900123"});
    EXPECT_TRUE(m.attachments.empty());
  }
  ASSERT_EQ(d.skipped.size(), 2u);
  EXPECT_EQ(d.skipped[0].skip_kind, "draft");
  EXPECT_EQ(d.skipped[0].position.line, 7);
  EXPECT_EQ(d.skipped[1].skip_kind, "draft");
}

TEST(SmsBackupFixtures, TruncatedFileKeepsWhatCameBeforeAndNamesLineAndColumn) {
  const Drained d = DrainSplit(SmsBackupFormat(), Fixture("sms-backup", "truncated.xml"));
  EXPECT_EQ(d.messages.size(), 3u);
  ASSERT_FALSE(d.error.ok());
  EXPECT_NE(d.error.message().find("truncated.xml:8:"), std::string::npos) << d.error.message();
}

TEST(SmsBackupFixtures, WrongRootIsNotThisFormat) {
  const std::string path = Fixture("sms-backup", "wrong_root.xml");
  auto bundle = Bundle::Open(path);
  ASSERT_TRUE(bundle.has_value()) << bundle.error().ToString();
  EXPECT_EQ(SmsBackupFormat().sniff(**bundle), 0);
  const Drained d = DrainSplit(SmsBackupFormat(), path);
  ASSERT_FALSE(d.error.ok());
  EXPECT_NE(d.error.message().find("no SMS Backup & Restore file"), std::string::npos);
}

TEST(SmsBackupEntities, PairsSplitAcrossChunksAreStillJoined) {
  int lone = 0;
  SurrogateEntityFilter filter([&](std::int64_t, std::uint32_t) { ++lone; });
  std::string out;
  const std::string in = "a&#55357;&#56832;b\n&#55357;x &amp; &#65;";
  for (char c : in) {
    filter.Feed(std::string_view(&c, 1), false, out);
  }
  filter.Feed({}, true, out);
  EXPECT_EQ(out, "a&#128512;b\n&#65533;x &amp; &#65;");
  EXPECT_EQ(lone, 1);
}

TEST(SmsBackupMapping, EpochsAndAddresses) {
  EXPECT_EQ(SmsEpochToMicros("1512226167463"), 1512226167463 * kMs);
  EXPECT_EQ(SmsEpochToMicros("1512226167"), 1512226167 * core::kMicrosPerSecond);
  EXPECT_FALSE(SmsEpochToMicros("null").has_value());
  EXPECT_FALSE(SmsEpochToMicros("-5").has_value());
  EXPECT_EQ(NormaliseSmsAddress(" (020) 7946-0000 "), "02079460000");
  EXPECT_EQ(NormaliseSmsAddress("group_8@rcs.google.com"), "group_8@rcs.google.com");
}

}  // namespace
}  // namespace custos::importers
