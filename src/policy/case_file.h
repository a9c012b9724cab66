// SPDX-License-Identifier: Apache-2.0
// The *.case format of tests/policy_cases (after DuckDB's sqllogictest files):
//
//   # name: promissory/guarantees              (header lines: "# key: value")
//   # description: Promises of returns are blocked
//   # pack: policies/default                   (optional; relative to the project root)
//
//   message                                    (a block: fields, ----, expectations)
//   text: We guarantee 12% returns
//   direction: outbound
//   ----
//   rules: promissory.guarantees               (the exact set of rule ids; empty: none)
//   action: block                              (optional)
//   evidence: **** **** **** 1111              (optional; some evidence shows this text)
//
// Header keys: name (required), description, pack, category (the rule category, e.g.
// off-channel, whose near misses the file holds: see CaseReport).
//
// Message fields: text, channel, direction, sender, sender.group, counterparty.external
// (true/false), counterparty.domain (comma-separated), time (RFC 3339), time.work_hours,
// attachment (name|mime|size, repeatable), conversation.participants. Text escapes: \n, \t,
// \\, \uXXXX and \UXXXXXXXX. Lines starting with '#' outside the header are comments.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "policy/eval/facts.h"
#include "policy/pack.h"
#include "policy/types.h"

namespace custos::policy::cases {

struct CaseMessage {
  int line = 0;  // of the "message" line
  Facts facts;
  std::vector<std::string> rules;  // sorted
  std::optional<Action> action;
  std::optional<std::string> evidence;
};

struct CaseFile {
  std::string path;
  std::string name;
  std::string description;
  std::string pack = "policies/default";
  std::string category;  // optional: the category whose positives and near misses it holds
  std::vector<CaseMessage> messages;
};

// Parses `content`; on a malformed line returns false and sets `*error` ("line 12: ...").
bool ParseCaseFile(const std::string& path, const std::string& content, CaseFile* out,
                   std::string* error);

// Reads every *.case file below `dir` (or the one file `dir`), sorted by path; false with
// `*error` ("path:line: why") on the first unreadable or malformed file.
bool ReadCaseFiles(const std::string& dir, std::vector<CaseFile>* out, std::string* error);

// The category of a rule id: the part before its first '.' ("off-channel.request" ->
// "off-channel"); the whole id when it has no '.'.
std::string RuleCategory(std::string_view rule_id);

// Recall and false positives of one rule category over a set of messages with expectations.
//   positives        messages expected to hit some rule of the category
//   caught           positives that hit at least one of their expected rules of the category
//   negatives        messages expected to hit no rule of the category (every other message)
//   false_positives  negatives that hit a rule of the category
//   near_misses      the negatives of case files whose '# category:' is this category: benign
//                    messages written to resemble its violations (the hard negatives)
//   near_miss_false_positives  near misses that hit a rule of the category
struct CategoryStats {
  std::string category;
  int positives = 0;
  int caught = 0;
  int negatives = 0;
  int false_positives = 0;
  int near_misses = 0;
  int near_miss_false_positives = 0;

  double recall() const { return positives == 0 ? 1.0 : double(caught) / positives; }

  double fp_rate() const { return negatives == 0 ? 0.0 : double(false_positives) / negatives; }
};

// A message whose verdict differs from its expectation.
struct CaseMismatch {
  std::string file;
  int line = 0;
  std::vector<std::string> expected;
  std::vector<std::string> got;
};

// Tallies verdicts against expectations, per category of the pack's rules (and of every
// expected rule id, so a category the pack lacks shows recall 0).
class CaseTally {
 public:
  explicit CaseTally(const std::vector<std::string>& pack_rule_ids);

  // One evaluated message: `expected` and `got` rule ids; `file_category` from the file header.
  void Add(const std::vector<std::string>& expected, const std::vector<std::string>& got,
           const std::string& file_category);

  // Sorted by category name.
  std::vector<CategoryStats> Categories() const;

  int messages() const { return messages_; }

 private:
  CategoryStats& Slot(const std::string& category);

  std::vector<CategoryStats> stats_;
  int messages_ = 0;
};

// Evaluates every message of `files` with `pack` (whatever pack the files name) and tallies it.
struct CaseReport {
  int files = 0;
  int messages = 0;
  int matched = 0;  // the verdict's rule ids equal the expectation exactly
  std::vector<CaseMismatch> mismatches;
  std::vector<CategoryStats> categories;

  // A table: category, positives, caught, recall, negatives, false positives, FP rate, near
  // misses, near-miss false positives; then "N messages, M as expected".
  std::string ToText() const;

  // {"files", "messages", "matched", "mismatches": [{"file", "line", "expected", "got"}],
  //  "categories": [CategoriesJson element]}
  std::string ToJson() const;
};

CaseReport RunCases(const Pack& pack, const std::vector<CaseFile>& files);

// The same tally over the pack's inline tests (a test's file category: its rule's category).
std::vector<CategoryStats> TallyInlineTests(const Pack& pack);

// [{"category", "positives", "caught", "recall", "negatives", "false_positives", "fp_rate",
//   "near_misses", "near_miss_false_positives"}] as JSON text; recall and rates are rounded to
// four decimals.
std::string CategoriesJson(const std::vector<CategoryStats>& categories);

// The same as a fixed-width text table.
std::string CategoriesText(const std::vector<CategoryStats>& categories);

}  // namespace custos::policy::cases
