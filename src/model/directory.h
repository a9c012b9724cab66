// SPDX-License-Identifier: Apache-2.0
// People and their channel identities, and conversations as the archive sees them.
// Plain values; no I/O.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "core/time.h"

namespace custos::model {

// A channel handle: an E.164 phone number, an e-mail address, a Telegram or Slack id.
struct Identity {
  std::string kind;    // "phone", "email", "telegram", "slack", "imessage", "handle"
  std::string handle;  // normalised value
};

struct Person {
  std::int64_t id = 0;
  std::string display_name;
  std::string group;      // desk or team, e.g. "sales"; empty for outside parties
  bool employee = false;  // false: an external party (client, counterparty)
  std::vector<Identity> identities;
};

struct Conversation {
  std::int64_t id = 0;
  std::string channel;
  std::string source_key;  // the source's conversation key (Message::conversation)
  std::int64_t message_count = 0;
  core::Micros first_message_at = 0;
  core::Micros last_message_at = 0;
  std::vector<std::string> participants;
};

}  // namespace custos::model
