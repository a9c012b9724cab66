// SPDX-License-Identifier: Apache-2.0
// The second stage of loading a pack (falco's rule_loader_collector): turns raw items into
// typed definitions (definitions.h). It checks every item's keys and value types, names and
// duplicates, reads lexicon files, parses every condition (syntax errors are mapped from the
// offset in the condition to the file line and column), and converts inline tests once the
// pack's test defaults are known. Every problem goes to `diags`; collection never stops early.
// Items with errors are left out of the collection (or kept without their broken part) so
// that later stages can still report what else is wrong.
// Thread-safety: pure functions.
#pragma once

#include <string_view>

#include "policy/diagnostics.h"
#include "policy/loader/definitions.h"
#include "policy/loader/item_fields.h"
#include "policy/loader/reader.h"

namespace custos::policy::loader {

Collection Collect(const ReadResult& read, Diagnostics& diags);

// Shared between the collector's files.

// Parses the condition scalar `node`; a syntax error is reported at its file position.
ConditionDef ParseCondition(const RawNode& node, const std::string& kind, const std::string& name,
                            Diagnostics& diags);

// True for `[A-Za-z_][A-Za-z0-9_]*`.
bool IsIdentifier(std::string_view name);

// Reads a detector item and appends it to `out` unless it is unusable.
void CollectDetector(const RawItem& item, Diagnostics& diags, std::vector<DetectorDef>& out);

// Reads a rule item into `out`; false when the item is unusable (no valid id).
bool CollectRule(const RawItem& item, Diagnostics& diags, RuleDef& out);

// Applies the message keys of a test (or of the pack's test_defaults) to `facts`.
void ApplyMessageFields(ItemFields& fields, Facts& facts);

// Converts the raw tests of `rule` into test cases.
void CollectTests(const RuleDef& rule, const Facts& defaults, Diagnostics& diags,
                  std::vector<TestCase>& out);

}  // namespace custos::policy::loader
