// SPDX-License-Identifier: Apache-2.0
// `custos directory import people.csv|people.json`: the file of employees.
//
// CSV: a header row naming the columns (any order; case-insensitive): name (required), emails,
// phones, handles, group (or desk), manager. Several values in one cell are separated by ';'.
// RFC 4180 quoting ("a, b", "say ""hi""").
// JSON: an array of objects with the same members; emails/phones/handles may be a string or an
// array of strings.
//
// Phone numbers are normalised to E.164 (identity.h) with the default region; e-mails to lower
// case. Every error names the file, the line (CSV) or the entry (JSON, "entry 3") and the
// field, and nothing is imported from a file with an error.
// Thread-safety: pure functions.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "core/status.h"

namespace custos::directory {

// One employee as given in the file.
struct PersonEntry {
  std::string name;
  std::vector<std::string> emails;   // lower case
  std::vector<std::string> phones;   // E.164
  std::vector<std::string> handles;  // other handles and aliases (Slack, Telegram, nicknames)
  std::string group;                 // desk or team
  std::string manager;               // the manager's e-mail or name, as given
  std::string where;                 // "people.csv:4" or "people.json: entry 3"
  bool employee = true;              // false: an external person (a client), not from the file
};

// Parses `text` (the content of `file_name`, whose extension .csv or .json picks the syntax).
// kInvalidArgument "<file>:<line>: field \"phones\": ..." on the first bad entry.
core::Result<std::vector<PersonEntry>> ParsePeople(std::string_view file_name,
                                                   std::string_view text,
                                                   std::string_view default_region);

// Reads and parses the file at `path`.
core::Result<std::vector<PersonEntry>> ReadPeopleFile(const std::string& path,
                                                      std::string_view default_region);

}  // namespace custos::directory
