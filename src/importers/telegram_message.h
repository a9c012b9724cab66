// SPDX-License-Identifier: Apache-2.0
// One Telegram Desktop message object (already parsed) to items: the message or service event,
// plus an edit event when it was edited. Internal to the telegram importer.
#pragma once

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "importers/bundle.h"
#include "importers/source.h"

namespace custos::importers::telegram {

struct Chat {
  std::string id;  // "" until seen
  std::string name;
  std::string type;  // personal_chat, private_group, saved_messages, ...
};

// Appends the items for `m` to `out`. Never fails: a message that cannot be mapped becomes a
// skipped item naming why.
void MapMessage(const nlohmann::json& m, const Chat& chat, const Position& where,
                const ImportOptions& options, const Bundle& bundle, std::vector<Item>* out);

}  // namespace custos::importers::telegram
