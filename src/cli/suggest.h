// SPDX-License-Identifier: Apache-2.0
// "Did you mean" for mistyped subcommands: `custos serch foo` names the word it did not know
// and the nearest command, at every level (`custos log chekpoint` -> `checkpoint`), instead of
// CLI11's "A subcommand is required". Internal to the cli module.
// Thread-safety: pure functions.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <CLI/CLI.hpp>

namespace custos::cli {

// The edit distance between `a` and `b` (insertions, deletions, substitutions and swaps of
// two adjacent characters each count 1).
std::size_t EditDistance(std::string_view a, std::string_view b);

// The candidate nearest to `word` when it is near enough to be a typo (at most 2 edits, or a
// third of the word's length when that is more, or a prefix of at least 3 characters); nullopt
// otherwise.
std::optional<std::string> Nearest(std::string_view word, const std::vector<std::string>& names);

// Follows argv[1..] through the subcommands of `root` and, when a word stands where only a
// subcommand may (a command with subcommands and no positional arguments) and is none of them,
// returns the message for it: "unknown command 'serch'; did you mean 'search'?" prefixed with
// the command path ("custos log: ..."). nullopt when every word was known.
std::optional<std::string> UnknownCommandMessage(const CLI::App& root, int argc,
                                                 const char* const* argv);

}  // namespace custos::cli
