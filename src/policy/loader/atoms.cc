// SPDX-License-Identifier: Apache-2.0
#include "policy/loader/atoms.h"

#include "core/text.h"
#include "policy/detectors/registry.h"
#include "policy/eval/unicode.h"

namespace custos::policy::loader {
namespace {

std::string Quote(const std::string& s) { return "\"" + s + "\""; }

void BuildLiterals(eval::CompiledPack& pack, int view, std::vector<std::string>& literals) {
  std::map<std::string, std::uint32_t> ids;
  auto& targets = pack.literal_targets[view];
  auto add = [&](const std::string& form, eval::LiteralTarget target) {
    if (form.empty()) {
      return;
    }
    auto [it, inserted] = ids.emplace(form, static_cast<std::uint32_t>(literals.size()));
    if (inserted) {
      literals.push_back(form);
      targets.emplace_back();
    }
    targets[it->second].push_back(target);
  };
  for (std::uint32_t t = 0; t < pack.terms.size(); ++t) {
    add(pack.terms[t].forms[view], eval::LiteralTarget{false, t});
  }
  if (view == 0) {
    for (std::uint32_t c = 0; c < pack.contains.size(); ++c) {
      add(pack.contains[c], eval::LiteralTarget{true, c});
    }
  }
}

eval::ValidatorKind ValidatorOf(const DetectorDef& d, const policy::Detector** builtin) {
  if (!d.validator || d.validator->name == "none") {
    return eval::ValidatorKind::kNone;
  }
  if (d.validator->name == "luhn") {
    return eval::ValidatorKind::kLuhn;
  }
  if (d.validator->name == "mod97") {
    return eval::ValidatorKind::kMod97;
  }
  *builtin = FindBuiltinDetector(d.validator->name);
  return eval::ValidatorKind::kBuiltin;
}

}  // namespace

std::uint32_t AtomTable::AddTerm(const std::string& raw, bool leet) {
  std::string_view core = raw;
  eval::Term term;
  while (!core.empty() && core.front() == '*') {
    term.prefix_wild = true;
    core.remove_prefix(1);
  }
  while (!core.empty() && core.back() == '*') {
    term.suffix_wild = true;
    core.remove_suffix(1);
  }
  term.forms[0] = eval::NormalizeTerm(core);
  term.forms[1] = eval::FoldTerm(term.forms[0]);
  if (leet) {
    term.forms[2] = eval::LeetTerm(term.forms[1]);
  }
  const std::string& form = term.forms[0];
  if (!form.empty()) {
    std::size_t len = 0;
    term.unspaced_start = eval::IsUnspacedScript(eval::DecodeAt(form, 0, &len));
    term.unspaced_end =
        eval::IsUnspacedScript(eval::DecodeAt(form, eval::PreviousStart(form, form.size()), &len));
  }
  const std::string key = std::string(term.prefix_wild ? "*" : "") + form +
                          (term.suffix_wild ? "*" : "") + (leet ? "\x01L" : "");
  auto [it, inserted] = term_ids_.emplace(key, static_cast<std::uint32_t>(pack_.terms.size()));
  if (inserted) {
    pack_.any_leet = pack_.any_leet || leet;
    pack_.terms.push_back(std::move(term));
    pack_.term_to_sets.emplace_back();
  }
  return it->second;
}

std::int32_t AtomTable::TermSet(const lang::Term& term) {
  const std::string label = term.is_list ? "list:" + term.value : Quote(term.value);
  auto found = set_ids_.find(label);
  if (found != set_ids_.end()) {
    return found->second;
  }
  const auto id = static_cast<std::int32_t>(pack_.term_sets.size());
  eval::TermSet set;
  set.label = label;
  if (term.is_list) {
    auto it = resolved_.list_terms.find(term.value);
    if (it != resolved_.list_terms.end()) {
      for (const FlatTerm& t : it->second) {
        set.terms.push_back(AddTerm(t.term->text, t.leet));
      }
    }
  } else {
    set.terms.push_back(AddTerm(term.value, false));
  }
  for (std::uint32_t t : set.terms) {
    auto& sets = pack_.term_to_sets[t];
    if (sets.empty() || sets.back() != static_cast<std::uint32_t>(id)) {
      sets.push_back(static_cast<std::uint32_t>(id));
    }
  }
  pack_.term_sets.push_back(std::move(set));
  set_ids_.emplace(label, id);
  return id;
}

std::int32_t AtomTable::Contains(const std::string& pattern) {
  const std::string form = eval::NormalizeTerm(pattern);
  auto [it, inserted] =
      contains_ids_.emplace(form, static_cast<std::int32_t>(pack_.contains.size()));
  if (inserted) {
    pack_.contains.push_back(form);
  }
  return it->second;
}

std::int32_t AtomTable::Regex(const std::string& pattern) {
  auto [it, inserted] =
      regex_ids_.emplace(pattern, static_cast<std::int32_t>(pack_.regexes.size()));
  if (inserted) {
    pack_.regexes.push_back(pattern);
    auto check = resolved_.regexes.find(pattern);
    pack_.regex_spans.push_back(check != resolved_.regexes.end() && check->second.start_offsets);
  }
  return it->second;
}

std::int32_t AtomTable::Detector(const std::string& name) {
  auto [it, inserted] =
      detector_ids_.emplace(name, static_cast<std::int32_t>(pack_.detectors.size()));
  if (inserted) {
    pack_.detectors.push_back(FindBuiltinDetector(name));  // custom ones are set in Finish
    pack_.detector_masks.push_back(true);
  }
  return it->second;
}

std::int32_t AtomTable::StringSet(const std::string& list) {
  auto [it, inserted] =
      string_set_ids_.emplace(list, static_cast<std::int32_t>(pack_.string_sets.size()));
  if (inserted) {
    std::vector<std::string> values;
    auto terms = resolved_.list_terms.find(list);
    if (terms != resolved_.list_terms.end()) {
      for (const FlatTerm& t : terms->second) {
        values.push_back(core::ToLowerAscii(t.term->text));
      }
    }
    pack_.string_sets.push_back(std::move(values));
  }
  return it->second;
}

void AtomTable::Finish(bool vectorscan, Diagnostics& diags) {
  for (const auto& [name, index] : detector_ids_) {
    auto def = resolved_.detectors.find(name);
    if (def == resolved_.detectors.end()) {
      continue;  // a built-in
    }
    const DetectorDef& d = *def->second;
    eval::CustomDetectorSpec spec;
    spec.name = d.name;
    spec.keywords = d.keywords;
    spec.window = d.window;
    spec.confidence = d.confidence;
    spec.mask = d.mask;
    spec.validator = ValidatorOf(d, &spec.validator_builtin);
    if (d.based_on) {
      spec.based_on = FindBuiltinDetector(d.based_on->name);
    } else if (d.pattern) {
      auto set = eval::MakeRegexSet({eval::RegexSpec{d.pattern->scalar, true}}, *pack_.scratch);
      if (!set) {
        diags.Add(DiagCode::kBadPattern, d.pattern->pos, "detector pattern", d.name,
                  set.error().message());
        continue;
      }
      spec.pattern = std::move(set).value();
    }
    auto detector = std::make_unique<eval::CustomDetector>(std::move(spec));
    pack_.detectors[static_cast<std::size_t>(index)] = detector.get();
    pack_.detector_masks[static_cast<std::size_t>(index)] = d.mask;
    pack_.custom_detectors.push_back(std::move(detector));
  }
  for (int view = 0; view < eval::kViewCount; ++view) {
    std::vector<std::string> literals;
    BuildLiterals(pack_, view, literals);
    if (literals.empty()) {
      continue;
    }
    if (!vectorscan) {
      pack_.literal_matchers[view] = eval::MakeNaiveLiteralMatcher(std::move(literals));
      continue;
    }
    auto matcher = eval::MakeVectorscanLiteralMatcher(literals, *pack_.scratch);
    if (!matcher) {
      diags.Add(DiagCode::kBadPattern, SourcePos{}, "pack", pack_.name, matcher.error().message());
      continue;
    }
    pack_.literal_matchers[view] = std::move(matcher).value();
  }
  if (!pack_.regexes.empty()) {
    std::vector<eval::RegexSpec> specs;
    for (std::size_t i = 0; i < pack_.regexes.size(); ++i) {
      specs.push_back(eval::RegexSpec{pack_.regexes[i], pack_.regex_spans[i]});
    }
    auto set = eval::MakeRegexSet(specs, *pack_.scratch);
    if (!set) {
      diags.Add(DiagCode::kBadPattern, SourcePos{}, "pack", pack_.name, set.error().message());
    } else {
      pack_.regex_set = std::move(set).value();
    }
  }
}

}  // namespace custos::policy::loader
