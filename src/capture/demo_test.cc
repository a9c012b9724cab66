// SPDX-License-Identifier: Apache-2.0
#include "capture/demo.h"

#include <map>
#include <regex>
#include <set>
#include <string>

#include <gtest/gtest.h>

#include "capture/internal/demo_numbers.h"
#include "capture/jsonl.h"
#include "core/text.h"
#include "crypto/crypto.h"

namespace custos::capture {
namespace {

const DemoData& Data() {
  static const DemoData data = GenerateDemoData();
  return data;
}

int CountContaining(std::string_view needle) {
  int n = 0;
  for (const model::Message& m : Data().messages) {
    if (m.text.find(needle) != std::string::npos) {
      ++n;
    }
  }
  return n;
}

TEST(DemoData, IsDeterministic) {
  const DemoData again = GenerateDemoData();
  ASSERT_EQ(again.messages.size(), Data().messages.size());
  for (std::size_t i = 0; i < again.messages.size(); ++i) {
    ASSERT_EQ(again.messages[i], Data().messages[i]) << i;
  }
}

TEST(DemoData, HasARealisticSize) {
  const auto& messages = Data().messages;
  EXPECT_GE(messages.size(), 1500U);
  EXPECT_LE(messages.size(), 3000U);
  std::set<std::string> conversations;
  std::set<std::string> channels;
  for (const model::Message& m : messages) {
    conversations.insert(m.conversation);
    channels.insert(m.channel);
  }
  EXPECT_GE(conversations.size(), 35U);
  EXPECT_LE(conversations.size(), 45U);
  EXPECT_EQ(channels, (std::set<std::string>{"slack", "sms", "telegram", "whatsapp"}));
  int employees = 0;
  for (const model::Person& p : Data().people) {
    employees += p.employee ? 1 : 0;
  }
  EXPECT_EQ(employees, 12);
  EXPECT_EQ(Data().people.size(), 32U);
}

TEST(DemoData, RoundTripsThroughTheCanonicalFormat) {
  for (const model::Message& m : Data().messages) {
    auto back = DecodeMessage(EncodeMessage(m));
    ASSERT_TRUE(back.has_value()) << EncodeMessage(m) << ": " << back.error().ToString();
    ASSERT_EQ(*back, m);
  }
}

TEST(DemoData, HasUniqueStableSourceIdsAndValidEventTargets) {
  std::map<std::string, const model::Message*> by_id;
  for (const model::Message& m : Data().messages) {
    EXPECT_EQ(m.source, kDemoSource);
    ASSERT_FALSE(m.source_id.empty());
    EXPECT_TRUE(by_id.emplace(m.source_id, &m).second) << "duplicate id " << m.source_id;
  }
  std::map<model::EventKind, int> kinds;
  for (const model::Message& m : Data().messages) {
    ++kinds[m.kind];
    if (m.target_source_id.empty()) {
      continue;
    }
    const auto it = by_id.find(m.target_source_id);
    ASSERT_NE(it, by_id.end()) << m.source_id;
    EXPECT_EQ(it->second->conversation, m.conversation);
    EXPECT_LT(it->second->sent_at, m.sent_at);
  }
  for (auto kind : {model::EventKind::kEdit, model::EventKind::kDelete, model::EventKind::kReaction,
                    model::EventKind::kJoin}) {
    EXPECT_GE(kinds[kind], 3) << model::EventKindName(kind);
  }
}

TEST(DemoData, SpansSixWeeksOfBusinessHours) {
  const core::Micros start = core::ParseRfc3339("2026-09-14T00:00:00Z").value();
  const core::Micros end = core::ParseRfc3339("2026-11-01T00:00:00Z").value();
  const core::Micros day = 86'400 * core::kMicrosPerSecond;
  for (const model::Message& m : Data().messages) {
    ASSERT_GE(m.sent_at, start - day);
    ASSERT_LT(m.sent_at, end);
    const std::string when = core::FormatRfc3339(m.sent_at);
    const int hour = std::stoi(when.substr(11, 2));
    EXPECT_GE(hour, 6) << when;
    EXPECT_LE(hour, 21) << when;
    const auto weekday = ((m.sent_at - start) / day) % 7;  // 0 = Monday
    EXPECT_LT(weekday, 5) << when;
  }
}

TEST(DemoData, MixesLanguages) {
  for (const char* word : {"Danke", "Merci", "Gracias", "Grazie", "Obrigado", "Thanks"}) {
    EXPECT_GE(CountContaining(word), 2) << word;
  }
}

TEST(DemoData, ContainsMessagesAPolicyShouldFlag) {
  const std::regex card(R"(\b\d{4}[ -]?\d{4}[ -]?\d{4}[ -]?\d{4}\b)");
  const std::regex iban(R"(\b[A-Z]{2}\d{2}(?: ?[A-Z0-9]{4}){3,7}(?: ?[A-Z0-9]{1,3})?\b)");
  int cards = 0;
  int ibans = 0;
  for (const model::Message& m : Data().messages) {
    std::smatch match;
    if (std::regex_search(m.text, match, card) && internal::LuhnValid(match.str())) {
      ++cards;
    }
    if (std::regex_search(m.text, match, iban) && internal::IbanValid(match.str())) {
      ++ibans;
    }
  }
  EXPECT_GE(cards, 5);
  EXPECT_GE(ibans, 5);
  EXPECT_GE(CountContaining("guarant") + CountContaining("garant"), 5);
  EXPECT_GE(CountContaining("personal phone") + CountContaining("Signal"), 5);
  EXPECT_GE(CountContaining("idiot") + CountContaining("moron") + CountContaining("bloody") +
                CountContaining("damn") + CountContaining("clown"),
            3);
}

TEST(DemoData, AttachmentsHashTheirGeneratedContent) {
  int checked = 0;
  int attachments = 0;
  for (const model::Message& m : Data().messages) {
    for (const model::Attachment& a : m.attachments) {
      ++attachments;
      EXPECT_TRUE(a.mime == "application/pdf" || a.mime == "image/jpeg") << a.mime;
      if (checked < 3) {
        const std::string content =
            DemoAttachmentContent(m.source_id + "/" + a.name, a.mime, a.size);
        EXPECT_EQ(static_cast<std::int64_t>(content.size()), a.size);
        EXPECT_EQ(core::HexEncode(crypto::Sha256(content)), a.sha256);
        ++checked;
      }
    }
  }
  EXPECT_GE(attachments, 20);
}

TEST(DemoNumbers, GeneratesValidCardsAndIbans) {
  internal::DemoRng rng(7);
  for (int i = 0; i < 100; ++i) {
    EXPECT_TRUE(internal::LuhnValid(internal::TestCardNumber(rng)));
    EXPECT_TRUE(internal::IbanValid(internal::TestIban(rng)));
  }
  EXPECT_TRUE(internal::LuhnValid("4111 1111 1111 1111"));
  EXPECT_FALSE(internal::LuhnValid("4111 1111 1111 1112"));
  EXPECT_TRUE(internal::IbanValid("GB82 WEST 1234 5698 7654 32"));
  EXPECT_FALSE(internal::IbanValid("GB82 WEST 1234 5698 7654 33"));
}

}  // namespace
}  // namespace custos::capture
