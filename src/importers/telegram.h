// SPDX-License-Identifier: Apache-2.0
// `custos import telegram PATH`: a Telegram Desktop export (`result.json`), single chat or
// whole account (`chats.list[]`, `left_chats.list[]`), alone or in its export folder or zip
// (docs/formats/telegram.md). Streaming: the outer structure is walked with JsonScanner and each
// message is parsed on its own, so memory holds one message, however large the export.
#pragma once

#include "importers/registry.h"

namespace custos::importers {

const Format& TelegramFormat();

}  // namespace custos::importers
