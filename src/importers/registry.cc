// SPDX-License-Identifier: Apache-2.0
// The list of import formats: explicit registration, one line per format.
#include "importers/registry.h"

#include "importers/imessage.h"
#include "importers/slack.h"
#include "importers/sms_backup.h"
#include "importers/telegram.h"
#include "importers/whatsapp.h"

namespace custos::importers {

const std::vector<const Format*>& Formats() {
  static const std::vector<const Format*> kFormats = {
      &WhatsAppFormat(), &TelegramFormat(), &SmsBackupFormat(), &SlackFormat(), &IMessageFormat(),
  };
  return kFormats;
}

const Format* FindFormat(std::string_view name) {
  for (const Format* f : Formats()) {
    if (f->name == name) {
      return f;
    }
  }
  return nullptr;
}

std::string FormatNames() {
  std::string out;
  for (const Format* f : Formats()) {
    if (!out.empty()) {
      out += ", ";
    }
    out += f->name;
  }
  return out;
}

core::Result<const Format*> DetectFormat(const Bundle& bundle) {
  const Format* best = nullptr;
  int best_score = 0;
  for (const Format* f : Formats()) {
    const int score = f->sniff(bundle);
    if (score > best_score) {
      best = f;
      best_score = score;
    }
  }
  if (best == nullptr) {
    return core::InvalidArgument(
        bundle.path() + ": not a recognised export (known formats: " + FormatNames() + ")");
  }
  return best;
}

}  // namespace custos::importers
