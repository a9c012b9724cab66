// SPDX-License-Identifier: Apache-2.0
// The import formats custos knows, registered explicitly in one list (registry.cc), and format
// detection for `custos import auto PATH`.
//
// Adding a format: write `const Format& XxxFormat();` in its own files (e.g. sms_backup.h/.cc)
// returning a static Format, and add it to the list in registry.cc.
//
// Thread-safety: the registry is immutable; Sniff/Open are safe to call from any thread on
// distinct bundles.
#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "core/status.h"
#include "importers/bundle.h"
#include "importers/source.h"

namespace custos::importers {

struct Format {
  std::string_view name;         // the CLI word: "whatsapp", "telegram", "sms-backup", ...
  std::string_view description;  // one line for --help
  std::string_view version;      // parser version, recorded with each import run ("1")
  // How sure the format is that `bundle` holds its data: 0 = not this format, 100 = certain.
  // Must only peek (Bundle::Peek / entry names), never parse the whole input.
  int (*sniff)(const Bundle& bundle) = nullptr;
  // Opens a stream of items. The Source may keep a pointer to `bundle`, which outlives it.
  // Errors (no chat file in the zip, unreadable header) name the file.
  core::Result<std::unique_ptr<Source>> (*open)(const Bundle& bundle,
                                                const ImportOptions& options) = nullptr;
};

// Every registered format, in registration order.
const std::vector<const Format*>& Formats();

// The format called `name`, or nullptr.
const Format* FindFormat(std::string_view name);

// The format with the highest sniff score (> 0). kInvalidArgument naming the path and the
// known formats when none recognises it.
core::Result<const Format*> DetectFormat(const Bundle& bundle);

// "whatsapp, telegram, ..." for help texts and error messages.
std::string FormatNames();

}  // namespace custos::importers
