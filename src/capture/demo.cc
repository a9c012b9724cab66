// SPDX-License-Identifier: Apache-2.0
#include "capture/demo.h"

#include <algorithm>
#include <array>
#include <cstdint>
#include <map>
#include <span>
#include <string>
#include <utility>
#include <vector>

#include "capture/internal/demo_attachments.h"
#include "capture/internal/demo_cast.h"
#include "capture/internal/demo_numbers.h"
#include "capture/internal/demo_phrases.h"
#include "capture/internal/demo_rng.h"
#include "core/time.h"

namespace custos::capture {
namespace {

using internal::CastMember;
using internal::DemoConversation;
using internal::Lang;
using internal::Phrase;

constexpr const char* kReferenceWeek = "2026-10-26T00:00:00Z";  // first day then: 2026-09-14
constexpr int kWeeks = 6;
constexpr core::Micros kSecond = core::kMicrosPerSecond;
constexpr core::Micros kMinute = 60 * kSecond;
constexpr core::Micros kHour = 60 * kMinute;
constexpr core::Micros kDay = 24 * kHour;

constexpr std::array<std::string_view, 6> kSalesInstruments = {
    "Global Equity Fund", "Green Bond 2030",     "Money Market Fund",
    "Euro Stoxx 50 Note", "Infrastructure Fund", "EUR Corporate Bond 2031"};
constexpr std::array<std::string_view, 8> kTradingInstruments = {
    "EUR/USD", "GBP/CHF", "Bund futures", "10y Treasuries",
    "Brent",   "gold",    "USD/JPY",      "Euro Stoxx 50 futures"};
constexpr std::array<std::string_view, 6> kAdvisoryInstruments = {
    "Balanced Mandate",      "Income Portfolio",  "Private Equity Feeder",
    "Municipal Bond Ladder", "Dividend Strategy", "Sustainable Equity Mandate"};
constexpr std::array<std::string_view, 8> kAmounts = {
    "EUR 250k", "EUR 1.5m", "USD 500k", "CHF 400k", "EUR 2m", "GBP 750k", "USD 3m", "EUR 100k"};
constexpr std::array<std::string_view, 8> kReactions = {"👍", "👍",      "👌", "🙏",
                                                        "✅", "❤️", "😂", "👀"};

// 16 digits of `word` in the alphabet `digits` (16 characters).
std::string Hex(std::uint64_t word, std::string_view digits) {
  std::string out;
  for (int i = 0; i < 16; ++i, word >>= 4) {
    out.push_back(digits[word & 0xF]);
  }
  return out;
}

// What kind of flagged content a message carries, if any.
enum class Flag { kNone, kCard, kIban, kGuarantee, kOffChannel, kOffensive };

class Generator {
 public:
  Generator(core::Micros first_day, std::uint64_t seed)
      : rng_(seed), cast_(internal::BuildCast(rng_)), first_day_(first_day) {}

  DemoData Run() {
    for (std::size_t i = 0; i < cast_.conversations.size(); ++i) {
      Conversation(i);
    }
    std::stable_sort(
        messages_.begin(), messages_.end(),
        [](const model::Message& a, const model::Message& b) { return a.sent_at < b.sent_at; });
    DemoData data;
    data.messages = std::move(messages_);
    for (const CastMember& m : cast_.people) {
      model::Person p;
      p.display_name = m.name;
      p.group = m.desk;
      p.employee = m.employee;
      p.identities = {
          {"phone", m.phone}, {"email", m.email}, {"slack", m.slack}, {"telegram", m.telegram}};
      data.people.push_back(std::move(p));
    }
    return data;
  }

