// SPDX-License-Identifier: Apache-2.0
// The cast of the demo data set: the employees of a fictional firm ("Northbridge Capital") in
// three desks, their external clients, and the conversations between them on WhatsApp, SMS,
// Telegram and Slack. Phone numbers come from ranges reserved for fiction (UK 07700 900xxx,
// US 202-555-01xx); e-mail domains end in .example.
// Thread-safety: pure functions.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "capture/internal/demo_rng.h"

namespace custos::capture::internal {

enum class Lang { kEnglish, kGerman, kFrench, kSpanish, kItalian, kPortuguese };

struct CastMember {
  std::string name;
  std::string desk;     // employees: sales, trading or advisory; clients: ""
  std::string company;  // clients: their firm ("" for private clients)
  bool employee = false;
  Lang lang = Lang::kEnglish;
  std::string phone;           // E.164
  std::string personal_phone;  // employees only: the number they should not use
  std::string email;
  std::string slack;     // Slack user id
  std::string telegram;  // Telegram user id

  std::string FirstName() const { return name.substr(0, name.find(' ')); }
};

struct DemoConversation {
  std::string channel;
  std::string key;                   // Message::conversation
  std::vector<std::size_t> members;  // indices into Cast::people, employees first
  Lang lang = Lang::kEnglish;
  int sessions = 0;  // bursts of messages over the period
  bool group = false;
  bool internal = false;  // only employees
};

struct Cast {
  std::vector<CastMember> people;
  std::vector<DemoConversation> conversations;
};

// The same cast for the same generator state.
Cast BuildCast(DemoRng& rng);

// The identity `person` uses on `channel` (phone, Slack id or Telegram id).
const std::string& HandleOn(const CastMember& person, std::string_view channel);

}  // namespace custos::capture::internal
