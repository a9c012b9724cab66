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
// Message fields: text, channel, direction, sender, sender.group, counterparty.external
// (true/false), counterparty.domain (comma-separated), time (RFC 3339), time.work_hours,
// attachment (name|mime|size, repeatable), conversation.participants. Text escapes: \n, \t,
// \\, \uXXXX and \UXXXXXXXX. Lines starting with '#' outside the header are comments.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "policy/eval/facts.h"
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
  std::vector<CaseMessage> messages;
};

// Parses `content`; on a malformed line returns false and sets `*error` ("line 12: ...").
bool ParseCaseFile(const std::string& path, const std::string& content, CaseFile* out,
                   std::string* error);

}  // namespace custos::policy::cases
