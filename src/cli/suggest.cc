// SPDX-License-Identifier: Apache-2.0
#include "cli/suggest.h"

#include <algorithm>

namespace custos::cli {
namespace {

constexpr std::size_t kMaxShownWordBytes = 40;

std::vector<std::string> SubcommandNames(const CLI::App& app) {
  std::vector<std::string> names;
  for (const CLI::App* sub : app.get_subcommands([](const CLI::App* a) {
         return !a->get_name().empty() && !a->get_group().empty();  // not hidden
       })) {
    names.push_back(sub->get_name());
  }
  return names;
}

const CLI::App* FindSubcommand(const CLI::App& app, std::string_view word) {
  const auto found = app.get_subcommands([word](const CLI::App* a) {
    if (a->get_name() == word) {
      return true;
    }
    const auto& aliases = a->get_aliases();
    return std::find(aliases.begin(), aliases.end(), word) != aliases.end();
  });
  return found.empty() ? nullptr : found.front();
}

bool HasPositionals(const CLI::App& app) {
  return !app.get_options([](const CLI::Option* o) { return o->get_positional(); }).empty();
}

std::string Shown(std::string_view word) {
  std::string out;
  for (const char c : word.substr(0, kMaxShownWordBytes)) {
    out += static_cast<unsigned char>(c) < 0x20 ? '?' : c;
  }
  return word.size() > kMaxShownWordBytes ? out + "..." : out;
}

}  // namespace

std::size_t EditDistance(std::string_view a, std::string_view b) {
  // Optimal string alignment distance, three rows.
  std::vector<std::size_t> two_back(b.size() + 1), prev(b.size() + 1), cur(b.size() + 1);
  for (std::size_t j = 0; j <= b.size(); ++j) {
    prev[j] = j;
  }
  for (std::size_t i = 1; i <= a.size(); ++i) {
    cur[0] = i;
    for (std::size_t j = 1; j <= b.size(); ++j) {
      const std::size_t cost = a[i - 1] == b[j - 1] ? 0 : 1;
      cur[j] = std::min({prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + cost});
      if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1]) {
        cur[j] = std::min(cur[j], two_back[j - 2] + 1);
      }
    }
    two_back.swap(prev);
    prev.swap(cur);
  }
  return prev[b.size()];
}

std::optional<std::string> Nearest(std::string_view word, const std::vector<std::string>& names) {
  std::optional<std::string> best;
  std::size_t best_distance = 0;
  for (const std::string& name : names) {
    const std::size_t d = EditDistance(word, name);
    if (!best || d < best_distance) {
      best = name;
      best_distance = d;
    }
  }
  if (!best) {
    return std::nullopt;
  }
  const std::size_t allowed = std::max<std::size_t>(2, word.size() / 3);
  if (best_distance <= allowed) {
    return best;
  }
  if (word.size() >= 3) {
    for (const std::string& name : names) {
      if (name.starts_with(word)) {
        return name;
      }
    }
  }
  return std::nullopt;
}

std::optional<std::string> UnknownCommandMessage(const CLI::App& root, int argc,
                                                 const char* const* argv) {
  const CLI::App* cur = &root;
  std::string path = root.get_name().empty() ? "custos" : root.get_name();
  for (int i = 1; i < argc; ++i) {
    const std::string_view word = argv[i];
    if (word == "--") {
      return std::nullopt;
    }
    if (word.size() > 1 && word.front() == '-') {
      const std::size_t eq = word.find('=');
      const CLI::Option* opt = cur->get_option_no_throw(std::string(word.substr(0, eq)));
      if (opt != nullptr && eq == std::string_view::npos && opt->get_expected_min() > 0) {
        ++i;  // its value
      }
      continue;
    }
    if (const CLI::App* sub = FindSubcommand(*cur, word); sub != nullptr) {
      cur = sub;
      path += " " + sub->get_name();
      continue;
    }
    const std::vector<std::string> names = SubcommandNames(*cur);
    if (names.empty() || HasPositionals(*cur)) {
      return std::nullopt;  // an argument of the command, not a command
    }
    std::string message = path + ": unknown command '" + Shown(word) + "'";
    if (const auto nearest = Nearest(word, names)) {
      message += "; did you mean '" + *nearest + "'?";
    } else {
      message += "; the commands are:";
      for (std::size_t k = 0; k < names.size(); ++k) {
        message += (k == 0 ? " " : ", ") + names[k];
      }
    }
    return message + "\nRun '" + path + " --help' for more information.";
  }
  return std::nullopt;
}

}  // namespace custos::cli
