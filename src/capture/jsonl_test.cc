// SPDX-License-Identifier: Apache-2.0
#include "capture/jsonl.h"

#include <optional>
#include <string>

#include <gtest/gtest.h>

namespace custos::capture {
namespace {

constexpr const char* kMinimal =
    R"({"source":"jsonl","channel":"sms","conversation":"c1","from":"+447700900001",)"
    R"("sent_at":"2026-10-01T09:30:00Z","direction":"inbound"})";

model::Message FullMessage() {
  model::Message m;
  m.source = "demo";
  m.source_id = "m-42";
  m.channel = "whatsapp";
  m.conversation = "120363041234567890@g.us";
  m.from = "+447700900001";
  m.to = {"+447700900002", "+12025550142"};
  m.sent_at = 1'790'000'000'123'000;
  m.direction = model::Direction::kOutbound;
  m.text = "Grüße — \"quoted\"\nnew line \xF0\x9F\x91\x8D";
  m.attachments = {{"Term Sheet.pdf", "application/pdf", 183'422, std::string(64, 'a')}};
  return m;
}

// Decodes `json`, expecting a failure on `field`; returns the message.
std::string ExpectFailure(const std::string& json, const std::string& field) {
  DecodeError error;
  auto result = DecodeMessage(json, &error);
  EXPECT_FALSE(result.has_value()) << json;
  if (result.has_value()) {
    return "";
  }
  EXPECT_EQ(error.field, field) << error.message;
  EXPECT_EQ(result.error().code(), core::StatusCode::kInvalidArgument);
  if (!field.empty()) {
    EXPECT_EQ(result.error().message(), "field \"" + field + "\": " + error.message);
  }
  return error.message;
}

// The minimal message with `extra` spliced in before the closing brace.
std::string With(const std::string& extra) {
  std::string s = kMinimal;
  s.pop_back();
  return s + "," + extra + "}";
}

TEST(Jsonl, DecodesMinimalMessageWithDefaults) {
  auto m = DecodeMessage(kMinimal);
  ASSERT_TRUE(m.has_value()) << m.error().ToString();
  EXPECT_EQ(m->source, "jsonl");
  EXPECT_EQ(m->source_id, "");
  EXPECT_EQ(m->channel, "sms");
  EXPECT_TRUE(m->to.empty());
  EXPECT_EQ(m->text, "");
  EXPECT_TRUE(m->attachments.empty());
  EXPECT_EQ(m->direction, model::Direction::kInbound);
  EXPECT_EQ(m->kind, model::EventKind::kMessage);
  EXPECT_EQ(m->sent_at, core::ParseRfc3339("2026-10-01T09:30:00Z").value());
}

TEST(Jsonl, RoundTripsEveryField) {
  const model::Message m = FullMessage();
  const std::string line = EncodeMessage(m);
  EXPECT_EQ(line.find('\n'), std::string::npos);
  auto back = DecodeMessage(line);
  ASSERT_TRUE(back.has_value()) << back.error().ToString();
  EXPECT_EQ(*back, m);
  EXPECT_EQ(EncodeMessage(*back), line);
}

TEST(Jsonl, RoundTripsReplyAndForward) {
  model::Message m = FullMessage();
  m.reply_to = "m-41";
  m.forwarded_from = "Acme Research";
  m.attachments[0].url = "https://files.slack.com/files-pri/T0-F1/term-sheet.pdf";
  const std::string line = EncodeMessage(m);
  EXPECT_NE(line.find(R"("reply_to":"m-41","forwarded_from":"Acme Research")"), std::string::npos)
      << line;
  auto back = DecodeMessage(line);
  ASSERT_TRUE(back.has_value()) << back.error().ToString();
  EXPECT_EQ(*back, m);
  EXPECT_EQ(back->kind, model::EventKind::kMessage);  // a reply is not an event
  EXPECT_NE(line.find(R"("url":"https://files.slack.com/)"), std::string::npos) << line;
  EXPECT_EQ(ExpectFailure(With(R"("reply_to":"")"), "reply_to"), "must not be empty");
  ExpectFailure(With(R"("forwarded_from":7)"), "forwarded_from");
}

TEST(Jsonl, EncodesFieldsInFixedOrder) {
  model::Message m = FullMessage();
  m.attachments.clear();
  m.to = {"+447700900002"};
  m.text = "hi";
  EXPECT_EQ(EncodeMessage(m), R"({"source":"demo","source_id":"m-42","channel":"whatsapp",)"
                              R"("conversation":"120363041234567890@g.us","from":"+447700900001",)"
                              R"("to":["+447700900002"],"sent_at":"2026-09-21T14:13:20.123Z",)"
                              R"("direction":"outbound","text":"hi","attachments":[]})");
}

TEST(Jsonl, RoundTripsEvents) {
  const struct {
    model::EventKind kind;
    const char* field;
  } cases[] = {{model::EventKind::kEdit, "\"edited_of\":\"m-1\""},
               {model::EventKind::kDelete, "\"deleted_of\":\"m-1\""},
               {model::EventKind::kReaction, "\"reaction_to\":\"m-1\""},
               {model::EventKind::kJoin, "\"event\":\"join\""},
               {model::EventKind::kLeave, "\"event\":\"leave\""}};

  for (const auto& c : cases) {
    model::Message m = FullMessage();
    m.kind = c.kind;
    if (c.kind != model::EventKind::kJoin && c.kind != model::EventKind::kLeave) {
      m.target_source_id = "m-1";
    }
    const std::string line = EncodeMessage(m);
    EXPECT_NE(line.find(c.field), std::string::npos) << line;
    auto back = DecodeMessage(line);
    ASSERT_TRUE(back.has_value()) << back.error().ToString();
    EXPECT_EQ(*back, m);
  }
}

TEST(Jsonl, AcceptsConsistentEventFieldAndIgnoresUnknownFields) {
  auto m = DecodeMessage(With(R"("edited_of":"x","event":"edit","future_field":{"a":[1]})"));
  ASSERT_TRUE(m.has_value()) << m.error().ToString();
  EXPECT_EQ(m->kind, model::EventKind::kEdit);
  EXPECT_EQ(m->target_source_id, "x");
}

TEST(Jsonl, LowerCasesTheChannel) {
  auto m = DecodeMessage(R"({"source":"s","channel":"WhatsApp","conversation":"c","from":"f",)"
                         R"("sent_at":"2026-10-01T09:30:00+02:00","direction":"internal"})");
  ASSERT_TRUE(m.has_value()) << m.error().ToString();
  EXPECT_EQ(m->channel, "whatsapp");
}

TEST(Jsonl, RejectsMissingRequiredFields) {
  for (const char* field : {"source", "channel", "conversation", "from", "sent_at", "direction"}) {
    std::string json = kMinimal;
    const std::size_t at = json.find(std::string("\"") + field + "\":");
    const std::size_t end = json.find_first_of(",}", json.find(':', at) + 1);
    json.erase(at, end - at + (json[end] == ',' ? 1 : 0));
    if (json[json.size() - 2] == ',') {
      json.erase(json.size() - 2, 1);
    }
    EXPECT_EQ(ExpectFailure(json, field), "is required");
  }
}

TEST(Jsonl, RejectsWrongTypes) {
  EXPECT_EQ(ExpectFailure(R"({"source":7})", "source"), "must be a string, not an integer");
  EXPECT_EQ(ExpectFailure(With(R"("to":"+1")"), "to"), "must be an array of strings, not a string");
  EXPECT_EQ(ExpectFailure(With(R"("to":["a",true])"), "to[1]"), "must be a string, not a boolean");
  EXPECT_EQ(ExpectFailure(With(R"("text":["a"])"), "text"), "must be a string, not an array");
  ExpectFailure(With(R"("attachments":{})"), "attachments");
  ExpectFailure(With(R"("attachments":[1])"), "attachments[0]");
}

TEST(Jsonl, RejectsNonObjectsAndBrokenJson) {
  EXPECT_EQ(ExpectFailure("[1,2]", ""), "a message must be a JSON object, not an array");
  EXPECT_NE(ExpectFailure(R"({"source":"a",)", "").find("malformed JSON"), std::string::npos);
  EXPECT_NE(ExpectFailure("", "").find("malformed JSON"), std::string::npos);
  ExpectFailure(std::string(kMinimal) + " trailing", "");
}

TEST(Jsonl, RejectsBadTimestamps) {
  std::string json = kMinimal;
  json.replace(json.find("2026-10-01T09:30:00Z"), 20, "2026-13-01T09:30:00Z");
  EXPECT_NE(ExpectFailure(json, "sent_at").find("invalid RFC 3339"), std::string::npos);
  json = kMinimal;
  json.replace(json.find("2026-10-01T09:30:00Z"), 20, "yesterday");
  ExpectFailure(json, "sent_at");
}

TEST(Jsonl, RejectsUnknownDirectionAndChannel) {
  std::string json = kMinimal;
  json.replace(json.find("inbound"), 7, "sideways");
  ExpectFailure(json, "direction");
  json = kMinimal;
  json.replace(json.find("\"sms\""), 5, "\"pager\"");
  EXPECT_NE(ExpectFailure(json, "channel").find("unknown channel \"pager\""), std::string::npos);
}

// content_base64 carries the bytes; size and sha256 may then be left out (computed at ingest).
TEST(Jsonl, AttachmentContentInBase64) {
  auto m = DecodeMessage(With(R"("attachments":[{"name":"a.txt","mime":"text/plain",)"
                              R"("content_base64":"aGVsbG8="}])"));
  ASSERT_TRUE(m.has_value()) << m.error().ToString();
  ASSERT_EQ(m->attachments.size(), 1u);
  EXPECT_EQ(m->attachments[0].content, std::optional<std::string>("hello"));
  EXPECT_EQ(m->attachments[0].sha256, "");
  ExpectFailure(With(R"("attachments":[{"name":"a","mime":"x/y","content_base64":"@@@"}])"),
                "attachments[0].content_base64");
  ExpectFailure(With(R"("attachments":[{"name":"a","mime":"x/y","content_base64":7}])"),
                "attachments[0].content_base64");
  ExpectFailure(With(R"("attachments":[{"name":"a","mime":"x/y","content_base64":"aGk=",)"
                     R"("sha256":"ABC"}])"),
                "attachments[0].sha256");
}

TEST(Jsonl, RejectsBadAttachments) {
  const std::string good_hash(64, 'f');
  ExpectFailure(With(R"("attachments":[{"name":"a","mime":"x/y","size":1,"sha256":"ABC"}])"),
                "attachments[0].sha256");
  ExpectFailure(With(R"("attachments":[{"name":"a","mime":"x/y","size":1,"sha256":")" +
                     std::string(64, 'F') + "\"}]"),
                "attachments[0].sha256");
  ExpectFailure(
      With(R"("attachments":[{"name":"a","mime":"x/y","size":-1,"sha256":")" + good_hash + "\"}]"),
      "attachments[0].size");
  ExpectFailure(
      With(R"("attachments":[{"name":"a","mime":"x/y","size":1.5,"sha256":")" + good_hash + "\"}]"),
      "attachments[0].size");
  ExpectFailure(With(R"("attachments":[{"name":"a","size":1,"sha256":")" + good_hash + "\"}]"),
                "attachments[0].mime");
}

TEST(Jsonl, RejectsOversizedText) {
  const std::string big(model::kMaxTextBytes + 1, 'x');
  EXPECT_NE(ExpectFailure(With("\"text\":\"" + big + "\""), "text").find("over the limit"),
            std::string::npos);
  auto ok = DecodeMessage(With("\"text\":\"" + std::string(model::kMaxTextBytes, 'x') + "\""));
  EXPECT_TRUE(ok.has_value());
}

TEST(Jsonl, RejectsTenMegabyteLineCleanly) {
  const std::string big(10 << 20, 'x');
  ExpectFailure(With("\"text\":\"" + big + "\""), "text");
  ExpectFailure(std::string(kMaxLineBytes + 1, ' '), "");
}

TEST(Jsonl, NamesTheFieldHoldingInvalidUtf8) {
  EXPECT_NE(ExpectFailure(With("\"text\":\"caf\xC3\""), "text").find("UTF-8"), std::string::npos);
  ExpectFailure(With("\"to\":[\"ok\",\"\xFF\"]"), "to[1]");
  ExpectFailure(With(R"("attachments":[{"name":"\ud800x"}])"), "attachments[0].name");
}

TEST(Jsonl, RejectsContradictoryEvents) {
  ExpectFailure(With(R"("edited_of":"a","deleted_of":"b")"), "deleted_of");
  ExpectFailure(With(R"("edited_of":"a","event":"delete")"), "event");
  ExpectFailure(With(R"("event":"reaction")"), "reaction_to");
  ExpectFailure(With(R"("event":"explode")"), "event");
  ExpectFailure(With(R"("edited_of":"")"), "edited_of");
}

TEST(Jsonl, RejectsEmptyRequiredStrings) {
  std::string json = kMinimal;
  json.replace(json.find("\"c1\""), 4, "\"\"");
  EXPECT_EQ(ExpectFailure(json, "conversation"), "must not be empty");
}

TEST(Jsonl, TreatsNullOptionalFieldsAsAbsent) {
  auto m = DecodeMessage(With(R"("source_id":null,"to":null,"text":null,"attachments":null)"));
  ASSERT_TRUE(m.has_value()) << m.error().ToString();
  EXPECT_EQ(m->text, "");
}

}  // namespace
}  // namespace custos::capture
