// SPDX-License-Identifier: Apache-2.0
#include "policy/eval/scan.h"

#include <algorithm>
#include <utility>

#include "policy/eval/unicode.h"

namespace custos::policy::eval {
namespace {

constexpr std::size_t kMaxWildcardExtension = 64;

struct TermHit {
  std::uint32_t term;
  Occurrence occurrence;
};

// Checks a term's boundaries at view range [b, e) and widens it over wildcard parts; false
// when the match is inside a longer word.
bool FitTerm(const Term& term, std::string_view s, std::size_t& b, std::size_t& e) {
  if (!term.prefix_wild && !term.unspaced_start && WordBefore(s, b)) {
    return false;
  }
  if (!term.suffix_wild && !term.unspaced_end && WordAfter(s, e)) {
    return false;
  }
  if (term.prefix_wild) {
    const std::size_t limit = b > kMaxWildcardExtension ? b - kMaxWildcardExtension : 0;
    while (b > limit && WordBefore(s, b)) {
      b = PreviousStart(s, b);
    }
  }
  if (term.suffix_wild) {
    const std::size_t limit = e + kMaxWildcardExtension;
    while (e < limit && WordAfter(s, e)) {
      std::size_t len = 0;
      DecodeAt(s, e, &len);
      e += len;
    }
  }
  return true;
}

void ScanView(const CompiledPack& pack, const View& view, ViewId id, std::vector<TermHit>& terms,
              MessageMatches& out) {
  const auto v = static_cast<int>(id);
  const LiteralMatcher* matcher = pack.literal_matchers[v].get();
  if (matcher == nullptr) {
    return;
  }
  const std::vector<std::vector<LiteralTarget>>& targets = pack.literal_targets[v];
  std::size_t matches = 0;
  matcher->Scan(view.text, [&](unsigned literal, std::size_t begin, std::size_t end) {
    for (const LiteralTarget& target : targets[literal]) {
      if (target.contains) {
        std::vector<Occurrence>& list = out.contains[target.id];
        if (list.size() < kMaxOccurrencesPerAtom) {
          const auto [ob, oe] = view.ToOrigin(begin, end);
          list.push_back(Occurrence{ob, oe, id});
        }
        continue;
      }
      std::size_t b = begin;
      std::size_t e = end;
      if (FitTerm(pack.terms[target.id], view.text, b, e)) {
        const auto [ob, oe] = view.ToOrigin(b, e);
        terms.push_back(TermHit{target.id, Occurrence{ob, oe, id}});
      }
    }
    return ++matches < kMaxMatchesPerScan;
  });
}

// Groups term hits into the term sets that contain each term; sorts and de-duplicates spans.
void GroupTerms(const CompiledPack& pack, std::vector<TermHit>& hits, MessageMatches& out) {
  std::sort(hits.begin(), hits.end(),
            [](const TermHit& a, const TermHit& b) { return a.term < b.term; });
  for (const TermHit& hit : hits) {
    for (std::uint32_t set : pack.term_to_sets[hit.term]) {
      if (out.sets[set].size() < kMaxOccurrencesPerAtom) {
        out.sets[set].push_back(hit.occurrence);
      }
    }
  }
  for (std::vector<Occurrence>& list : out.sets) {
    std::sort(list.begin(), list.end(), [](const Occurrence& a, const Occurrence& b) {
      if (a.begin != b.begin) {
        return a.begin < b.begin;
      }
      if (a.end != b.end) {
        return a.end < b.end;
      }
      return a.view < b.view;
    });
    list.erase(std::unique(list.begin(), list.end(),
                           [](const Occurrence& a, const Occurrence& b) {
                             return a.begin == b.begin && a.end == b.end;
                           }),
               list.end());
  }
}

// Empties `lists` and gives it `n` lists, keeping the capacity of those it had.
template <typename T>
void ResetLists(std::vector<std::vector<T>>& lists, std::size_t n) {
  if (lists.size() > n) {
    lists.resize(n);
  }
  for (std::vector<T>& list : lists) {
    list.clear();
  }
  lists.resize(n);
}

}  // namespace

void MatchMessage(const CompiledPack& pack, Normalized& normalized, MessageMatches& out) {
  ResetLists(out.sets, pack.term_sets.size());
  ResetLists(out.contains, pack.contains.size());
  ResetLists(out.regexes, pack.regexes.size());
  ResetLists(out.detectors, pack.detectors.size());
  // Reused by the evaluations of this thread: most messages need no allocation here.
  thread_local std::vector<TermHit> term_hits;
  term_hits.clear();
  for (int v = 0; v < kViewCount; ++v) {
    if (const View* view = normalized.Get(static_cast<ViewId>(v))) {
      ScanView(pack, *view, static_cast<ViewId>(v), term_hits, out);
    }
  }
  GroupTerms(pack, term_hits, out);

  if (pack.regex_set) {
    const View& text = *normalized.Get(ViewId::kText);
    pack.regex_set->Scan(text.text, [&](unsigned id, std::size_t begin, std::size_t end) {
      std::vector<Occurrence>& list = out.regexes[id];
      if (list.size() < kMaxOccurrencesPerAtom) {
        const auto [ob, oe] =
            pack.regex_spans[id] ? text.ToOrigin(begin, end) : text.ToOrigin(end, end);
        list.push_back(Occurrence{ob, oe, ViewId::kText});
      }
      return true;
    });
  }

  if (!pack.detectors.empty()) {
    const std::string_view text = normalized.DetectorText();
    const TextProfile profile{normalized.DetectorProfile()};
    for (std::size_t d = 0; d < pack.detectors.size(); ++d) {
      if (!profile.HasAll(pack.detectors[d]->Traits().needs)) {
        continue;  // as Scan would, without the call
      }
      std::vector<DetectorHit> hits = pack.detectors[d]->Scan(text, profile);
      if (hits.empty()) {
        continue;
      }
      if (hits.size() > kMaxOccurrencesPerAtom) {
        hits.resize(kMaxOccurrencesPerAtom);
      }
      for (DetectorHit& hit : hits) {
        const auto [ob, oe] = normalized.DetectorToOrigin(hit.begin, hit.end);
        hit.begin = ob;
        hit.end = oe;
      }
      out.detectors[d] = std::move(hits);
    }
  }

  out.fired.assign(pack.SignalCount(), false);
  for (std::size_t i = 0; i < out.sets.size(); ++i) {
    out.fired[i] = !out.sets[i].empty();
  }
  for (std::size_t i = 0; i < out.contains.size(); ++i) {
    out.fired[pack.ContainsSignal(i)] = !out.contains[i].empty();
  }
  for (std::size_t i = 0; i < out.regexes.size(); ++i) {
    out.fired[pack.RegexSignal(i)] = !out.regexes[i].empty();
  }
  for (std::size_t i = 0; i < out.detectors.size(); ++i) {
    out.fired[pack.DetectorSignal(i)] = !out.detectors[i].empty();
  }
}

}  // namespace custos::policy::eval
