// SPDX-License-Identifier: Apache-2.0
// Shared ids for the Telegram chats whose message ids are per account. Telegram numbers the
// messages of personal chats and basic groups ("private_group") separately in every member's
// account, so the two participants' exports give one message two different ids (supergroups and
// channels share one numbering and keep the exported id). For those chats the importer derives
// the id from what every member's export agrees on: the conversation, the sender's user id, the
// server time in seconds, and the message's rank among that sender's messages of that second.
// Edits, and replies to one of the chat's last kMaxRemembered messages, follow the new ids.
//
// A personal chat is keyed by both user ids ("telegram:dm:user1 user2", sorted), so A's export
// (chat id = B) and B's export (chat id = A) land in one conversation. The exporter's own id
// comes from personal_information.user_id (whole-account export), a --self "user123", or the
// first message of a personal chat sent by someone other than the peer; until it is known the
// chat's items are held back (at most kMaxHeld, then they go out keyed by the peer alone).
// Internal to the telegram importer. Thread-safety: one per import.
#pragma once

#include <cstddef>
#include <cstdint>
#include <deque>
#include <map>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

#include "importers/source.h"
#include "importers/telegram_message.h"

namespace custos::importers::telegram {

class AccountIds {
 public:
  static constexpr std::size_t kMaxHeld = 10'000;
  static constexpr std::size_t kMaxRemembered = 200'000;

  // The exporter's user id ("user123"), when known from the options.
  explicit AccountIds(const ImportOptions& options);

  // personal_information.user_id of a whole-account export.
  void SetSelf(const std::string& user_id);

  // A chat's messages begin.
  void BeginChat(const Chat& chat);

  // The items MapMessage made of one of the chat's messages: the message first, then its edit.
  // Appends what can go out to `ready`.
  void Add(std::vector<Item> items, std::deque<Item>* ready);

  // The chat's messages ended: what was held back goes out.
  void EndChat(std::deque<Item>* ready);

 private:
  void KeyByBothUsers();
  void Rekey(std::vector<Item>& items);
  void Remember(const std::string& exported_id, const std::string& suffix);
  void Release(std::deque<Item>* ready);
  void Finish(Item& item) const;

  std::string self_;  // "user123", "" while unknown
  Chat chat_;
  bool per_account_ = false;
  bool personal_ = false;
  bool waiting_ = false;      // a personal chat waiting for self_: its items are held
  std::string conversation_;  // per-account chats: the conversation key
  std::string prefix_;        // of their source ids, with the trailing ':'
  std::vector<Item> held_;
  // (second, sender) -> messages seen; pruned a day behind.
  std::map<std::pair<std::int64_t, std::string>, int> ranks_;
  // exported id -> shared id suffix, for replies; oldest dropped beyond kMaxRemembered.
  std::unordered_map<std::string, std::string> by_id_;
  std::deque<std::string> order_;
};

}  // namespace custos::importers::telegram
