// SPDX-License-Identifier: Apache-2.0
// The deciding half of an evaluation: scope, rule programs over the message's matches and
// facts, evidence, and the verdict.
#include <algorithm>

#include "core/text.h"
#include "policy/eval/compiled.h"
#include "policy/eval/field_eval.h"
#include "policy/eval/scan.h"

namespace custos::policy::eval {
namespace {

using lang::ExprKind;

constexpr std::size_t kMaxEvidenceText = 200;

class RuleEvaluator {
 public:
  RuleEvaluator(const CompiledPack& pack, const Facts& facts, Normalized& normalized,
                const MessageMatches& matches)
      : pack_(pack), facts_(facts), normalized_(normalized), matches_(matches) {}

  bool Eval(const Program& program, std::uint32_t index, std::vector<Evidence>* evidence) {
    const Node& node = program.nodes[index];
    switch (node.kind) {
      case ExprKind::kAnd: {
        const std::size_t mark = evidence != nullptr ? evidence->size() : 0;
        for (std::uint32_t child : node.children) {
          if (!Eval(program, child, evidence)) {
            Drop(evidence, mark);
            return false;
          }
        }
        return true;
      }
      case ExprKind::kOr:
        for (std::uint32_t child : node.children) {
          const std::size_t mark = evidence != nullptr ? evidence->size() : 0;
          if (Eval(program, child, evidence)) {
            return true;
          }
          Drop(evidence, mark);
        }
        return false;
      case ExprKind::kNot:
        return !Eval(program, node.children.at(0), nullptr);
      case ExprKind::kBool:
        return node.boolean;
      case ExprKind::kContains:
        return Occurrences(matches_.contains[Index(node.index)], Label(node), evidence);
      case ExprKind::kMatches:
        return Occurrences(matches_.sets[Index(node.index)], Label(node), evidence);
      case ExprKind::kRegex:
        return Occurrences(matches_.regexes[Index(node.index)], Label(node), evidence);
      case ExprKind::kNear:
        return Near(node, evidence);
      case ExprKind::kDetect:
        return Detect(node, evidence);
      case ExprKind::kCount:
        return Count(node, evidence);
      case ExprKind::kField:
        return EvalField(pack_, facts_, node);
      case ExprKind::kMacro:
        break;
    }
    return false;
  }

 private:
  static std::size_t Index(std::int32_t i) { return static_cast<std::size_t>(i); }

  // Forgets the evidence a failed branch left behind.
  static void Drop(std::vector<Evidence>* evidence, std::size_t mark) {
    if (evidence != nullptr) {
      evidence->erase(evidence->begin() + static_cast<std::ptrdiff_t>(mark), evidence->end());
    }
  }

  std::string Label(const Node& node) const {
    switch (node.kind) {
      case ExprKind::kContains:
        return "contains \"" + pack_.contains[Index(node.index)] + "\"";
      case ExprKind::kRegex:
        return "regex \"" + pack_.regexes[Index(node.index)] + "\"";
      default:
        return pack_.term_sets[Index(node.index)].label;
    }
  }

  Evidence Make(const Occurrence& o, const std::string& label) const {
    Evidence e;
    e.begin = o.begin;
    e.end = o.end;
    e.text = std::string(core::TruncateUtf8(normalized_.Original().substr(o.begin, o.end - o.begin),
                                            kMaxEvidenceText));
    e.source = label;
    e.view = std::string(ViewName(o.view));
    return e;
  }

  bool Occurrences(const std::vector<Occurrence>& list, const std::string& label,
                   std::vector<Evidence>* evidence) const {
    if (list.empty()) {
      return false;
    }
    if (evidence != nullptr) {
      for (std::size_t i = 0; i < list.size() && i < kMaxEvidencePerHit; ++i) {
        evidence->push_back(Make(list[i], label));
      }
    }
    return true;
  }

  std::size_t WordOf(std::size_t offset) {
    const std::vector<std::size_t>& starts = normalized_.WordStarts();
    auto it = std::upper_bound(starts.begin(), starts.end(), offset);
    return it == starts.begin() ? 0 : static_cast<std::size_t>(it - starts.begin() - 1);
  }

  // Occurrences of `a` followed by one of `b` with at most `gap` words between.
  bool Ordered(const std::vector<Occurrence>& a, const std::vector<Occurrence>& b, std::int64_t gap,
               const Node& node, std::vector<Evidence>* evidence) {
    std::vector<std::pair<std::size_t, std::size_t>> b_words;  // first word, index into b
    b_words.reserve(b.size());
    for (std::size_t i = 0; i < b.size(); ++i) {
      b_words.emplace_back(WordOf(b[i].begin), i);
    }
    std::sort(b_words.begin(), b_words.end());
    bool found = false;
    for (const Occurrence& oa : a) {
      if (oa.end <= oa.begin) {
        continue;
      }
      const std::size_t last = WordOf(oa.end - 1);
      const std::size_t max_first = last + 1 + static_cast<std::size_t>(gap);
      auto it = std::upper_bound(b_words.begin(), b_words.end(), std::pair{last, b.size()});
      for (; it != b_words.end() && it->first <= max_first; ++it) {
        const Occurrence& ob = b[it->second];
        if (ob.begin < oa.end) {
          continue;  // overlapping spans are not "near" each other
        }
        found = true;
        if (evidence == nullptr) {
          return true;
        }
        evidence->push_back(Make(oa, pack_.term_sets[Index(node.index)].label));
        evidence->push_back(Make(ob, pack_.term_sets[Index(node.index2)].label));
        if (evidence->size() >= kMaxEvidencePerHit) {
          return true;
        }
        break;
      }
    }
    return found;
  }