 private:
  // One conversation's sessions: bursts of messages on business days, in business hours.
  void Conversation(std::size_t index) {
    const DemoConversation& c = cast_.conversations[index];
    conv_index_ = index;
    seq_ = 0;
    std::vector<core::Micros> starts;
    for (int s = 0; s < c.sessions; ++s) {
      const auto day = static_cast<core::Micros>(rng_.Below(kWeeks) * 7 + rng_.Below(5));
      starts.push_back(first_day_ + day * kDay + 7 * kHour + rng_.Between(0, 570) * kMinute +
                       rng_.Between(0, 59) * kSecond);
    }
    std::sort(starts.begin(), starts.end());
    if (c.group) {
      // Everyone on the client side is added to the group before it starts.
      for (std::size_t m : c.members) {
        if (!cast_.people[m].employee || c.internal) {
          model::Message& join = Emit(c, m, starts.front() - 10 * kMinute, "");
          join.kind = model::EventKind::kJoin;
          join.to.clear();
        }
      }
    }
    for (core::Micros start : starts) {
      Session(c, start);
    }
    if (c.group && rng_.Below(2) == 0) {
      model::Message& leave = Emit(c, c.members.back(), starts.back() + 2 * kHour, "");
      leave.kind = model::EventKind::kLeave;
      leave.to.clear();
    }
  }

  void Session(const DemoConversation& c, core::Micros t) {
    const int n = static_cast<int>(c.internal ? rng_.Between(2, 7) : rng_.Between(3, 9));
    bool client_side = !c.internal && rng_.Below(100) < 55;
    std::size_t previous = c.members.size();
    for (int i = 0; i < n; ++i) {
      const std::size_t speaker = PickSpeaker(c, client_side, previous);
      const bool employee = cast_.people[speaker].employee;
      Phrase kind = Phrase::kInternalReply;
      if (c.internal) {
        kind = (i == 0 || rng_.Below(10) < 3) ? Phrase::kInternal : Phrase::kInternalReply;
      } else if (i == 0) {
        kind = employee ? Phrase::kEmployeeOpen : Phrase::kClientAsk;
      } else if (i == n - 1) {
        kind = employee ? Phrase::kClosing : Phrase::kThanks;
      } else if (i == 1 && employee) {
        kind = Phrase::kEmployeeReply;
      } else {
        kind = employee ? Phrase::kEmployeeFollowUp : Phrase::kClientFollowUp;
      }
      const Lang lang = SpeakerLang(c, employee);
      auto slots = Slots(c, speaker, lang);
      std::string text = internal::FillTemplate(rng_.Pick(internal::Phrases(lang, kind)), slots);
      if (i == 0 && !c.internal && rng_.Below(10) < 4) {
        text =
            internal::FillTemplate(rng_.Pick(internal::Phrases(lang, Phrase::kGreeting)), slots) +
            " " + text;
      }
      const Flag flag = PickFlag(c, employee);
      if (flag != Flag::kNone) {
        text = internal::FillTemplate(rng_.Pick(internal::Phrases(lang, FlagPhrase(flag))), slots);
      }
      model::Message& m = Emit(c, speaker, t, std::move(text));
      if (rng_.PerMille(c.internal ? 10 : 30)) {
        if (rng_.Below(2) == 0) {
          m.text = std::string(rng_.Pick(internal::Phrases(lang, Phrase::kAttachmentNote)));
        }
        m.attachments.push_back(internal::MakeDemoAttachment(rng_, m.source_id, m.sent_at,
                                                             cast_.people[ClientOf(c)].company));
      }
      Events(c, speaker, t, flag, lang, slots);
      previous = speaker;
      if (rng_.Below(4) != 0) {
        client_side = !client_side;
      }
      t += rng_.Below(10) == 0 ? rng_.Between(10, 60) * kMinute : rng_.Between(15, 240) * kSecond;
    }
  }

