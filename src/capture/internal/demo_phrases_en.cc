// SPDX-License-Identifier: Apache-2.0
// English phrases of the demo data set, and the lookup shared by all languages.
#include <string>

#include "capture/internal/demo_phrases.h"

namespace custos::capture::internal {
namespace {

using P = Phrase;

constexpr PhraseEntry kEnglish[] = {
    {P::kGreeting, "Morning {first},"},
    {P::kGreeting, "Hi {first},"},
    {P::kGreeting, "Good afternoon {first}."},
    {P::kGreeting, "Hey {first}!"},
    {P::kGreeting, "Hello {first}, hope you're well."},

    {P::kClientAsk, "Can you send me a price on {instrument} for {amount}?"},
    {P::kClientAsk, "What's your view on {instrument} this week?"},
    {P::kClientAsk, "I'd like to add {amount} to {instrument}. Can we do it today?"},
    {P::kClientAsk, "Could we set up a call {day} to go over the portfolio?"},
    {P::kClientAsk, "Did the trade in {instrument} settle yet?"},
    {P::kClientAsk, "Any update on the documents for the account opening?"},
    {P::kClientAsk, "I saw {instrument} dropped {pct} this morning, should I be worried?"},
    {P::kClientAsk, "Can you remind me what the fees are on {instrument}?"},
    {P::kClientAsk, "We need to hedge about {amount} of exposure. What would you suggest?"},
    {P::kClientAsk, "Is {time} {day} still good for the meeting?"},
    {P::kClientAsk, "Please sell half of the {instrument} position."},
    {P::kClientAsk, "What's the latest on the rate decision? Does it change anything for us?"},
    {P::kClientAsk, "Our board meets {day}. Can you prepare a short note on {instrument}?"},

    {P::kEmployeeOpen, "Quick update: {instrument} is at {price} after the data this morning."},
    {P::kEmployeeOpen, "Just checking you received the statement I sent over."},
    {P::kEmployeeOpen, "We have a new issue in {instrument} coming, worth a look for {company}?"},
    {P::kEmployeeOpen, "Are you free {day} at {time} for a quick portfolio review?"},
    {P::kEmployeeOpen, "The desk has an axe in {instrument}, {amount} available at {price}."},
    {P::kEmployeeOpen, "Reminder that the annual suitability review is due {day}."},

    {P::kEmployeeReply, "Sure, I'll get the desk to quote {instrument} and come back by {time}."},
    {P::kEmployeeReply, "Let me check with the team and revert shortly."},
    {P::kEmployeeReply, "{instrument} is trading around {price} right now, {amount} is fine."},
    {P::kEmployeeReply, "We're a bit cautious on {instrument} near term. Happy to explain {day}."},
    {P::kEmployeeReply, "Settlement is confirmed for {day}, you'll see it on the statement."},
    {P::kEmployeeReply, "Still waiting on compliance sign-off, should be done by {day}."},
    {P::kEmployeeReply, "{time} {day} works for me, I'll send an invite."},
    {P::kEmployeeReply, "Done, sold at {price}. Confirmation to follow by email."},
    {P::kEmployeeReply, "Fees are unchanged: {pct} a year, no entry charge."},
    {P::kEmployeeReply, "Good question. Short answer is no, but let's go through it on the call."},
    {P::kEmployeeReply, "I'll send over the latest factsheet."},

    {P::kClientFollowUp, "Ok, thanks. And what about {instrument}?"},
    {P::kClientFollowUp, "Makes sense. Go ahead with {amount}."},
    {P::kClientFollowUp, "Can you do a bit better on the price?"},
    {P::kClientFollowUp, "Great, please send the confirmation to my email."},
    {P::kClientFollowUp, "Let's wait until after {day}."},
    {P::kClientFollowUp, "Understood. Keep me posted."},
    {P::kClientFollowUp, "Perfect."},
    {P::kClientFollowUp, "Hmm, let me think about it and get back to you."},
    {P::kClientFollowUp, "Is {price} firm or indicative?"},

    {P::kEmployeeFollowUp, "Will do."},
    {P::kEmployeeFollowUp, "Executed, {amount} at {price}."},
    {P::kEmployeeFollowUp, "I've asked the desk, they can improve by half a point."},
    {P::kEmployeeFollowUp, "Noted, I'll hold off until {day}."},
    {P::kEmployeeFollowUp, "Sent. Let me know if anything is unclear."},
    {P::kEmployeeFollowUp, "No problem at all."},
    {P::kEmployeeFollowUp, "Indicative for now, I can firm it up in ten minutes."},

    {P::kThanks, "Thanks {first}!"},
    {P::kThanks, "Thank you, have a good evening."},
    {P::kThanks, "Cheers."},
    {P::kThanks, "Much appreciated."},
    {P::kThanks, "Great, thanks a lot."},

    {P::kClosing, "Any time. Speak {day}."},
    {P::kClosing, "Have a good weekend!"},
    {P::kClosing, "Talk soon."},
    {P::kClosing, "My pleasure."},

    {P::kDay, "tomorrow"},
    {P::kDay, "Monday"},
    {P::kDay, "Thursday"},
    {P::kDay, "Friday"},
    {P::kDay, "next week"},

    {P::kAttachmentNote, "Attached, as discussed."},
    {P::kAttachmentNote, "Here's the document."},
    {P::kAttachmentNote, "Please see attached."},
    {P::kAttachmentNote, "Photo of the signed page."},

    {P::kWrongChat, "Sorry, wrong chat."},
    {P::kWrongChat, "Ignore that, sent by mistake."},

    {P::kCard, "You can charge the fee to my card {card}, expiry 08/28."},
    {P::kCard, "Card number is {card} if you need it for the booking."},
    {P::kCard, "Here's the company card: {card}"},

    {P::kIban, "Please send the proceeds to {iban}."},
    {P::kIban, "Our new account: IBAN {iban}"},
    {P::kIban, "Wire instructions: {iban}, reference {company}."},

    {P::kGuarantee, "Honestly this is a guaranteed return, {pct} a year with no downside."},
    {P::kGuarantee, "I can guarantee you'll double your money on this by next year."},
    {P::kGuarantee, "There's zero risk here, returns are guaranteed."},
    {P::kGuarantee, "Trust me, guaranteed returns on {instrument}, you can't lose."},

    {P::kOffChannel, "Text me on my personal phone instead: {phone}"},
    {P::kOffChannel, "Let's move this to Signal, easier to talk there."},
    {P::kOffChannel, "Call me on my private number tonight, not this one."},
    {P::kOffChannel, "Can you send that to my Gmail? Don't put it through the work system."},
    {P::kOffChannel, "Delete this chat once you've read it."},

    {P::kOffensive, "The settlements team are complete idiots."},
    {P::kOffensive, "What a bloody mess, honestly."},
    {P::kOffensive, "Stop being such a moron about the fees."},
    {P::kOffensive, "This damn platform is useless."},
    {P::kOffensive, "Tell that clown in ops to fix it."},

    {P::kInternal, "Anyone have the latest axes in {instrument}?"},
    {P::kInternal, "Heads up: client call with {company} at {time}."},
    {P::kInternal, "Risk says limits on {instrument} are reset as of {day}."},
    {P::kInternal, "Who's covering {company} while I'm out {day}?"},
    {P::kInternal, "Booked {amount} in {instrument} for {company}, please check the ticket."},
    {P::kInternal, "Morning all, desk meeting moved to {time}."},
    {P::kInternal, "Can someone double-check the {company} settlement instructions?"},
    {P::kInternal, "Compliance reminder: attestation due {day}."},
    {P::kInternal, "Nice work on the {company} trade yesterday."},
    {P::kInternal, "Coffee run in 5, shout if you want anything."},
    {P::kInternal, "The pricing screen is lagging again."},
    {P::kInternal, "FYI {instrument} is down {pct} since the open."},
    {P::kInternal, "{company} wants a call {day}, can you join?"},

    {P::kInternalReply, "On it."},
    {P::kInternalReply, "Thanks!"},
    {P::kInternalReply, "Done, looks fine."},
    {P::kInternalReply, "Will check after lunch."},
    {P::kInternalReply, "I can take that one."},
    {P::kInternalReply, "Same here, restarted twice."},
    {P::kInternalReply, "Flat white please."},
    {P::kInternalReply, "Can't {day}, sorry. Ask {first}?"},
};

std::span<const PhraseEntry> TableFor(Lang lang) {
  switch (lang) {
    case Lang::kEnglish:
      return EnglishPhrases();
    case Lang::kGerman:
      return GermanPhrases();
    case Lang::kFrench:
      return FrenchPhrases();
    case Lang::kSpanish:
      return SpanishPhrases();
    case Lang::kItalian:
      return ItalianPhrases();
    case Lang::kPortuguese:
      return PortuguesePhrases();
  }
  return EnglishPhrases();
}

}  // namespace

std::span<const PhraseEntry> EnglishPhrases() { return kEnglish; }

std::vector<std::string_view> Phrases(Lang lang, Phrase kind) {
  std::vector<std::string_view> out;
  for (const PhraseEntry& e : TableFor(lang)) {
    if (e.kind == kind) {
      out.push_back(e.text);
    }
  }
  if (out.empty() && lang != Lang::kEnglish) {
    return Phrases(Lang::kEnglish, kind);
  }
  return out;
}

std::string FillTemplate(std::string_view text, const std::map<std::string, std::string>& slots) {
  std::string out;
  std::size_t i = 0;
  while (i < text.size()) {
    const std::size_t open = text.find('{', i);
    const std::size_t close = open == std::string_view::npos ? open : text.find('}', open);
    if (close == std::string_view::npos) {
      out.append(text.substr(i));
      break;
    }
    out.append(text.substr(i, open - i));
    const auto it = slots.find(std::string(text.substr(open + 1, close - open - 1)));
    out.append(it != slots.end() ? it->second : std::string(text.substr(open, close - open + 1)));
    i = close + 1;
  }
  return out;
}

}  // namespace custos::capture::internal
