// SPDX-License-Identifier: Apache-2.0
// The pattern matchers of a pack (docs/policy-language.md): literal sets (list terms and
// `contains` strings; word boundaries are checked by the caller on each match, never compiled
// into patterns) and regular-expression sets (`text regex`, custom detector patterns).
//
// Two literal matchers with the same contract: a straightforward one (std::string_view::find
// per literal; the reference the Vectorscan one is tested against) and a Vectorscan block-mode
// database built with the pure-literal API. Regular expressions always use Vectorscan
// (case-insensitive, UTF-8; start offsets with HS_FLAG_SOM_LEFTMOST where Vectorscan can).
// Thread-safety: immutable after construction; Scan may be called concurrently (each call
// leases its own scratch from the pool).
#pragma once

#include <cstddef>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <type_traits>
#include <vector>

#include "core/status.h"
#include "policy/eval/scratch_pool.h"

namespace custos::policy::eval {

// Called for each match with the literal's or pattern's index and the match's byte range (for
// literals and patterns without start offsets, begin is computed or equals end). Returning
// false stops the scan. A non-owning reference to the caller's callable (a scan per view per
// message must not allocate, as std::function does for a lambda with several captures): valid
// while that callable lives, which a temporary argument does for the whole Scan call.
class MatchFn {
 public:
  template <typename F>

  requires(!std::is_same_v<std::remove_cvref_t<F>, MatchFn> &&
           std::is_invocable_r_v<bool, F&, unsigned, std::size_t, std::size_t>)
      MatchFn(F&& fn)  // NOLINT(google-explicit-constructor): used like a function parameter
      : object_(const_cast<void*>(static_cast<const void*>(std::addressof(fn)))),
        call_([](void* object, unsigned id, std::size_t begin, std::size_t end) {
          return (*static_cast<std::remove_reference_t<F>*>(object))(id, begin, end);
        }) {}

  bool operator()(unsigned id, std::size_t begin, std::size_t end) const {
    return call_(object_, id, begin, end);
  }

 private:
  void* object_;
  bool (*call_)(void*, unsigned, std::size_t, std::size_t);
};

class LiteralMatcher {
 public:
  virtual ~LiteralMatcher() = default;

  // Every occurrence of every literal, overlapping ones included, in no particular order.
  virtual void Scan(std::string_view text, const MatchFn& on_match) const = 0;
};

// `literals` must be non-empty strings.
std::unique_ptr<LiteralMatcher> MakeNaiveLiteralMatcher(std::vector<std::string> literals);

// kInternal when Vectorscan rejects the set (it should not for non-empty literals).
core::Result<std::unique_ptr<LiteralMatcher>> MakeVectorscanLiteralMatcher(
    const std::vector<std::string>& literals, ScratchPool& pool);

// What Vectorscan says about one regular expression on its own.
struct RegexCheck {
  std::optional<std::string> error;  // why it is rejected; nullopt when it compiles
  bool start_offsets = false;        // compiles with HS_FLAG_SOM_LEFTMOST
  bool costly = false;               // see pattern_cost.h
  std::string costly_reason;         // why, when costly
};

RegexCheck CheckRegex(const std::string& pattern);

struct RegexSpec {
  std::string pattern;
  bool start_offsets = true;
};

class RegexSet {
 public:
  RegexSet(std::unique_ptr<HsDatabase> db, ScratchPool& pool) : db_(std::move(db)), pool_(pool) {}

  void Scan(std::string_view text, const MatchFn& on_match) const;

 private:
  std::unique_ptr<HsDatabase> db_;
  ScratchPool& pool_;
};

// One database for all `specs` (which CheckRegex accepted); kInvalidArgument names the first
// rejected pattern.
core::Result<std::unique_ptr<RegexSet>> MakeRegexSet(const std::vector<RegexSpec>& specs,
                                                     ScratchPool& pool);

}  // namespace custos::policy::eval