  // Reactions, edits and deletions of the message just emitted (the last one in messages_).
  void Events(const DemoConversation& c, std::size_t speaker, core::Micros t, Flag flag, Lang lang,
              const std::map<std::string, std::string>& slots) {
    const model::Message target = messages_.back();
    if (rng_.PerMille(25)) {
      const std::size_t other = PickSpeaker(c, cast_.people[speaker].employee, speaker);
      model::Message& r =
          Emit(c, other, t + rng_.Between(10, 120) * kSecond, std::string(rng_.Pick(kReactions)));
      r.kind = model::EventKind::kReaction;
      r.target_source_id = target.source_id;
    }
    const bool regret = flag == Flag::kCard || flag == Flag::kIban || flag == Flag::kOffChannel;
    if (rng_.PerMille(regret ? 300 : 5)) {
      Emit(c, speaker, t + rng_.Between(20, 50) * kSecond,
           std::string(rng_.Pick(internal::Phrases(lang, Phrase::kWrongChat))));
      model::Message& d = Emit(c, speaker, t + rng_.Between(60, 90) * kSecond, "");
      d.kind = model::EventKind::kDelete;
      d.target_source_id = target.source_id;
    } else if (rng_.PerMille(60)) {
      // A typo in a figure, corrected: the amount or the price changes.
      std::string text = target.text;
      for (const char* slot : {"amount", "price"}) {
        const std::string& old = slots.at(slot);
        const std::size_t at = text.find(old);
        if (at != std::string::npos) {
          const std::string fixed = slot == std::string_view("amount")
                                        ? std::string(rng_.Pick(kAmounts))
                                        : old.substr(0, old.size() - 1) + "5";
          text.replace(at, old.size(), fixed);
          break;
        }
      }
      if (text != target.text) {
        model::Message& e = Emit(c, speaker, t + rng_.Between(20, 90) * kSecond, std::move(text));
        e.kind = model::EventKind::kEdit;
        e.target_source_id = target.source_id;
      }
    }
  }

  Flag PickFlag(const DemoConversation& c, bool employee) {
    const std::size_t roll = rng_.Below(1000);
    if (c.internal) {
      return roll < 20 ? Flag::kOffensive : roll < 26 ? Flag::kOffChannel : Flag::kNone;
    }
    if (employee) {
      return roll < 22   ? Flag::kGuarantee
             : roll < 36 ? Flag::kOffChannel
             : roll < 42 ? Flag::kOffensive
                         : Flag::kNone;
    }
    return roll < 24   ? Flag::kCard
           : roll < 48 ? Flag::kIban
           : roll < 60 ? Flag::kOffChannel
           : roll < 68 ? Flag::kOffensive
                       : Flag::kNone;
  }

  static Phrase FlagPhrase(Flag flag) {
    switch (flag) {
      case Flag::kCard:
        return Phrase::kCard;
      case Flag::kIban:
        return Phrase::kIban;
      case Flag::kGuarantee:
        return Phrase::kGuarantee;
      case Flag::kOffChannel:
        return Phrase::kOffChannel;
      case Flag::kOffensive:
      case Flag::kNone:
        break;
    }
    return Phrase::kOffensive;
  }

  Lang SpeakerLang(const DemoConversation& c, bool employee) {
    if (c.lang == Lang::kEnglish) {
      return Lang::kEnglish;
    }
    return rng_.Below(100) < (employee ? 70U : 85U) ? c.lang : Lang::kEnglish;
  }

  // A member on the requested side, preferably not the previous speaker.
  std::size_t PickSpeaker(const DemoConversation& c, bool client_side, std::size_t previous) {
    std::vector<std::size_t> side;
    for (std::size_t m : c.members) {
      if ((c.internal || cast_.people[m].employee != client_side) && m != previous) {
        side.push_back(m);
      }
    }
    if (side.empty()) {
      return previous < cast_.people.size() ? previous : c.members.front();
    }
    return rng_.Pick(side);
  }

  std::size_t ClientOf(const DemoConversation& c) const {
    for (std::size_t m : c.members) {
      if (!cast_.people[m].employee) {
        return m;
      }
    }
    return kFirstClientOfCast;
  }

