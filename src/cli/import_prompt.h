// SPDX-License-Identifier: Apache-2.0
// The questions `custos import FORMAT` asks on a terminal (docs/directory.md): who exported the
// file, when --custodian is missing; and, for exports that name people rather than give
// handles (WhatsApp), who each sender name is that neither the directory nor --participant
// resolves. Questions go to `out` (stderr), answers come from `in` (stdin) one line each; Enter
// (or the end of input) keeps the default: no custodian, the name kept as an external party.
// Asked only when stdin and stderr are terminals and neither --json nor --no-input is given.
// Thread-safety: one caller at a time (it reads and writes the given streams).
#pragma once

#include <cstdio>
#include <string>
#include <vector>

#include "directory/resolver.h"
#include "importers/source.h"

namespace custos::cli {

// True when the import may ask: stdin and stderr are terminals, and not `json` or `no_input`.
bool ShouldPrompt(bool json, bool no_input);

// Asks who exported the file; "" for none. Phone numbers are checked in `region`.
std::string AskCustodian(const std::string& region, std::FILE* in, std::FILE* out);

struct ParticipantAnswers {
  int asked = 0;
  // Names answered with the custodian's identity: the custodian's own name in the export.
  std::vector<std::string> custodian_names;
};

// Asks for each name of `names` that is not the custodian (options.IsSelf) and that `resolver`
// does not resolve (no directory person, no alias, not a phone or e-mail); every answer becomes
// an alias of `resolver`. A phone-like answer that is not a valid number is asked again.
ParticipantAnswers AskParticipants(const std::vector<std::string>& names,
                                   const importers::ImportOptions& options,
                                   const std::string& custodian_identity,
                                   directory::Resolver& resolver, std::FILE* in, std::FILE* out);

}  // namespace custos::cli
