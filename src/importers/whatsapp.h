// SPDX-License-Identifier: Apache-2.0
// `custos import whatsapp PATH`: a WhatsApp "Export chat" text file, alone, in the media zip
// (iOS "_chat.txt", Android "WhatsApp Chat with X.txt") or in an unpacked folder
// (docs/formats/whatsapp.md).
//
// Two passes over the text: the first collects the date headers (to decide day/month order
// from the whole file) and the authors (to split "Name: text" when a name contains ':'); the
// second streams items. Memory: one message plus the set of author names.
#pragma once

#include "importers/registry.h"

namespace custos::importers {

const Format& WhatsAppFormat();

}  // namespace custos::importers