  std::map<std::string, std::string> Slots(const DemoConversation& c, std::size_t speaker,
                                           Lang lang) {
    const CastMember& employee = cast_.people[c.members.front()];
    using Names = std::span<const std::string_view>;
    const Names instruments = employee.desk == "trading" ? Names(kTradingInstruments)
                              : employee.desk == "sales" ? Names(kSalesInstruments)
                                                         : Names(kAdvisoryInstruments);
    const std::string_view instrument = rng_.Pick(instruments);
    std::map<std::string, std::string> slots;
    const std::size_t other = PickSpeaker(c, cast_.people[speaker].employee, speaker);
    slots["first"] = cast_.people[other].FirstName();
    slots["instrument"] = instrument;
    slots["amount"] = rng_.Pick(kAmounts);
    slots["price"] =
        instrument.find('/') != std::string_view::npos
            ? "1." + std::to_string(rng_.Between(1000, 9999))
            : std::to_string(rng_.Between(94, 112)) + "." + std::to_string(rng_.Between(10, 99));
    slots["pct"] = std::to_string(rng_.Between(1, 12)) + "." + std::to_string(rng_.Below(10)) + "%";
    slots["time"] = std::to_string(rng_.Between(9, 17)) + ":" + std::to_string(rng_.Below(4) * 15);
    if (slots["time"].back() == '0' && slots["time"][slots["time"].size() - 2] == ':') {
      slots["time"] += "0";
    }
    slots["day"] = rng_.Pick(internal::Phrases(lang, Phrase::kDay));
    const std::size_t client = c.internal ? kFirstClientOfCast + rng_.Below(20) : ClientOf(c);
    const std::string& company = cast_.people[client].company;
    slots["company"] = company.empty() ? cast_.people[client].name : company;
    slots["card"] = internal::TestCardNumber(rng_);
    slots["iban"] = internal::TestIban(rng_);
    slots["phone"] = cast_.people[speaker].employee
                         ? cast_.people[speaker].personal_phone
                         : "+4477009008" + std::to_string(speaker % 90 + 10);
    return slots;
  }

  model::Message& Emit(const DemoConversation& c, std::size_t speaker, core::Micros at,
                       std::string text) {
    const CastMember& who = cast_.people[speaker];
    model::Message m;
    m.source = std::string(kDemoSource);
    m.source_id = SourceId(c, at);
    m.channel = c.channel;
    m.conversation = c.key;
    m.from = internal::HandleOn(who, c.channel);
    for (std::size_t other : c.members) {
      if (other != speaker) {
        m.to.push_back(internal::HandleOn(cast_.people[other], c.channel));
      }
    }
    m.sent_at = at;
    m.direction = !who.employee ? model::Direction::kInbound
                  : c.internal  ? model::Direction::kInternal
                                : model::Direction::kOutbound;
    m.text = std::move(text);
    messages_.push_back(std::move(m));
    return messages_.back();
  }

  // Ids in the style of each channel, unique across the source and stable across runs.
  std::string SourceId(const DemoConversation& c, core::Micros at) {
    ++seq_;
    internal::DemoRng mix((std::uint64_t{conv_index_} << 32) | seq_);
    if (c.channel == "whatsapp") {
      return "3EB0" + Hex(mix.Next(), "0123456789ABCDEF");
    }
    if (c.channel == "sms") {
      return "SM" + Hex(mix.Next(), "0123456789abcdef") + Hex(mix.Next(), "0123456789abcdef");
    }
    if (c.channel == "telegram") {
      return c.key + ":" + std::to_string(1000 + seq_);
    }
    const std::string micros = std::to_string(1'000'000 + seq_ % 1'000'000).substr(1);
    return c.key + ":" + std::to_string(at / kSecond) + "." + micros;
  }

  static constexpr std::size_t kFirstClientOfCast = 12;

  internal::DemoRng rng_;
  internal::Cast cast_;
  core::Micros first_day_ = 0;
  std::vector<model::Message> messages_;
  std::size_t conv_index_ = 0;
  std::uint32_t seq_ = 0;
};

}  // namespace

core::Micros DemoFirstDay(core::Micros as_of) {
  if (as_of == 0) {
    as_of = core::ParseRfc3339(kReferenceWeek).value();
  }
  // 1970-01-01 was a Thursday: day 0 is weekday 3 counting from Monday.
  std::int64_t days = as_of / kDay;
  if (as_of < 0 && as_of % kDay != 0) {
    --days;
  }
  const std::int64_t weekday = ((days + 3) % 7 + 7) % 7;
  return (days - weekday - 7 * kWeeks) * kDay;
}

DemoData GenerateDemoData(const DemoOptions& options) {
  return Generator(DemoFirstDay(options.as_of), options.seed).Run();
}

DemoData GenerateDemoData() { return GenerateDemoData(DemoOptions{}); }

}  // namespace custos::capture
