// SPDX-License-Identifier: Apache-2.0
#include "importers/telegram_account_ids.h"

#include <algorithm>

#include "core/time.h"

namespace custos::importers::telegram {
namespace {

// Marks an id whose conversation prefix is filled in when the item goes out (never in an id).
constexpr char kMark = '\x01';
constexpr std::int64_t kDaySeconds = 86'400;

bool IsUserId(const std::string& s) {
  return s.size() > 4 && s.starts_with("user") &&
         std::all_of(s.begin() + 4, s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

std::int64_t Second(core::Micros t) {
  return t >= 0 ? t / core::kMicrosPerSecond
                : -((-t + core::kMicrosPerSecond - 1) / core::kMicrosPerSecond);
}

}  // namespace

AccountIds::AccountIds(const ImportOptions& options) {
  for (const std::string& s : options.self_identities) {
    if (IsUserId(s)) {
      self_ = s;
    }
  }
}

void AccountIds::SetSelf(const std::string& user_id) {
  if (IsUserId(user_id)) {
    self_ = user_id;
  }
}

void AccountIds::BeginChat(const Chat& chat) {
  chat_ = chat;
  personal_ = chat.type == "personal_chat" && !chat.id.empty();
  per_account_ = personal_ || (chat.type == "private_group" && !chat.id.empty());
  conversation_ = "telegram:" + chat.id;
  prefix_ = chat.id + ":";
  waiting_ = personal_;
  if (personal_ && !self_.empty()) {
    KeyByBothUsers();
  }
  held_.clear();
  ranks_.clear();
  by_id_.clear();
  order_.clear();
}

void AccountIds::KeyByBothUsers() {
  const std::string peer = "user" + chat_.id;  // a named value: minmax returns references
  const auto [a, b] = std::minmax(self_, peer);
  conversation_ = "telegram:dm:" + a + " " + b;
  prefix_ = "dm:" + a + " " + b + ":";
  waiting_ = false;
}

void AccountIds::Remember(const std::string& exported_id, const std::string& suffix) {
  if (by_id_.emplace(exported_id, suffix).second) {
    order_.push_back(exported_id);
    if (order_.size() > kMaxRemembered) {
      by_id_.erase(order_.front());
      order_.pop_front();
    }
  }
}

void AccountIds::Rekey(std::vector<Item>& items) {
  const std::string exported_prefix = chat_.id + ":";
  std::string suffix;
  std::int64_t latest = 0;
  for (Item& item : items) {
    if (item.kind != Item::Kind::kMessage) {
      continue;
    }
    model::Message& m = item.message;
    const std::int64_t second = Second(m.sent_at);
    if (m.kind == model::EventKind::kEdit && !suffix.empty()) {
      m.target_source_id = kMark + suffix;
      m.source_id = kMark + suffix + ":edit:" + std::to_string(second);
      continue;
    }
    int& rank = ranks_[{second, m.from}];
    suffix = m.from + ":" + std::to_string(second) + (rank > 0 ? ":" + std::to_string(rank) : "");
    ++rank;
    latest = std::max(latest, second);
    if (m.source_id.starts_with(exported_prefix)) {
      Remember(m.source_id.substr(exported_prefix.size()), suffix);
    }
    m.source_id = kMark + suffix;
    if (m.reply_to.starts_with(exported_prefix)) {
      if (auto it = by_id_.find(m.reply_to.substr(exported_prefix.size())); it != by_id_.end()) {
        m.reply_to = kMark + it->second;
      }
    }
    if (personal_ && self_.empty() && IsUserId(m.from) && m.from != "user" + chat_.id) {
      self_ = m.from;  // in a personal chat, whoever is not the peer exported it
    }
  }
  const auto horizon = ranks_.lower_bound({latest - kDaySeconds, std::string()});
  ranks_.erase(ranks_.begin(), horizon);
}

void AccountIds::Add(std::vector<Item> items, std::deque<Item>* ready) {
  if (per_account_) {
    Rekey(items);
  }
  if (waiting_ && !self_.empty()) {
    KeyByBothUsers();
    Release(ready);
  }
  if (waiting_) {
    for (Item& item : items) {
      held_.push_back(std::move(item));
    }
    if (held_.size() >= kMaxHeld) {
      Release(ready);
    }
    return;
  }
  for (Item& item : items) {
    Finish(item);
    ready->push_back(std::move(item));
  }
}

void AccountIds::EndChat(std::deque<Item>* ready) { Release(ready); }

void AccountIds::Release(std::deque<Item>* ready) {
  waiting_ = false;  // if still unknown, the exporter never wrote here: keyed by the peer alone
  for (Item& item : held_) {
    Finish(item);
    ready->push_back(std::move(item));
  }
  held_.clear();
}

void AccountIds::Finish(Item& item) const {
  if (item.kind != Item::Kind::kMessage) {
    return;
  }
  model::Message& m = item.message;
  if (per_account_) {
    m.conversation = conversation_;
    for (std::string* id : {&m.source_id, &m.target_source_id, &m.reply_to}) {
      if (!id->empty() && id->front() == kMark) {
        *id = prefix_ + id->substr(1);
      }
    }
  }
  if (!self_.empty() && m.from == self_ && m.direction == model::Direction::kInbound) {
    m.direction = model::Direction::kOutbound;
  }
}

}  // namespace custos::importers::telegram