  bool Near(const Node& node, std::vector<Evidence>* evidence) {
    const std::vector<Occurrence>& a = matches_.sets[Index(node.index)];
    const std::vector<Occurrence>& b = matches_.sets[Index(node.index2)];
    if (a.empty() || b.empty()) {
      return false;
    }
    const bool forward = Ordered(a, b, node.number, node, evidence);
    if (forward && evidence == nullptr) {
      return true;
    }
    if (node.ordered) {
      return forward;
    }
    // b before a: swap roles (evidence labels follow the occurrences' own sets).
    Node swapped = node;
    std::swap(swapped.index, swapped.index2);
    return Ordered(b, a, node.number, swapped, evidence) || forward;
  }

  bool LevelOk(const Node& node, Confidence c) const {
    return !node.level_op ||
           lang::Compare(*node.level_op, static_cast<int>(c), static_cast<int>(node.level));
  }

  void AddDetectorEvidence(const Node& node, const DetectorHit& hit,
                           std::vector<Evidence>* evidence) const {
    if (evidence == nullptr || evidence->size() >= kMaxEvidencePerHit) {
      return;
    }
    Evidence e;
    e.begin = hit.begin;
    e.end = hit.end;
    e.masked = pack_.detector_masks[Index(node.index)];
    e.text = e.masked ? hit.masked_text
                      : std::string(normalized_.Original().substr(hit.begin, hit.end - hit.begin));
    e.source = "detect(" + std::string(pack_.detectors[Index(node.index)]->Name()) + ")";
    e.confidence = hit.confidence;
    evidence->push_back(std::move(e));
  }

  bool Detect(const Node& node, std::vector<Evidence>* evidence) const {
    bool found = false;
    for (const DetectorHit& hit : matches_.detectors[Index(node.index)]) {
      if (LevelOk(node, hit.confidence)) {
        found = true;
        if (evidence == nullptr) {
          return true;
        }
        AddDetectorEvidence(node, hit, evidence);
      }
    }
    return found;
  }

  bool Count(const Node& node, std::vector<Evidence>* evidence) const {
    std::int64_t count = 0;
    if (node.over_terms) {
      count = static_cast<std::int64_t>(matches_.sets[Index(node.index)].size());
    } else {
      for (const DetectorHit& hit : matches_.detectors[Index(node.index)]) {
        count += LevelOk(node, hit.confidence) ? 1 : 0;
      }
    }
    if (!lang::Compare(node.op, count, node.number)) {
      return false;
    }
    if (evidence != nullptr) {
      if (node.over_terms) {
        Occurrences(matches_.sets[Index(node.index)], pack_.term_sets[Index(node.index)].label,
                    evidence);
      } else {
        Detect(node, evidence);
      }
    }
    return true;
  }

  const CompiledPack& pack_;
  const Facts& facts_;
  Normalized& normalized_;
  const MessageMatches& matches_;
};

void Finish(std::vector<Evidence>& evidence) {
  std::sort(evidence.begin(), evidence.end(), [](const Evidence& a, const Evidence& b) {
    return a.begin != b.begin ? a.begin < b.begin : a.end < b.end;
  });
  evidence.erase(std::unique(evidence.begin(), evidence.end(),
                             [](const Evidence& a, const Evidence& b) {
                               return a.begin == b.begin && a.end == b.end && a.source == b.source;
                             }),
                 evidence.end());
  if (evidence.size() > kMaxEvidencePerHit) {
    evidence.resize(kMaxEvidencePerHit);
  }
}

}  // namespace

Verdict Evaluate(const CompiledPack& pack, const Facts& facts) {
  Verdict verdict;
  verdict.pack_version = pack.version;
  Normalized normalized(facts.text, true, pack.any_leet);
  // Reused by the evaluations of this thread (Evaluate never nests): most messages need no
  // allocation for their matches.
  thread_local MessageMatches matches;
  MatchMessage(pack, normalized, matches);

  thread_local std::vector<bool> candidate;
  candidate.assign(pack.rules.size(), false);
  for (std::uint32_t r : pack.always_rules) {
    candidate[r] = true;
  }
  for (std::size_t s = 0; s < matches.fired.size(); ++s) {
    if (matches.fired[s]) {
      for (std::uint32_t r : pack.rules_by_signal[s]) {
        candidate[r] = true;
      }
    }
  }
  RuleEvaluator evaluator(pack, facts, normalized, matches);
  for (std::size_t r = 0; r < pack.rules.size(); ++r) {
    const RuleInfo& rule = pack.rules[r];
    if (!candidate[r] || !rule.enabled || !InScope(pack, rule.scope, facts)) {
      continue;
    }
    const Program& program = pack.programs[r];
    std::vector<Evidence> evidence;
    if (!evaluator.Eval(program, program.root, &evidence)) {
      continue;
    }
    Finish(evidence);
    verdict.hits.push_back(
        RuleHit{rule.id, rule.clause, rule.severity, rule.action, std::move(evidence)});
    verdict.action = Strictest(verdict.action, rule.action);
  }
  return verdict;
}

}  // namespace custos::policy::eval
