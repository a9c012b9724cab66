// SPDX-License-Identifier: Apache-2.0
#include "archive/canonical.h"

#include <gtest/gtest.h>

namespace custos::archive {
namespace {

TEST(CanonicalValue, SortsKeysAndEscapesMinimally) {
  const CanonicalValue v(CanonicalValue::Object{
      {"b", CanonicalValue::Array{1, -2, true, nullptr}},
      {"a", "tab\there \"q\" \\ / é \x01"},
  });
  EXPECT_EQ(v.Serialize(),
            "{\"a\":\"tab\\there \\\"q\\\" \\\\ / é \\u0001\",\"b\":[1,-2,true,null]}");
}

// The worked example of docs/formats/records.md, byte for byte.
TEST(EncodeRecord, MatchesTheDocumentedExample) {
  model::Message m;
  m.id = 5;
  m.source = "demo";
  m.source_id = "wa-1";
  m.channel = "whatsapp";
  m.conversation = "Anna / Sales";
  m.from = "+447700900123";
  m.to = {"+447700900456"};
  m.sent_at = *core::ParseRfc3339("2026-10-05T09:30:00Z");
  m.direction = model::Direction::kOutbound;
  m.text = "Hello \"Bob\"\n";
  const std::string bytes =
      EncodeRecord(7, "message", *core::ParseRfc3339("2026-10-05T09:30:01.250Z"), MessageBody(m));
  EXPECT_EQ(
      bytes,
      R"({"at":"2026-10-05T09:30:01.250Z","body":{"attachments":[],"channel":"whatsapp",)"
      R"("conversation":"Anna / Sales","direction":"outbound","event":"message",)"
      R"("from":"+447700900123","message_id":5,"sent_at":"2026-10-05T09:30:00Z",)"
      R"("source":"demo","source_id":"wa-1","text":"Hello \"Bob\"\n","to":["+447700900456"]},)"
      R"("id":7,"kind":"message","v":1})");
}

TEST(MessageBody, IncludesTargetOnlyForEvents) {
  model::Message m;
  EXPECT_EQ(MessageBody(m).count("target"), 0u);
  m.kind = model::EventKind::kEdit;
  m.target_source_id = "wa-1";
  EXPECT_EQ(MessageBody(m).count("target"), 1u);
}

TEST(MessageBody, IncludesReplyAndForwardOnlyWhenSet) {
  model::Message m;
  EXPECT_EQ(MessageBody(m).count("reply_to"), 0u);
  EXPECT_EQ(MessageBody(m).count("forwarded_from"), 0u);
  m.reply_to = "tg-7";
  m.forwarded_from = "Acme Research";
  const auto body = MessageBody(m);
  EXPECT_EQ(body.count("reply_to"), 1u);
  EXPECT_EQ(body.count("forwarded_from"), 1u);
  EXPECT_EQ(body.count("target"), 0u);
}

TEST(MessageBody, AttachmentUrlOnlyWhenSet) {
  model::Message m;
  m.attachments = {{"a.pdf", "application/pdf", 0, ""}};
  EXPECT_EQ(CanonicalValue(MessageBody(m)).Serialize().find("\"url\""), std::string::npos);
  m.attachments[0].url = "https://files.slack.com/files-pri/T0-F1/a.pdf";
  EXPECT_NE(CanonicalValue(MessageBody(m))
                .Serialize()
                .find("\"url\":\"https://files.slack.com/files-pri/T0-F1/a.pdf\""),
            std::string::npos);
}

}  // namespace
}  // namespace custos::archive
