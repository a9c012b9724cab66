// SPDX-License-Identifier: Apache-2.0
// Phrase banks for the demo data set, per language: templates with {slots} that the generator
// fills in (see FillTemplate). Written for this project; mixed English, German, French,
// Spanish, Italian and Portuguese, plus phrases a compliance policy should flag (card numbers,
// IBANs, promised returns, moving to other channels, offensive language).
// Thread-safety: pure functions over constant tables.
#pragma once

#include <map>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "capture/internal/demo_cast.h"

namespace custos::capture::internal {

enum class Phrase {
  kGreeting,          // "Morning {first},"
  kClientAsk,         // a client opens a topic
  kEmployeeOpen,      // an employee opens a topic
  kEmployeeReply,     // first answer of an employee
  kClientFollowUp,    // later client turns
  kEmployeeFollowUp,  // later employee turns
  kThanks,            // a client's last word
  kClosing,           // an employee's last word
  kDay,               // slot values for {day}
  kAttachmentNote,    // text sent with a file
  kWrongChat,         // said before deleting a message
  kCard,              // {card}: a payment card number
  kIban,              // {iban}
  kGuarantee,         // promissory language
  kOffChannel,        // {phone}: moving off the recorded channel
  kOffensive,         // mild insults and swearing
  kInternal,          // desk chatter on Slack
  kInternalReply,
};

struct PhraseEntry {
  Phrase kind;
  std::string_view text;
};

std::span<const PhraseEntry> EnglishPhrases();
std::span<const PhraseEntry> GermanPhrases();
std::span<const PhraseEntry> FrenchPhrases();
std::span<const PhraseEntry> SpanishPhrases();
std::span<const PhraseEntry> ItalianPhrases();
std::span<const PhraseEntry> PortuguesePhrases();

// The templates of `kind` in `lang`; the English ones when `lang` has none of that kind.
std::vector<std::string_view> Phrases(Lang lang, Phrase kind);

// Replaces each "{name}" in `text` by slots.at(name); unknown slots are left as they are.
std::string FillTemplate(std::string_view text, const std::map<std::string, std::string>& slots);

}  // namespace custos::capture::internal
